import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Schema } from '../db/schema.js';

/** What a link sent by mail is for. */
export type TokenPurpose = 'password-reset' | 'email-verify' | 'email-change';

/** How long each kind of link works: OWASP's short life for a reset, a day to confirm an address. */
export const TOKEN_LIFETIME_MS: Readonly<Record<TokenPurpose, number>> = {
  'password-reset': 30 * 60_000,
  'email-verify': 24 * 3_600_000,
  'email-change': 24 * 3_600_000,
};

/** What a valid token stands for. */
export interface TokenGrant {
  userId: number;
  purpose: TokenPurpose;
  /** The address it confirms; null for a password reset. */
  email: string | null;
  /** Still valid only while the password hash digests to this. */
  passwordFingerprint: string;
  expiresAt: number;
}

/**
 * Single-use tokens for links in mail. A token is 256 random bits; only its SHA-256 is stored (a
 * leaked table opens nothing, and a fast hash is enough for a random value of that size). A user
 * holds at most one live token per purpose: issuing one deletes the older ones.
 */
export interface EmailTokens {
  /** A new token; older tokens of the user for `purpose` stop working. */
  issue(userId: number, purpose: TokenPurpose, details: { email?: string | null; passwordHash: string }): Promise<string>;
  /** What the token grants, without using it up; null when unknown, tampered, expired or superseded. */
  peek(token: string, purposes: readonly TokenPurpose[]): Promise<TokenGrant | null>;
  /** Uses the token up: of two requests racing with one token, one gets the grant, the other null. */
  consume(token: string, purposes: readonly TokenPurpose[]): Promise<TokenGrant | null>;
  /** The address of the user's live token for `purpose` (a change of address waiting), or null. */
  pendingEmail(userId: number, purpose: TokenPurpose): Promise<string | null>;
  /** Ends the user's live tokens (of one purpose, or all). */
  revoke(userId: number, purpose?: TokenPurpose): Promise<void>;
  /** Deletes expired tokens; returns how many. */
  sweep(): Promise<number>;
}

/** 32 random bytes, base64url: exactly 43 characters from this alphabet. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

const digest = (value: string) => createHash('sha256').update(value).digest('base64url');

/**
 * A digest of the password hash, kept with each token: a token made before the password changed
 * no longer matches it, wherever the change came from (the profile, a reset, the command line).
 */
export const passwordFingerprint = (passwordHash: string) => digest(`password:${passwordHash}`);

export function createEmailTokens(db: Kysely<Schema>, now: () => number): EmailTokens {
  const toGrant = (row: { user_id: number; purpose: string; email: string | null; password_fingerprint: string; expires_at: number | string }): TokenGrant => ({
    userId: row.user_id,
    purpose: row.purpose as TokenPurpose,
    email: row.email,
    passwordFingerprint: row.password_fingerprint,
    expiresAt: Number(row.expires_at),
  });

  return {
    async issue(userId, purpose, { email = null, passwordHash }) {
      const token = randomBytes(32).toString('base64url');
      const issuedAt = now();
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('email_tokens').where('user_id', '=', userId).where('purpose', '=', purpose).execute();
        await trx
          .insertInto('email_tokens')
          .values({
            user_id: userId,
            purpose,
            token_hash: digest(token),
            email,
            password_fingerprint: passwordFingerprint(passwordHash),
            created_at: issuedAt,
            expires_at: issuedAt + TOKEN_LIFETIME_MS[purpose],
          })
          .execute();
      });
      return token;
    },
    async peek(token, purposes) {
      if (!TOKEN_PATTERN.test(token)) return null;
      const row = await db
        .selectFrom('email_tokens')
        .selectAll()
        .where('token_hash', '=', digest(token))
        .where('purpose', 'in', purposes)
        .executeTakeFirst();
      return row && Number(row.expires_at) > now() ? toGrant(row) : null;
    },
    async consume(token, purposes) {
      if (!TOKEN_PATTERN.test(token)) return null;
      const row = await db
        .deleteFrom('email_tokens')
        .where('token_hash', '=', digest(token))
        .where('purpose', 'in', purposes)
        .returningAll()
        .executeTakeFirst();
      return row && Number(row.expires_at) > now() ? toGrant(row) : null;
    },
    async pendingEmail(userId, purpose) {
      const row = await db
        .selectFrom('email_tokens')
        .select('email')
        .where('user_id', '=', userId)
        .where('purpose', '=', purpose)
        .where('expires_at', '>', now())
        .executeTakeFirst();
      return row?.email ?? null;
    },
    async revoke(userId, purpose) {
      await db
        .deleteFrom('email_tokens')
        .where('user_id', '=', userId)
        .$if(purpose !== undefined, (qb) => qb.where('purpose', '=', purpose!))
        .execute();
    },
    async sweep() {
      const result = await db.deleteFrom('email_tokens').where('expires_at', '<=', now()).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
