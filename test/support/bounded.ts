/**
 * The promise's result, or a failure once `ms` have passed: a request the app leaves hanging
 * fails the test (saying so) instead of stalling the suite. A bound, not a speed assertion: set
 * it well above the deadline under test.
 *
 * @example
 * const response = await within(client.get('/users/welcome'), 5000, 'the welcome page');
 */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms (the app hung)`)), ms);
  });
  try {
    return await Promise.race([promise, bound]);
  } finally {
    clearTimeout(timer);
  }
}

/** Retries `attempt` until it returns true or `ms` pass (recovery after an outage): true if it did. */
export async function eventually(attempt: () => Promise<boolean>, ms: number, everyMs = 100): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await attempt().catch(() => false)) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
