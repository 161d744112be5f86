import type { Kysely } from 'kysely';
import { API_TOKEN_SCOPES, type ApiTokenScope, type ApiTokenSource, generateApiToken } from 'latchkey';
import type { ApiTokenRow, Schema } from '../db/schema.js';

/** An API token as its owner sees it: everything but the token, which is shown once at creation. */
export interface ApiToken {
  id: number;
  userId: number;
  name: string;
  scopes: ApiTokenScope[];
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
}

export interface NewApiToken {
  name: string;
  scopes: ApiTokenScope[];
  expiresAt: Date;
}

/** The app's API tokens; also the `ApiTokenSource` Latchkey authenticates bearer requests with. */
export interface ApiTokenRepository extends ApiTokenSource {
  /** Makes a token; the plain token is in the result and nowhere else, ever. */
  create(userId: number, token: NewApiToken): Promise<{ token: string; apiToken: ApiToken }>;
  /** The user's tokens, newest first, expired ones included (they say so). */
  listByUser(userId: number): Promise<ApiToken[]>;
  countByUser(userId: number): Promise<number>;
  /** Revokes one of the user's tokens; false when they have no such token. */
  revoke(userId: number, id: number): Promise<boolean>;
  /** Revokes every token of the user (a new password); says how many. */
  revokeAll(userId: number): Promise<number>;
}

const toApiToken = (row: ApiTokenRow): ApiToken => ({
  id: row.id,
  userId: row.user_id,
  name: row.name,
  scopes: row.scopes.split(' ').filter((scope): scope is ApiTokenScope => (API_TOKEN_SCOPES as readonly string[]).includes(scope)),
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  lastUsedAt: row.last_used_at,
});

export function createApiTokenRepository(db: Kysely<Schema>): ApiTokenRepository {
  return {
    async create(userId, { name, scopes, expiresAt }) {
      const { token, tokenHash } = generateApiToken();
      const row = await db
        .insertInto('api_tokens')
        .values({
          user_id: userId,
          name,
          token_hash: tokenHash,
          scopes: scopes.join(' '),
          created_at: new Date().toISOString(),
          expires_at: expiresAt.toISOString(),
          last_used_at: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return { token, apiToken: toApiToken(row) };
    },
    async listByUser(userId) {
      const rows = await db.selectFrom('api_tokens').selectAll().where('user_id', '=', userId).orderBy('id', 'desc').execute();
      return rows.map(toApiToken);
    },
    async countByUser(userId) {
      const { count } = await db
        .selectFrom('api_tokens')
        .select((eb) => eb.fn.countAll<number | string>().as('count'))
        .where('user_id', '=', userId)
        .executeTakeFirstOrThrow();
      return Number(count);
    },
    async revoke(userId, id) {
      const result = await db.deleteFrom('api_tokens').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
    async revokeAll(userId) {
      const result = await db.deleteFrom('api_tokens').where('user_id', '=', userId).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    async findByHash(tokenHash) {
      const row = await db.selectFrom('api_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
      if (!row) return null;
      const token = toApiToken(row);
      return {
        id: token.id,
        userId: token.userId,
        scopes: token.scopes,
        expiresAt: Date.parse(token.expiresAt),
        lastUsedAt: token.lastUsedAt === null ? null : Date.parse(token.lastUsedAt),
      };
    },
    async markUsed(id, at) {
      await db.updateTable('api_tokens').set({ last_used_at: new Date(at).toISOString() }).where('id', '=', Number(id)).execute();
    },
  };
}
