/** Paths whose last segment is a secret token from a mail. */
const TOKEN_PATH = /^(\/users\/(?:password\/reset|email\/confirm)\/)[^/?#]+/;

/**
 * The URL with any mailed token replaced by `[token]`, for logs: a request log line must not hand
 * whoever reads the logs a working reset link.
 *
 * @example
 * redactTokens('/users/password/reset/abc123') // '/users/password/reset/[token]'
 */
export function redactTokens(url: string): string {
  return url.replace(TOKEN_PATH, '$1[token]');
}

interface LoggedRequest {
  method: string;
  url: string;
  host?: string;
  ip?: string;
  headers?: Record<string, unknown>;
  socket?: { remotePort?: number };
}

/** Fastify's own request serializer, with tokens taken out of the URL. */
export function requestLogFields(request: LoggedRequest) {
  return {
    method: request.method,
    url: redactTokens(request.url),
    version: typeof request.headers?.['accept-version'] === 'string' ? request.headers['accept-version'] : undefined,
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}
