import { STATUS_CODES } from 'node:http';
import type { FastifyContextConfig } from 'fastify';
import { type TSchema, Type } from 'typebox';
import { Problem, ref } from './schemas.js';

export interface OperationSpec<Params, Query, Body, Reply> {
  operationId: string;
  summary: string;
  description?: string;
  tag: 'session' | 'users' | 'messages' | 'sessions' | 'tokens' | 'recovery';
  /** Anyone may call it; else a session cookie or a bearer token is needed. */
  public?: boolean;
  /** A session cookie only: bearer tokens are not accepted (logging in and out). */
  cookieOnly?: boolean;
  /** Exempt from the CSRF token (still refused from another site): the anonymous entry points. */
  noCsrfToken?: boolean;
  params?: Params;
  querystring?: Query;
  body?: Body;
  /** The success status; 204 has no body, 202 says work was started. */
  status: 200 | 201 | 202 | 204;
  response?: Reply;
  /** The refusals worth naming; any other is still a Problem (`default`). */
  problems: readonly number[];
}

const problemResponse = (status: number | 'default') => ({
  description: status === 'default' ? 'Any other refusal or failure' : STATUS_CODES[status] ?? 'Problem',
  content: { 'application/problem+json': { schema: ref(Problem) } },
});

const UNSAFE = Type.Object({
  'x-csrf-token': Type.Optional(Type.String({ description: 'with the session cookie: the `csrf_token` from POST /session or GET /me' })),
});

/**
 * One API operation's schema and route config, so route files say what an operation is in a few
 * lines: its parts are validated and serialized by Fastify and published by @fastify/swagger.
 *
 * @example
 * app.get('/v1/me', operation({ operationId: 'getMe', summary: 'Who am I', tag: 'session', status: 200, response: MeResponse, problems: [401] }), handler);
 */
export function operation<Params extends TSchema, Query extends TSchema, Body extends TSchema, Reply extends TSchema>(
  spec: OperationSpec<Params, Query, Body, Reply>,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE' = spec.body ? 'POST' : 'GET',
) {
  const response: Record<string, unknown> = {
    [spec.status]: spec.response ?? { description: 'No content', type: 'null' },
  };
  for (const status of spec.problems) response[status] = problemResponse(status);
  response.default = problemResponse('default');
  const security = spec.public ? [] : spec.cookieOnly ? [{ sessionCookie: [] }] : [{ sessionCookie: [] }, { bearerToken: [] }];
  const schema = {
    operationId: spec.operationId,
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    tags: [spec.tag],
    security,
    ...(spec.params ? { params: spec.params } : {}),
    ...(spec.querystring ? { querystring: spec.querystring } : {}),
    ...(spec.body ? { body: spec.body } : {}),
    ...(method !== 'GET' && !spec.noCsrfToken ? { headers: UNSAFE } : {}),
    response,
  } as unknown as {
    params: Params;
    querystring: Query;
    body: Body;
    response: { [status in typeof spec.status]: Reply };
  };
  const config: FastifyContextConfig = {
    ...(spec.public ? { public: true } : {}),
    ...(spec.cookieOnly ? { apiTokens: false } : {}),
    ...(spec.noCsrfToken ? { csrf: false } : {}),
  };
  return { schema, config };
}
