import type { ClashGroup, SkippedUser } from './flask-user-plan.js';

/** What an import did, for the summary. */
export interface ImportReport {
  users: { added: number; updated: number; unchanged: number; skipped: SkippedUser[]; stale: number };
  messages: { added: number; updated: number; unchanged: number; skipped: { id: number; reason: string }[]; stale: number };
  clashes: ClashGroup[];
  unusableHashes: number[];
  unusualUsernames: string[];
}

/** The summary printed at the end: counts, then everything a person should look at. */
export function formatImportReport(report: ImportReport, from: string, into: string): string {
  const { users, messages } = report;
  const lines = [
    `Imported from ${from} into ${into}:`,
    `  users:    ${users.added} added, ${users.updated} updated, ${users.unchanged} unchanged, ${users.skipped.length} not imported`,
    `  messages: ${messages.added} added, ${messages.updated} updated, ${messages.unchanged} unchanged, ${messages.skipped.length} not imported`,
  ];
  if (report.clashes.length > 0) {
    lines.push(
      `${report.clashes.length} group(s) of usernames are one name under Latchkey's rules (case, lookalike letters). All were imported;`,
      '  the account marked * holds the name, the others are marked users.username_clash = 1 and log in with their exact spelling:',
      ...report.clashes.map((group) => `  ${group.map((user) => `#${user.id} ${user.username}${user.holdsName ? ' *' : ''}`).join(', ')}`),
    );
  }
  if (users.skipped.length > 0) lines.push('Users not imported:', ...users.skipped.map((user) => `  #${user.id} ${user.username}: ${user.reason}`));
  if (messages.skipped.length > 0) {
    lines.push('Messages not imported:', ...messages.skipped.slice(0, 20).map((message) => `  #${message.id}: ${message.reason}`));
    if (messages.skipped.length > 20) lines.push(`  … and ${messages.skipped.length - 20} more`);
  }
  if (report.unusableHashes.length > 0) {
    lines.push(`${report.unusableHashes.length} user(s) have no bcrypt hash and cannot log in until their password is reset: #${report.unusableHashes.slice(0, 20).join(', #')}`);
  }
  if (report.unusualUsernames.length > 0) {
    lines.push(`${report.unusualUsernames.length} username(s) are outside Latchkey's signup rules (kept; they must pick another to edit their profile): ${report.unusualUsernames.slice(0, 20).map((name) => JSON.stringify(name)).join(', ')}`);
  }
  if (users.stale + messages.stale > 0) {
    lines.push(`${users.stale} user(s) and ${messages.stale} message(s) imported before are no longer in Flask; they were kept.`);
  }
  return lines.join('\n');
}
