// A whole app on Latchkey: its own users table on SQLite, sign up, log in, a private page, log out.
import { randomBytes } from 'node:crypto';
import formbody from '@fastify/formbody';
import Database from 'better-sqlite3';
import Fastify from 'fastify';
import latchkey, { createCredentials, createPasswordHasher, createSqliteSessionStore, logIn, logOut, passwordProblem } from 'latchkey';

const db = new Database(process.env.DATABASE ?? 'minimal.db');
db.exec('CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY, username TEXT NOT NULL UNIQUE, password_hash TEXT NOT NULL)');
const userById = db.prepare('SELECT id, username FROM users WHERE id = ?');
const userByName = db.prepare('SELECT id, username, password_hash FROM users WHERE username = ?');
const insertUser = db.prepare('INSERT INTO users (username, password_hash) VALUES (?, ?) ON CONFLICT DO NOTHING RETURNING id');

const passwords = createPasswordHasher();
const credentials = createCredentials({
  async findByUsername(username) {
    const row = userByName.get(username);
    return row ? { user: { id: row.id, username: row.username }, passwordHash: row.password_hash } : null;
  },
}, passwords);

const app = Fastify({ logger: true });
await app.register(formbody);
await app.register(latchkey, {
  // set SECRET_KEY (openssl rand -hex 32) to keep sessions across restarts
  secrets: [process.env.SECRET_KEY ?? randomBytes(32).toString('hex')],
  store: createSqliteSessionStore(db),
  users: { findById: async (id) => userById.get(id) ?? null },
  secure: process.env.NODE_ENV === 'production', // Secure cookies need HTTPS
  paths: { login: null, afterLogin: '/me' }, // not logged in: 401, not a redirect
});

const escape = (text) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
// returns the body, not the reply: Fastify sends it (a returned reply costs it extra work)
const page = (reply, status, body) => (reply.code(status).type('text/html'), `<!doctype html><title>Minimal</title>${body}`);
const form = (request, action, fields = '<input name="username" required> <input name="password" type="password" required> ') =>
  `<form method="post" action="${action}"><input type="hidden" name="csrf_token" value="${request.csrfToken()}">${fields}<button>${action.slice(1)}</button></form>`;
const pub = { config: { public: true } }; // every other route needs a logged-in user
const fields = (request) => ({ username: String(request.body?.username ?? ''), password: String(request.body?.password ?? '') });

app.get('/signup', pub, (request, reply) => page(reply, 200, form(request, '/signup')));
app.get('/login', pub, (request, reply) => page(reply, 200, form(request, '/login')));

app.post('/signup', pub, async (request, reply) => {
  const { username, password } = fields(request);
  const problem = /^[\w.-]{1,40}$/.test(username) ? passwordProblem(password, { username }) : 'Usernames are 1 to 40 letters, digits, _ . -';
  const row = problem ? null : insertUser.get(username, await passwords.hash(password));
  if (!row) return page(reply, 400, `<p>${escape(problem ?? 'That username is taken.')}</p>${form(request, '/signup')}`);
  logIn(request, row.id);
  return reply.redirect('/me');
});

app.post('/login', pub, async (request, reply) => {
  const { username, password } = fields(request);
  const user = await credentials.verifyCredentials(username, password);
  if (!user) return page(reply, 401, `<p>Invalid credentials.</p>${form(request, '/login')}`);
  logIn(request, user.id);
  return reply.redirect('/me');
});

app.get('/me', (request, reply) => page(reply, 200, `<p>Logged in as ${escape(request.user.username)}</p>${form(request, '/logout', '')}`));

app.post('/logout', (request, reply) => {
  logOut(request); // this session's id is dead, even in a copy of the cookie
  return reply.redirect('/login');
});

await app.listen({ port: Number(process.env.PORT ?? 3000), host: process.env.HOST ?? '127.0.0.1' });
