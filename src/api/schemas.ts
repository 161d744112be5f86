import { type Static, type TSchema, Type } from 'typebox';
import { MAX_TOKEN_DAYS, MAX_TOKEN_NAME_CHARACTERS } from '../tokens/token-rules.js';

/**
 * The JSON the API speaks, as TypeBox schemas: Fastify validates requests and serializes
 * responses with them, and @fastify/swagger publishes them as the OpenAPI document. Names are
 * snake_case, as the HTML forms' fields are. Shared shapes carry an `$id` and become
 * `components/schemas`; `ref()` points at them.
 */

/** A reference to a shared schema that keeps its static type. */
export function ref<T extends TSchema>(schema: T) {
  const id = (schema as { $id?: unknown }).$id;
  if (typeof id !== 'string') throw new Error('ref(): the schema needs an $id');
  return Type.Unsafe<Static<T>>({ $ref: `${id}#` });
}

const Timestamp = Type.String({ format: 'date-time', description: 'ISO 8601, UTC' });
const Id = Type.Integer({ minimum: 1, maximum: 10 ** 15 });

export const Problem = Type.Object(
  {
    type: Type.String({ description: '`about:blank`: the status and `code` say what happened' }),
    title: Type.String({ description: 'the HTTP status phrase' }),
    status: Type.Integer(),
    detail: Type.String({ description: 'what went wrong, for a person' }),
    code: Type.String({ description: 'stable, UPPER_SNAKE: what a program should test', examples: ['VALIDATION_FAILED'] }),
    errors: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'per field: what is wrong with it' })),
    retry_after: Type.Optional(Type.Integer({ description: 'seconds to wait (also in `Retry-After`)' })),
  },
  { $id: 'Problem', description: 'An error, as RFC 9457 describes (application/problem+json)' },
);

export const User = Type.Object(
  { id: Id, username: Type.String(), first_name: Type.String(), last_name: Type.String(), created_at: Timestamp },
  { $id: 'User' },
);

export const Message = Type.Object(
  { id: Id, user_id: Id, username: Type.String({ description: 'the author' }), content: Type.String(), created_at: Timestamp, updated_at: Timestamp },
  { $id: 'Message' },
);

export const DeviceSession = Type.Object(
  {
    handle: Type.String({ description: 'the public name of the session: end it with DELETE /sessions/{handle}' }),
    created_at: Timestamp,
    last_seen_at: Timestamp,
    user_agent: Type.String(),
    ip: Type.String(),
    remember: Type.Boolean(),
    current: Type.Boolean({ description: 'the session of this request' }),
  },
  { $id: 'DeviceSession' },
);

const Scope = Type.Union([Type.Literal('read'), Type.Literal('write')], { description: '`read`: GET requests; `write`: the rest' });

export const ApiToken = Type.Object(
  { id: Id, name: Type.String(), scopes: Type.Array(Scope), created_at: Timestamp, expires_at: Timestamp, last_used_at: Type.Union([Timestamp, Type.Null()]) },
  { $id: 'ApiToken' },
);

export const NewApiToken = Type.Object(
  {
    id: Id,
    name: Type.String(),
    scopes: Type.Array(Scope),
    expires_at: Timestamp,
    token: Type.String({ description: 'send as `Authorization: Bearer <token>`; shown this once, never again' }),
  },
  { $id: 'NewApiToken' },
);

export const SHARED_SCHEMAS = [Problem, User, Message, DeviceSession, ApiToken, NewApiToken];

const Cursor = Type.Union([Type.String(), Type.Null()], { description: 'pass as `?cursor=` for the next page; null at the end' });
/** A page of a list: keyset pagination with opaque cursors. */
export const pageOf = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), next_cursor: Cursor, prev_cursor: Type.Union([Type.String(), Type.Null()], { description: 'the page before; null on the first' }) });

export const PageQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 64, description: 'from a previous page: `next_cursor` or `prev_cursor`' })),
  },
  { additionalProperties: false },
);

export const UserParams = Type.Object({ id: Id });
export const MessageParams = Type.Object({ id: Id, mid: Id });
export const HandleParams = Type.Object({ handle: Type.String({ pattern: '^[A-Za-z0-9_-]{16}$' }) });
export const TokenParams = Type.Object({ id: Id });

// generous bounds for the type check; the rules (src/users/user-form.ts) say what is accepted
const Text = (maxLength: number, description?: string) => Type.String({ maxLength, ...(description ? { description } : {}) });
const strict = { additionalProperties: false };

export const LoginBody = Type.Object(
  { username: Text(200), password: Text(1024), remember: Type.Optional(Type.Boolean({ description: 'a persistent cookie (30 days)' })) },
  strict,
);
export const SignupBody = Type.Object(
  {
    username: Text(200, '1 to 64 letters, digits, dots, dashes or underscores; unique whatever the case'),
    password: Text(1024, '8 characters to 72 bytes, not a common password'),
    first_name: Type.Optional(Text(400)),
    last_name: Type.Optional(Text(400)),
    email: Type.Optional(Text(400, 'optional; a link is sent to confirm it, and only a confirmed address gets reset links')),
  },
  strict,
);
export const UserPatch = Type.Object(
  {
    username: Type.Optional(Text(200)),
    first_name: Type.Optional(Text(400)),
    last_name: Type.Optional(Text(400)),
    password: Type.Optional(Text(1024, 'a new password; needs `current_password`')),
    email: Type.Optional(Text(400, 'a new address (needs `current_password`), or "" to remove it')),
    current_password: Type.Optional(Text(1024)),
  },
  strict,
);
export const UserDeleteBody = Type.Object(
  { current_password: Type.Optional(Text(1024, 'needed unless you logged in within FRESH_LOGIN_MINUTES')) },
  strict,
);
export const MessageBody = Type.Object({ content: Text(20_000, '1 to 2000 characters') }, strict);
export const TokenBody = Type.Object(
  {
    name: Text(MAX_TOKEN_NAME_CHARACTERS * 4, `1 to ${MAX_TOKEN_NAME_CHARACTERS} characters`),
    scopes: Type.Array(Scope, { minItems: 1, maxItems: 2, uniqueItems: true }),
    expires_in_days: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_TOKEN_DAYS, default: 30 })),
  },
  strict,
);

export const SessionResponse = Type.Object({
  user: ref(User),
  csrf_token: Type.String({ description: 'send as `X-CSRF-Token` on every unsafe request made with the session cookie' }),
});
export const MeResponse = Type.Object({
  user: ref(User),
  email: Type.Union([Type.String(), Type.Null()], { description: 'your address; only you see it' }),
  email_verified: Type.Boolean({ description: 'reset links go only to a confirmed address' }),
  csrf_token: Type.Union([Type.String(), Type.Null()], { description: 'for the session cookie; null for a bearer token' }),
  scopes: Type.Array(Scope, { description: 'what this request may do: both for a session, the token’s for a token' }),
});
