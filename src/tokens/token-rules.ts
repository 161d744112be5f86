import { API_TOKEN_SCOPES, type ApiTokenScope } from 'latchkey';
import type { FieldErrors } from '../views/form.js';
import type { ApiToken, ApiTokenRepository, NewApiToken } from './token-repository.js';

export const MAX_TOKEN_NAME_CHARACTERS = 100;
export const MAX_TOKEN_DAYS = 365;
export const DEFAULT_TOKEN_DAYS = 30;
/** Tokens one user may hold at once: a bound on rows, and on what a stolen session can hand out. */
export const MAX_TOKENS_PER_USER = 50;
const DAY_MS = 86_400_000;

/** What a person asks for, from the devices page's form or the API's JSON. */
export interface TokenRequest {
  name: string;
  scopes: readonly string[];
  expiresInDays: number;
}

/**
 * Checks a request for a new token: a name, at least one known scope, and an expiry of 1 to 365
 * days (a token that never ends is a password nobody rotates). `now` fixes the expiry.
 */
export function validateTokenRequest(input: TokenRequest, now: number): { token: NewApiToken; errors: FieldErrors; ok: boolean } {
  const name = input.name.trim();
  const errors: FieldErrors = {};
  if (name === '' || [...name].length > MAX_TOKEN_NAME_CHARACTERS) errors.name = `Name the token in 1 to ${MAX_TOKEN_NAME_CHARACTERS} characters.`;
  const scopes = API_TOKEN_SCOPES.filter((scope) => input.scopes.includes(scope));
  if (scopes.length === 0 || input.scopes.some((scope) => !(API_TOKEN_SCOPES as readonly string[]).includes(scope))) {
    errors.scopes = 'Choose read, write or both.';
  }
  const days = input.expiresInDays;
  if (!Number.isInteger(days) || days < 1 || days > MAX_TOKEN_DAYS) errors.expires_in_days = `Choose 1 to ${MAX_TOKEN_DAYS} days.`;
  const token = { name, scopes: scopes as ApiTokenScope[], expiresAt: new Date(now + (Number.isInteger(days) ? days : 0) * DAY_MS) };
  return { token, errors, ok: Object.keys(errors).length === 0 };
}

export type IssueOutcome =
  | { ok: true; token: string; apiToken: ApiToken }
  | { ok: false; status: 409 | 422; errors: FieldErrors };

/**
 * Makes a token for `userId` if the request is valid and the user holds fewer than
 * MAX_TOKENS_PER_USER. The devices page and `POST /api/v1/tokens` both come here.
 */
export async function issueApiToken(tokens: ApiTokenRepository, userId: number, input: TokenRequest, now: number): Promise<IssueOutcome> {
  const { token, errors, ok } = validateTokenRequest(input, now);
  if (!ok) return { ok: false, status: 422, errors };
  if ((await tokens.countByUser(userId)) >= MAX_TOKENS_PER_USER) {
    return { ok: false, status: 409, errors: { name: `You hold ${MAX_TOKENS_PER_USER} tokens already: revoke one first.` } };
  }
  return { ok: true, ...(await tokens.create(userId, token)) };
}
