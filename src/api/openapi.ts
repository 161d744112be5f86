import type { SwaggerOptions } from '@fastify/swagger';
import type { FastifyPluginAsync } from 'fastify';
import { referencePage } from './reference-page.js';

const DESCRIPTION = `The accounts, messages and sessions of Latchkey, as JSON.

**Authentication.** Either the session cookie, from \`POST /api/v1/session\` (then every unsafe request
carries the \`X-CSRF-Token\` header with the \`csrf_token\` that login and \`GET /api/v1/me\` return), or
\`Authorization: Bearer <token>\` with an API token from the devices page or \`POST /api/v1/tokens\`
(no CSRF token, no session). A token's \`read\` scope allows GET, \`write\` the rest.

**Errors** are \`application/problem+json\` (RFC 9457) with a stable \`code\`; validation errors
list the fields in \`errors\`.

**Lists** come a page at a time: \`?limit=\` (1 to 200, default 50) and the opaque \`next_cursor\`
as \`?cursor=\` for the next page.`;

/** @fastify/swagger's settings: OpenAPI 3.1 from the routes' schemas, shared schemas named by their `$id`. */
export const OPENAPI_OPTIONS: SwaggerOptions = {
  openapi: {
    openapi: '3.1.0',
    info: { title: 'Latchkey API', version: '1.0.0', description: DESCRIPTION },
    tags: [
      { name: 'session', description: 'Logging in and out with the session cookie' },
      { name: 'users', description: 'Accounts' },
      { name: 'messages', description: 'Messages; only their author may change them' },
      { name: 'sessions', description: 'Where you are logged in' },
      { name: 'tokens', description: 'API tokens for scripts and apps' },
      { name: 'recovery', description: 'Forgotten passwords and email addresses, with the tokens mailed in links' },
    ],
    components: {
      securitySchemes: {
        sessionCookie: {
          type: 'apiKey',
          in: 'cookie',
          name: 'latchkey_session',
          description: 'The session cookie (`__Host-latchkey_session` in production); unsafe requests also need `X-CSRF-Token`.',
        },
        bearerToken: { type: 'http', scheme: 'bearer', description: 'An API token (`lk_…`).' },
      },
    },
  },
  // a DELETE's body is optional (the validator lets an absent one through): say so
  transformObject: (documents) => {
    const document = (documents as { openapiObject: Partial<OpenApiDocument> }).openapiObject;
    for (const item of Object.values(document.paths ?? {})) {
      if (item.delete?.requestBody) item.delete.requestBody.required = false;
    }
    return document as never;
  },
  refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `schema-${i}`) },
};

/** The OpenAPI document as JSON, and a reference page rendered from it on the server (no script, so the CSP holds). */
const openapiRoutes: FastifyPluginAsync = async (app) => {
  const hidden = { schema: { hide: true }, config: { public: true } };
  app.get('/openapi.json', hidden, async () => app.swagger());
  app.get('/docs', hidden, async (_request, reply) => reply.page('API reference', referencePage(app.swagger() as unknown as OpenApiDocument)));
};

/** The parts of an OpenAPI document the reference page reads. */
export interface OpenApiDocument {
  info: { title: string; version: string; description?: string };
  tags?: { name: string; description?: string }[];
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

export interface OpenApiOperation {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; required?: boolean; description?: string; schema?: JsonSchema }[];
  requestBody?: { required?: boolean; content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, { description?: string; content?: Record<string, { schema: JsonSchema }> }>;
}

export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  description?: string;
  additionalProperties?: boolean | JsonSchema;
  format?: string;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  pattern?: string;
  default?: unknown;
}

export default openapiRoutes;
