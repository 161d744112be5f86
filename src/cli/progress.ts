import cliProgress from 'cli-progress';

export interface Progress {
  /** Moves the bar to `done` of `total`. */
  update(done: number, total: number): void;
  /** Removes the bar; safe to call twice. */
  stop(): void;
}

/**
 * A progress bar on a terminal, and nothing at all when the output is a file or a pipe (a log
 * has no use for a bar redrawn a hundred times).
 *
 * @example
 * const progress = createProgress('importing', process.stderr);
 * progress.update(500, 1000);
 * progress.stop();
 */
export function createProgress(label: string, stream: NodeJS.WriteStream): Progress {
  if (!stream.isTTY) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    { stream, format: `${label} [{bar}] {percentage}% | {value}/{total} rows | {duration_formatted}`, hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total) {
      if (!started) {
        bar.start(total, done);
        started = true;
      } else bar.update(done);
    },
    stop() {
      if (started) bar.stop();
      started = false;
    },
  };
}
