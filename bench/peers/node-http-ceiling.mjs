/**
 * The ceiling: node:http answering fixed pages of the same size as the
 * others' welcome page. No session, no database, no bcrypt: nothing can be
 * faster on this machine with Node, so the others are measured against it.
 */
import { createServer } from 'node:http';
import { welcomePage, loginPage, signupPage } from './page.mjs';

const welcome = Buffer.from(welcomePage({ id: 1, username: 'bench_ceiling' }));
const login = Buffer.from(loginPage());
const signup = Buffer.from(signupPage());
const html = { 'content-type': 'text/html; charset=utf-8' };
const text = { 'content-type': 'text/plain; charset=utf-8' };

const routes = {
  'GET /users/welcome': [200, html, welcome],
  'GET /users/login': [200, html, login],
  'GET /users/signup': [200, html, signup],
  'GET /start_counter': [200, text, Buffer.from('New counter started!')],
  'GET /count': [200, text, Buffer.from('1')],
  'POST /users/signup': [302, { location: '/users/welcome', 'set-cookie': 'session=fixed; Path=/; HttpOnly' }, Buffer.alloc(0)],
  'POST /users/login': [302, { location: '/users/welcome', 'set-cookie': 'session=fixed; Path=/; HttpOnly' }, Buffer.alloc(0)],
};

createServer((req, res) => {
  const [status, headers, body] = routes[`${req.method} ${req.url.split('?')[0]}`] ?? [404, text, Buffer.from('Not found')];
  req.resume();
  res.writeHead(status, { ...headers, 'content-length': body.length });
  res.end(body);
}).listen(Number(process.env.PORT) || 3000, '127.0.0.1', () => console.log('ready'));
