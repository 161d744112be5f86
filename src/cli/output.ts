import { SingleBar } from 'cli-progress';

/** Prints rows as aligned columns, a header first; `--json` prints the objects instead. */
export function printTable(rows: Record<string, unknown>[], columns: string[]): void {
  if (rows.length === 0) return;
  const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => String(row[column] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd();
  console.log(line(columns.map((column) => column.toUpperCase())));
  for (const row of rows) console.log(line(columns.map((column) => String(row[column] ?? ''))));
}

export const printJson = (value: unknown) => console.log(JSON.stringify(value, null, 2));

/** A time for people: `2026-05-01 14:03 UTC`. */
export const when = (time: number | string) => new Date(time).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';

/**
 * A progress bar on stderr for long work (`total` steps), drawn only on a terminal: scripts and
 * `--json` output stay clean.
 */
export function progressBar(total: number, label: string) {
  const bar = new SingleBar({ format: `${label} [{bar}] {value}/{total}`, stream: process.stderr, hideCursor: true, clearOnComplete: false });
  const shown = Boolean(process.stderr.isTTY) && total > 0;
  if (shown) bar.start(total, 0);
  return {
    increment: (by = 1) => shown && bar.increment(by),
    stop: () => shown && bar.stop(),
  };
}
