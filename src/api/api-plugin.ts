import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Ajv, { type Options as AjvOptions } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyPluginAsync, onRequestAsyncHookHandler, preHandlerAsyncHookHandler } from 'fastify';
import { isCrossSiteRequest, LatchkeyError, requireScope } from 'latchkey';
import type { AppDeps } from '../deps.js';
import messagesApi from './messages-api.js';
import { createRouteTable } from './method-not-allowed.js';
import openapiRoutes, { OPENAPI_OPTIONS } from './openapi.js';
import { sendProblem } from './problem.js';
import recoveryApi from './recovery-api.js';
import { SHARED_SCHEMAS } from './schemas.js';
import sessionApi from './session-api.js';
import sessionsApi from './sessions-api.js';
import tokensApi from './tokens-api.js';
import usersApi from './users-api.js';

export const API_BODY_LIMIT_BYTES = 64 * 1024;

// bodies are checked as sent (no coercion, no silent dropping of unknown fields); the query and
// path, which are text by nature, are coerced to the schema's numbers
const AJV_OPTIONS: AjvOptions = { allErrors: false, useDefaults: true, removeAdditional: false, strict: false };

/**
 * The JSON API under /api: its own body parser (JSON here, forms everywhere else), validation,
 * auth rules and OpenAPI document. Routes accept the session cookie or a bearer token; GET needs
 * the token's `read` scope and every other method `write`.
 */
const apiPlugin: FastifyPluginAsync<AppDeps & { prefix?: string }> = async (parent, { prefix: _prefix, ...deps }) => {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  app.removeAllContentTypeParsers();
  // Fastify's own JSON parser (it refuses __proto__ and constructor keys); an empty body, which
  // some clients send with a JSON content type on a DELETE, is no body
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: API_BODY_LIMIT_BYTES }, (request, body, done) => {
    if (body === '') done(null, undefined);
    else parseJson(request, body as string, done);
  });
  const bodyAjv = addFormats.default(new Ajv.default({ ...AJV_OPTIONS, coerceTypes: false }));
  const textAjv = addFormats.default(new Ajv.default({ ...AJV_OPTIONS, coerceTypes: 'array' }));
  for (const schema of SHARED_SCHEMAS) {
    app.addSchema(schema);
    bodyAjv.addSchema(schema);
    textAjv.addSchema(schema);
  }
  app.setValidatorCompiler(({ schema, httpPart, method }) => {
    const validate = (httpPart === 'body' ? bodyAjv : textAjv).compile(schema);
    if (httpPart !== 'body' || method !== 'DELETE') return validate;
    // a DELETE may come without a body; when it has one, it must be right
    const optional = (data: unknown) => {
      const valid = data === undefined || data === null || validate(data);
      optional.errors = valid ? null : validate.errors;
      return valid;
    };
    optional.errors = null as typeof validate.errors;
    return optional;
  });

  const routeTable = createRouteTable();
  app.addHook('onRoute', (route) => {
    routeTable.add(route.method, route.url);
    route.config = { loginRedirect: false, apiTokens: true, ...route.config };
    const scope = route.method === 'GET' || route.method === 'HEAD' ? 'read' : 'write';
    route.preHandler = [requireScope(scope), ...[route.preHandler ?? []].flat()] as preHandlerAsyncHookHandler[];
  });
  app.addHook('onRequest', refuseTokensWhereCookieOnly);
  app.addHook('preHandler', refuseCrossSite);

  await app.register(swagger, OPENAPI_OPTIONS);
  await app.register(sessionApi, deps);
  await app.register(usersApi, deps);
  await app.register(messagesApi, deps);
  await app.register(sessionsApi, deps);
  await app.register(tokensApi, deps);
  await app.register(recoveryApi, deps);
  await app.register(openapiRoutes);

  app.setNotFoundHandler((request, reply) => {
    const allowed = routeTable.allowed(request.url.split('?')[0]!);
    if (!allowed) return sendProblem(reply, 404, 'NOT_FOUND', 'There is no such API path.');
    return sendProblem(reply.header('allow', allowed.join(', ')), 405, 'METHOD_NOT_ALLOWED', `This path allows ${allowed.join(', ')}.`);
  });
};

/** Logging in, signing up and minting tokens are a person's acts: a bearer token there is refused plainly. */
const refuseTokensWhereCookieOnly: onRequestAsyncHookHandler = async (request) => {
  if (request.routeOptions.config.apiTokens === false && request.headers.authorization !== undefined) {
    throw new LatchkeyError(403, 'SESSION_REQUIRED', 'This operation takes the session cookie, not an API token.');
  }
};

/**
 * The routes exempt from the CSRF token (log in, sign up: there is no session to bind it to yet)
 * still refuse requests from other sites; and the JSON-only body already rules out the forms a
 * page elsewhere could send without a CORS preflight, which this app never grants.
 */
const refuseCrossSite: preHandlerAsyncHookHandler = async (request) => {
  if (request.routeOptions.config.csrf === false && request.method !== 'GET' && isCrossSiteRequest(request)) {
    throw new LatchkeyError(403, 'CSRF_REFUSED', 'A request from another site was refused.');
  }
};

export default apiPlugin;
