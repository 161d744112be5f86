import { createHash, randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { LatchkeyError } from '../errors.js';
import type { UserId } from '../stores/session-store.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** This route accepts `Authorization: Bearer <API token>` in place of the session cookie (option `apiTokens`). */
    apiTokens?: boolean;
  }
}

/**
 * The scopes a token may carry.
 *
 * @example
 * const scopes = API_TOKEN_SCOPES.filter((scope) => form[`scope_${scope}`] === 'on');
 */
export const API_TOKEN_SCOPES = ['read', 'write'] as const;
/**
 * `read` allows safe requests (GET); `write` allows the rest.
 *
 * @example
 * const scope: ApiTokenScope = request.method === 'GET' ? 'read' : 'write';
 */
export type ApiTokenScope = (typeof API_TOKEN_SCOPES)[number];

/**
 * A token as the app stores it: its hash, never the token itself. Times in ms since the epoch.
 *
 * @example
 * const record: ApiTokenRecord = { id: row.id, userId: row.user_id, scopes: ['read'], expiresAt: Date.parse(row.expires_at), lastUsedAt: null };
 */
export interface ApiTokenRecord {
  id: string | number;
  userId: UserId;
  scopes: readonly ApiTokenScope[];
  expiresAt: number;
  lastUsedAt: number | null;
}

/**
 * Where Latchkey finds API tokens: the app's table, through two functions (the plugin's
 * `apiTokens` option). Revoking a token is deleting its row; the next request with it is a 401.
 *
 * @example
 * const apiTokens: ApiTokenSource = {
 *   findByHash: async (hash) => toRecord(await db.selectFrom('api_tokens').selectAll().where('token_hash', '=', hash).executeTakeFirst()),
 *   markUsed: async (id, at) => void (await db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute()),
 * };
 */
export interface ApiTokenSource {
  /** The token whose SHA-256 (hex) this is, or null. */
  findByHash(tokenHash: string): Promise<ApiTokenRecord | null>;
  /** Records a use; called at most once a minute per token, so reads stay reads. */
  markUsed(id: ApiTokenRecord['id'], at: number): Promise<void>;
}

/**
 * The token that authenticated a request, on `request.apiToken`; null for cookie sessions and visitors.
 *
 * @example
 * if (request.apiToken) reply.header('x-token-id', String(request.apiToken.id));
 */
export interface RequestApiToken {
  id: ApiTokenRecord['id'];
  scopes: readonly ApiTokenScope[];
}

const PREFIX = 'lk_';
const TOKEN_PATTERN = /^lk_[A-Za-z0-9_-]{43}$/;

/**
 * A new API token and the hash to store. The token (256 random bits, `lk_`-prefixed so secret
 * scanners can spot a leaked one) is shown to its owner once and never kept.
 *
 * @example
 * const { token, tokenHash } = generateApiToken();
 * await db.insertInto('api_tokens').values({ token_hash: tokenHash, ... }).execute();
 */
export function generateApiToken(): { token: string; tokenHash: string } {
  const token = `${PREFIX}${randomBytes(32).toString('base64url')}`;
  return { token, tokenHash: hashApiToken(token) };
}

/**
 * The stored form of a token. A fast hash is enough: the token is 256 random bits, so there is
 * nothing to guess, and it must be looked up on every request.
 *
 * @example
 * const row = await findTokenRow(hashApiToken(presented));
 */
export function hashApiToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** True when the text has the shape of a token this module made (no lookup for garbage). */
export const isApiTokenShape = (text: string): boolean => TOKEN_PATTERN.test(text);

/** The 401 for a bearer token that opens nothing, with the challenge RFC 6750 asks for. */
export const invalidToken = (why: string) =>
  new LatchkeyError(401, 'INVALID_TOKEN', `The API token is ${why}.`, {
    'www-authenticate': `Bearer realm="latchkey", error="invalid_token", error_description="The token is ${why}"`,
  });

/**
 * A preHandler that refuses a token-authenticated request whose token lacks `scope` (403,
 * `INSUFFICIENT_SCOPE`). Cookie sessions are a person at a browser and have every scope.
 *
 * @example
 * app.delete('/api/v1/things/:id', { preHandler: requireScope('write'), config: { apiTokens: true } }, handler);
 */
export function requireScope(scope: ApiTokenScope) {
  return async function requireScope(request: FastifyRequest): Promise<void> {
    const token = request.apiToken;
    if (!token || token.scopes.includes(scope)) return;
    throw new LatchkeyError(403, 'INSUFFICIENT_SCOPE', `This API token lacks the "${scope}" scope.`, {
      'www-authenticate': `Bearer realm="latchkey", error="insufficient_scope", scope="${scope}"`,
    });
  };
}
