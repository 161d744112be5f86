/**
 * Peer: Fastify 5 + @fastify/secure-session (the whole session sealed in the
 * cookie with libsodium; nothing stored server-side except the users table).
 */
import { randomBytes } from 'node:crypto';
import Fastify from 'fastify';
import formbody from '@fastify/formbody';
import secureSession from '@fastify/secure-session';
import { openAccounts } from './accounts.mjs';
import { registerBenchRoutes } from './fastify-routes.mjs';

const app = Fastify({ logger: false });
await app.register(formbody);
await app.register(secureSession, {
  key: randomBytes(32),
  cookie: { path: '/', httpOnly: true, sameSite: 'lax' },
});

registerBenchRoutes(app, openAccounts('fastify-secure-session'), {
  get: (req, key) => req.session.get(key),
  set: (req, key, value) => req.session.set(key, value),
  async login(req, userId) {
    req.session.regenerate();
    req.session.set('user_id', userId);
  },
});

await app.listen({ port: Number(process.env.PORT) || 3000, host: '127.0.0.1' });
console.log('ready');
