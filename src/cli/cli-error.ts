/**
 * A refusal or failure the CLI reports in one line on stderr, with a non-zero exit: the message
 * says what went wrong and, where it can, what to do.
 *
 * @example
 * throw new CliError('no user named "alice"');
 */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** `promise`, or a CliError naming `what` when it takes longer than `ms`: nothing the CLI waits on may hang. */
export async function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CliError(`${what} did not answer within ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}
