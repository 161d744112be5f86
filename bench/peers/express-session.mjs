/**
 * Peer: Express 5 + express-session with better-sqlite3-session-store (the
 * sessions table sits beside the users table in one SQLite file).
 * SEED_SESSIONS pre-fills the sessions table with that many rows.
 */
import { randomBytes } from 'node:crypto';
import express from 'express';
import session from 'express-session';
import sqliteStoreFactory from 'better-sqlite3-session-store';
import { openAccounts, seedCount } from './accounts.mjs';
import { welcomePage, loginPage, signupPage } from './page.mjs';

const accounts = openAccounts('express-session');
const SqliteStore = sqliteStoreFactory(session);
const store = new SqliteStore({ client: accounts.db, expired: { clear: true, intervalMs: 900_000 } });
seedSessions(accounts.db, seedCount());

const csrfToken = randomBytes(16).toString('hex');
const app = express();
app.disable('x-powered-by');
app.use(express.urlencoded({ extended: false }));
app.use(session({
  secret: randomBytes(32).toString('hex'),
  store,
  resave: false,
  saveUninitialized: false,
  cookie: { path: '/', httpOnly: true, secure: false, sameSite: 'lax', maxAge: 86_400_000 },
}));

const html = (res, body, status = 200) => res.status(status).type('html').send(body);

function logInAs(req, res, userId) {
  req.session.regenerate((err) => {
    if (err) return res.status(500).send('session error');
    req.session.user_id = userId;
    res.redirect('/users/welcome');
  });
}

app.get('/users/signup', (req, res) => html(res, signupPage(csrfToken)));
app.get('/users/login', (req, res) => html(res, loginPage(csrfToken)));
app.post('/users/signup', async (req, res) => {
  const user = await accounts.signUp(req.body ?? {});
  if (!user) return html(res, signupPage(csrfToken), 422);
  logInAs(req, res, user.id);
});
app.post('/users/login', async (req, res) => {
  const user = await accounts.logIn(req.body ?? {});
  if (!user) return html(res, loginPage(csrfToken), 401);
  logInAs(req, res, user.id);
});
app.get('/users/welcome', (req, res) => {
  const user = accounts.findUser(req.session.user_id);
  if (!user) return res.redirect('/users/login');
  html(res, welcomePage(user, csrfToken));
});
app.get('/start_counter', (req, res) => {
  req.session.count = 0;
  res.type('text').send('New counter started!');
});
app.get('/count', (req, res) => {
  if (typeof req.session.count !== 'number') return res.type('text').send('No counter set!');
  req.session.count += 1;
  res.type('text').send(String(req.session.count));
});

function seedSessions(db, n) {
  if (n <= 0) return;
  const expire = new Date(Date.now() + 86_400_000).toISOString();
  const sess = (i) => JSON.stringify({ cookie: { originalMaxAge: 86_400_000, expires: expire, httpOnly: true, path: '/' }, user_id: i + 2 });
  const insert = db.prepare('INSERT OR REPLACE INTO sessions (sid, sess, expire) VALUES (?, ?, ?)');
  const batch = db.transaction((from, to) => { for (let i = from; i < to; i++) insert.run(randomBytes(24).toString('base64url'), sess(i), expire); });
  for (let i = 0; i < n; i += 50_000) batch(i, Math.min(n, i + 50_000));
}

app.listen(Number(process.env.PORT) || 3000, '127.0.0.1', () => console.log('ready'));
