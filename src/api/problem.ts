import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { LatchkeyError } from 'latchkey';
import { HttpError } from '../http-error.js';
import type { FieldErrors } from '../views/form.js';

/** An RFC 9457 problem: what every refusal under /api is. */
export interface ProblemBody {
  type: 'about:blank';
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: Record<string, string>;
  retry_after?: number;
}

const FRAMEWORK_CODES: Record<string, { code: string; detail: string }> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'UNSUPPORTED_MEDIA_TYPE', detail: 'Send the body as application/json.' },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'BODY_TOO_LARGE', detail: 'The body is larger than 64 KiB.' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'BAD_CONTENT_LENGTH', detail: 'The body did not match its declared length.' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'INVALID_JSON', detail: 'The body is empty; send a JSON object.' },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'INVALID_JSON', detail: 'The body is not valid JSON.' },
};

/** Refusals whose package message speaks of forms and pages: an API client gets this instead. */
const API_DETAILS: Record<string, string> = {
  CSRF_REFUSED: 'With the session cookie, send the X-CSRF-Token header (the csrf_token from POST /api/v1/session or GET /api/v1/me), from this site.',
};

const CONTEXTS: Record<string, string> = { body: 'body', params: 'path parameters', querystring: 'query', headers: 'headers' };

/** True for the paths whose refusals are problem+json rather than pages. */
export const isApiPath = (url: string) => url === '/api' || url.startsWith('/api/') || url.startsWith('/api?');

/**
 * Sends a problem. A 401 always carries the `WWW-Authenticate` challenge (RFC 9110 asks for it),
 * a 429 its `Retry-After`.
 */
export function sendProblem(
  reply: FastifyReply,
  status: number,
  code: string,
  detail: string,
  extra: { errors?: FieldErrors; retryAfterMs?: number; headers?: Readonly<Record<string, string>> } = {},
) {
  const body: ProblemBody = { type: 'about:blank', title: STATUS_CODES[status] ?? 'Error', status, detail, code };
  if (extra.errors) body.errors = Object.fromEntries(Object.entries(extra.errors).filter((entry): entry is [string, string] => entry[1] !== undefined));
  if (extra.retryAfterMs !== undefined) {
    body.retry_after = Math.ceil(extra.retryAfterMs / 1000);
    reply.header('retry-after', String(body.retry_after));
  }
  reply.headers(extra.headers ?? {});
  if (status === 401 && !reply.hasHeader('www-authenticate')) reply.header('www-authenticate', 'Bearer realm="latchkey"');
  return reply.code(status).type('application/problem+json; charset=utf-8').send(body);
}

/**
 * The problem for any error a request under /api raised: refusals say why, failures say nothing
 * of their insides, and a dependency that is down (`isOutage`) is a 503.
 */
export function sendErrorProblem(request: FastifyRequest, reply: FastifyReply, error: FastifyError, isOutage?: (error: unknown) => boolean) {
  if (error instanceof LatchkeyError) {
    const detail = error.message.startsWith('This form') ? API_DETAILS[error.code] ?? error.message : error.message;
    return sendProblem(reply, error.statusCode, error.code, detail, { headers: error.headers });
  }
  if (error instanceof HttpError) return sendProblem(reply, error.statusCode, error.code, error.message);
  if (isOutage?.(error)) return sendProblem(reply, 503, 'SERVICE_UNAVAILABLE', 'This service is unavailable right now. Please try again in a moment.');
  if (error.validation) {
    const part = CONTEXTS[error.validationContext ?? ''] ?? 'input';
    return sendProblem(reply, 400, 'VALIDATION_FAILED', `The request's ${part} do not match the API's schema.`, {
      errors: validationErrors(error),
    });
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    request.log.debug({ err: error }, 'refused a bad API request');
    const known = FRAMEWORK_CODES[error.code];
    return sendProblem(reply, status, known?.code ?? 'BAD_REQUEST', known?.detail ?? 'The request could not be understood.');
  }
  request.log.error({ err: error }, 'request failed');
  return sendProblem(reply, 500, 'INTERNAL_ERROR', 'Something went wrong on our side. Please try again.');
}

/** Ajv's errors as `{ field: message }`: the field is the failing property's path, or the missing one's name. */
function validationErrors(error: FastifyError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.validation ?? []) {
    const params = issue.params as { missingProperty?: string; additionalProperty?: string };
    const path = issue.instancePath.replace(/^\//, '').replaceAll('/', '.');
    const field = params.missingProperty ?? params.additionalProperty ?? (path || error.validationContext || 'body');
    const message = params.additionalProperty ? 'is not a field of this request' : issue.message ?? 'is not valid';
    errors[path && params.missingProperty ? `${path}.${field}` : field] ??= message;
  }
  return errors;
}
