/**
 * A refusal Latchkey raises while handling a request: a stable code for logs, tests and API
 * clients, an HTTP status, and a message a person may read. Render it in your error handler.
 *
 * | code | status | when |
 * |---|---|---|
 * | `SESSION_STORE_UNAVAILABLE` | 503 | the store failed or missed its deadline |
 * | `CSRF_REFUSED` | 403 | a cross-site request, or a missing or wrong CSRF token |
 * | `LOGIN_REQUIRED` | 401 | a protected route without a logged-in user, and no login page to send them to |
 * | `NOT_AUTHORIZED` | 403 | `requireOwner` refused, and no page to send them to |
 * | `INVALID_TOKEN` | 401 | an API token that is malformed, unknown, revoked or expired |
 * | `INSUFFICIENT_SCOPE` | 403 | an API token without the scope the route needs |
 * | `TOO_MANY_SESSIONS` | 429 | too many new sessions from one address for visitors not logged in (`headers` has `retry-after`) |
 *
 * @example
 * app.setErrorHandler((error, request, reply) => {
 *   if (error instanceof LatchkeyError) return reply.code(error.statusCode).send({ code: error.code, message: error.message });
 *   throw error;
 * });
 */
export class LatchkeyError extends Error {
  override name = 'LatchkeyError';
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    /** Headers the answer must carry (`retry-after`, a 401's `www-authenticate`); Fastify's default error handler sends them. */
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(message);
  }
}

/**
 * Thrown at registration when an option is missing or wrong; the message names the option.
 *
 * @example
 * await app.register(latchkey, { ...options, secrets: ['short'] });
 * // LatchkeyOptionsError: latchkey option "secrets": key 1 must be a string of at least 32 bytes …
 */
export class LatchkeyOptionsError extends Error {
  override name = 'LatchkeyOptionsError';
}

export const storeUnavailable = () =>
  new LatchkeyError(503, 'SESSION_STORE_UNAVAILABLE', 'Sessions are unavailable right now. Please try again in a moment.');

export const tooManySessions = (retryAfterMs: number) =>
  new LatchkeyError(429, 'TOO_MANY_SESSIONS', 'Too many new sessions from your address. Please wait a moment and try again.', {
    'retry-after': String(Math.max(1, Math.ceil(retryAfterMs / 1000))),
  });
