/**
 * What a person running a command can fix (no such user, nothing to send to): one line on stderr
 * and exit status 1, never a stack trace.
 *
 * @example
 * throw new CliError('no user named alice');
 */
export class CliError extends Error {
  override name = 'CliError';
}
