/**
 * The one way an HTTP refusal is raised: a code for logs and tests, a status, and a message the
 * user may read. One error handler renders it.
 *
 * @example
 * throw new HttpError(404, 'NOT_FOUND', 'That page does not exist.');
 */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const notFound = (what = 'page') => new HttpError(404, 'NOT_FOUND', `That ${what} does not exist.`);
