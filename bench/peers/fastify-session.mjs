/**
 * Peer: Fastify 5 + @fastify/cookie + @fastify/session with its default
 * memory store (a Map). SEED_SESSIONS pre-fills the Map with that many sessions.
 */
import { randomBytes } from 'node:crypto';
import Fastify from 'fastify';
import formbody from '@fastify/formbody';
import cookie from '@fastify/cookie';
import session from '@fastify/session';
import { openAccounts, seedCount } from './accounts.mjs';
import { registerBenchRoutes } from './fastify-routes.mjs';

const sessions = new Map();
for (let i = 0, n = seedCount(); i < n; i++) {
  const expires = new Date(Date.now() + 86_400_000);
  sessions.set(randomBytes(24).toString('base64url'), {
    cookie: { originalMaxAge: 86_400_000, expires, path: '/', httpOnly: true, secure: false, sameSite: 'lax' },
    user_id: i + 2,
  });
}

const app = Fastify({ logger: false });
await app.register(formbody);
await app.register(cookie);
await app.register(session, {
  secret: randomBytes(32).toString('hex'),
  store: new session.MemoryStore(sessions),
  saveUninitialized: false,
  cookie: { path: '/', httpOnly: true, secure: false, sameSite: 'lax', maxAge: 86_400_000 },
});

registerBenchRoutes(app, openAccounts('fastify-session'), {
  get: (req, key) => req.session.get(key),
  set: (req, key, value) => req.session.set(key, value),
  async login(req, userId) {
    await req.session.regenerate();
    req.session.set('user_id', userId);
  },
});

await app.listen({ port: Number(process.env.PORT) || 3000, host: '127.0.0.1' });
console.log(`ready sessions=${sessions.size}`);
