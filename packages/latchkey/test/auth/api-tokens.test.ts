import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import { type ApiTokenRecord, generateApiToken, latchkey, LatchkeyError, LatchkeyOptionsError, requireScope } from '../../src/index.js';
import { createMemorySessionStore } from '../../src/stores/memory-store.js';

const KEY = 'test-key-0123456789abcdef0123456789abcdef';

/** A bare Fastify app with the plugin, one user, and a token table in memory: the package alone. */
async function appWithTokens(records: Map<string, ApiTokenRecord>) {
  const app = Fastify();
  const store = createMemorySessionStore();
  const used: number[] = [];
  await app.register(latchkey, {
    secrets: [KEY],
    store,
    secure: false,
    users: { findById: async (id) => (id === 1 ? ({ name: 'alice' } as never) : null) },
    apiTokens: {
      findByHash: async (hash) => records.get(hash) ?? null,
      markUsed: async (_id, at) => void used.push(at),
    },
  });
  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof LatchkeyError) return reply.code(error.statusCode).headers(error.headers ?? {}).send({ code: error.code });
    return reply.code(500).send({ code: 'INTERNAL' });
  });
  const config = { apiTokens: true, loginRedirect: false };
  app.get('/whoami', { config }, async (request) => ({ user: request.user, token: request.apiToken?.id ?? null }));
  app.post('/things', { config, preHandler: requireScope('write') }, async () => ({ ok: true }));
  app.get('/cookie-only', { config: { loginRedirect: false } }, async (request) => ({ user: request.user }));
  return { app, store, used };
}

test('a bearer token authenticates only routes that take tokens, and saves no session', async () => {
  const { token, tokenHash } = generateApiToken();
  const { app, store, used } = await appWithTokens(new Map([[tokenHash, { id: 7, userId: 1, scopes: ['read'], expiresAt: Date.now() + 60_000, lastUsedAt: null }]]));
  const whoami = await app.inject({ url: '/whoami', headers: { authorization: `Bearer ${token}` } });
  assert.deepEqual(whoami.json(), { user: { name: 'alice' }, token: 7 });
  assert.equal(whoami.headers['set-cookie'], undefined);
  assert.deepEqual(await store.listUser(1, Date.now()), []);
  assert.equal(used.length, 1, 'the use is recorded');
  const elsewhere = await app.inject({ url: '/cookie-only', headers: { authorization: `Bearer ${token}` } });
  assert.equal(elsewhere.statusCode, 401, 'a route without config.apiTokens ignores the header');
  const write = await app.inject({ method: 'POST', url: '/things', headers: { authorization: `Bearer ${token}` } });
  assert.equal(write.statusCode, 403);
  assert.equal(write.json().code, 'INSUFFICIENT_SCOPE');
});

test('a token that opens nothing is a 401 with a Bearer challenge, never an anonymous visit', async () => {
  const { token, tokenHash } = generateApiToken();
  const { app } = await appWithTokens(new Map([[tokenHash, { id: 1, userId: 2, scopes: ['read'], expiresAt: Date.now() + 60_000, lastUsedAt: null }]]));
  for (const authorization of [`Bearer ${token}`, `Bearer ${generateApiToken().token}`, 'Bearer nonsense']) {
    const response = await app.inject({ url: '/whoami', headers: { authorization } });
    assert.equal(response.statusCode, 401, authorization);
    assert.match(String(response.headers['www-authenticate']), /error="invalid_token"/);
  }
});

test('the apiTokens option is checked at registration', async () => {
  const app = Fastify();
  await assert.rejects(
    async () => {
      await app.register(latchkey, { secrets: [KEY], store: createMemorySessionStore(), users: { findById: async () => null }, apiTokens: {} as never });
      await app.ready();
    },
    (error: unknown) => error instanceof LatchkeyOptionsError && /"apiTokens"/.test(error.message),
  );
});
