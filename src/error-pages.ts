import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LatchkeyError } from 'latchkey';
import { isApiPath, sendErrorProblem, sendProblem } from './api/problem.js';
import { HttpError } from './http-error.js';
import { html } from './views/html.js';

const CLIENT_MESSAGES: Record<string, string> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'This page accepts only form submissions (application/x-www-form-urlencoded).',
  FST_ERR_CTP_BODY_TOO_LARGE: 'That submission is too large.',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'The request body did not match its declared length.',
};

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Log in first',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Not allowed',
  413: 'Too large',
  415: 'Unsupported form',
  429: 'Too many attempts',
  503: 'Unavailable',
};

export interface ErrorPageOptions {
  /**
   * True when the error means a dependency is down or hung (the database, Redis): the answer is
   * a 503, and the outage is logged once by whoever recorded it, not once per request.
   */
  isOutage?: (error: unknown) => boolean;
}

/**
 * One place renders every refusal, inside the site layout: HttpErrors with their own message,
 * framework errors for bad input with a plain one, a dependency that is down as a 503, anything
 * else as a 500 without details. Under /api the same refusals are application/problem+json
 * (src/api/problem.ts), never a page.
 */
export function registerErrorPages(app: FastifyInstance, { isOutage }: ErrorPageOptions = {}): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (isApiPath(request.url)) return sendErrorProblem(request, reply, error, isOutage);
    if (error instanceof HttpError || error instanceof LatchkeyError) return errorPage(request, reply, error.statusCode, error.message);
    if (isOutage?.(error)) return errorPage(request, reply, 503, 'This service is unavailable right now. Please try again in a moment.');
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      request.log.debug({ err: error }, 'refused a bad request');
      return errorPage(request, reply, status, CLIENT_MESSAGES[error.code] ?? 'The request could not be understood.');
    }
    request.log.error({ err: error }, 'request failed');
    return errorPage(request, reply, 500, 'Something went wrong on our side. Please try again.');
  });

  app.setNotFoundHandler((request, reply) => {
    if (isApiPath(request.url)) return sendProblem(reply, 404, 'NOT_FOUND', 'There is no such API path.');
    return errorPage(request, reply, 404, 'That page does not exist.');
  });
}

function errorPage(request: FastifyRequest, reply: FastifyReply, status: number, message: string) {
  const title = TITLES[status] ?? (status >= 500 ? 'Error' : 'Bad request');
  // a page that failed before the session loaded has no session; render it anonymously
  if (!request.session) request.user = null;
  return reply.page(title, html`<h1>${title}</h1><p>${message}</p><p><a href="/">Go to the home page</a></p>`, status);
}
