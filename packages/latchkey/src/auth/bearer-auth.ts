import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { storeUnavailable } from '../errors.js';
import type { UserLookup } from '../options.js';
import { Session } from '../sessions/session.js';
import { type ApiTokenSource, hashApiToken, invalidToken, isApiTokenShape } from './api-tokens.js';

/** A token's last use is written at most this often: not one write per request. */
const MARK_USED_EVERY_MS = 60_000;

/**
 * The onRequest hook that authenticates `Authorization: Bearer` on routes with
 * `config.apiTokens`. A valid token sets `request.user` and `request.apiToken`, and the request
 * gets a session of its own that is never saved: no cookie is read or set, no store row made, and
 * no CSRF token asked for (a browser never adds this header by itself, so a cross-site page
 * cannot make one). Any bearer token that opens nothing is a 401, never an anonymous visit.
 */
export function createBearerAuth(source: ApiTokenSource, users: UserLookup, now: () => number) {
  // callback style: a request without the header (every browser's) costs no promise
  return function authenticateBearer(request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void {
    const header = request.headers.authorization;
    if (header === undefined || !request.routeOptions.config.apiTokens) {
      done();
      return;
    }
    authenticate(request, header).then(() => done(), done);
  };

  async function authenticate(request: FastifyRequest, header: string): Promise<void> {
    const token = /^Bearer +(\S+) *$/i.exec(header)?.[1];
    if (token === undefined) throw invalidToken('missing: send "Authorization: Bearer <token>"');
    if (!isApiTokenShape(token)) throw invalidToken('malformed');
    const time = now();
    let record;
    let user;
    try {
      record = await source.findByHash(hashApiToken(token));
      user = record && record.expiresAt > time ? await users.findById(record.userId) : null;
    } catch (error) {
      request.log.error({ err: error }, 'API token lookup failed');
      throw storeUnavailable();
    }
    if (!record) throw invalidToken('unknown or revoked');
    if (record.expiresAt <= time) throw invalidToken('expired');
    if (!user) throw invalidToken('unknown or revoked');
    request.user = user;
    request.apiToken = { id: record.id, scopes: record.scopes };
    request.session = new Session({ userId: record.userId }, time);
    if (record.lastUsedAt === null || time - record.lastUsedAt >= MARK_USED_EVERY_MS) {
      // the last use is a courtesy on the devices page: a failure to record it refuses nothing
      await source.markUsed(record.id, time).catch((error: unknown) => request.log.warn({ err: error }, 'could not record an API token use'));
    }
  }
}
