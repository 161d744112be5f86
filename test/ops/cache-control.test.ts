import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { Client, createTestApp, PASSWORD, type Response, signUp } from '../helpers.js';

/** Every route of the app as `METHOD /pattern`, read from Fastify's own route tree. */
async function routesOf(app: FastifyInstance): Promise<Set<string>> {
  await app.ready();
  const routes = new Set<string>();
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^([│ ]*)[├└]── (\S+) \(([^)]+)\)/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    stack.length = depth;
    const path = `${stack[depth - 1] ?? ''}${match[2]}`.replace(/^\/\//, '/');
    stack[depth] = path;
    for (const method of match[3]!.split(', ')) if (method !== 'HEAD') routes.add(`${method} ${path}`);
  }
  return routes;
}

/**
 * Visits every page and form of the app, logged out and logged in, errors included, and returns
 * each response under the route it exercised.
 */
async function everyResponse(app: FastifyInstance) {
  const seen: Array<{ route: string; response: Response; loggedIn: boolean }> = [];
  const visit = async (client: Client, route: string, send: () => Promise<Response>, loggedIn = false) => {
    const response = await send();
    seen.push({ route, response, loggedIn });
    return response;
  };
  const visitor = new Client(app);
  for (const path of ['/', '/users/login', '/users/signup', '/users/logout', '/messages', '/healthz', '/readyz', '/static/app.css', '/static/favicon.svg']) {
    await visit(visitor, `GET ${path}`, () => new Client(app).get(path));
  }
  for (const path of ['/start_counter', '/count', '/get_count', '/clear_count', '/cookies', '/cookies/set?username=guest']) {
    await visit(visitor, `GET ${path.replace(/\?.*/, '')}`, () => visitor.get(path));
  }
  await visit(visitor, 'GET /users/welcome', () => new Client(app).get('/users/welcome'));
  const token = 'x'.repeat(43); // a link that does not work: the page still says so without being cached
  const recovery = [
    ['GET /users/password/forgot', '/users/password/forgot'],
    ['GET /users/password/reset/:token', `/users/password/reset/${token}`],
    ['GET /users/email/confirm/:token', `/users/email/confirm/${token}`],
    ['GET /dev/outbox', '/dev/outbox'],
    ['GET /dev/outbox/:id', '/dev/outbox/1'],
    ['GET /dev/outbox/:id/html', '/dev/outbox/1/html'],
  ] as const;
  for (const [route, path] of recovery) await visit(visitor, route, () => visitor.get(path));
  await visit(visitor, 'POST /users/password/forgot', () => visitor.post('/users/password/forgot', { login: 'alice' }));
  await visit(visitor, 'POST /users/password/reset/:token', () => visitor.post(`/users/password/reset/${token}`, { password: 'a long new passphrase' }));
  await visit(visitor, 'POST /users/email/confirm/:token', () => visitor.post(`/users/email/confirm/${token}`));
  await visit(visitor, 'POST /users/login', () => visitor.post('/users/login', { username: 'nobody', password: 'wrong password' }));
  await visit(visitor, 'POST /users/signup', () => visitor.post('/users/signup', { username: '', password: '' }));
  await visit(visitor, 'POST /users/logout', () => new Client(app).post('/users/logout', {}, {}));

  const alice = new Client(app);
  const id = await signUp(alice, 'alice');
  const bob = new Client(app);
  const bobId = await signUp(bob, 'bob');
  await alice.get(`/users/${id}/messages/new`);
  const created = await visit(alice, 'POST /users/:id/messages', () => alice.post(`/users/${id}/messages`, { content: 'hello' }), true);
  const messageId = /\/messages\/(\d+)/.exec(created.location ?? '')?.[1] ?? '1';
  const pages = [
    ['GET /', '/'],
    ['GET /users/welcome', '/users/welcome'],
    ['GET /users', '/users'],
    ['GET /users/:id', `/users/${bobId}`],
    ['GET /users/:id/edit', `/users/${id}/edit`],
    ['GET /users/:id/delete', `/users/${id}/delete`],
    ['GET /users/:id/sessions', `/users/${id}/sessions`],
    ['GET /users/:id/messages', `/users/${id}/messages`],
    ['GET /users/:id/messages/new', `/users/${id}/messages/new`],
    ['GET /users/:id/messages/:mid', `/users/${id}/messages/${messageId}`],
    ['GET /users/:id/messages/:mid/edit', `/users/${id}/messages/${messageId}/edit`],
    ['GET /users/:id/messages/:mid/delete', `/users/${id}/messages/${messageId}/delete`],
    ['GET /messages', '/messages'],
    ['GET /count', '/count'],
    ['GET /cookies', '/cookies'],
    ['GET /users/login', '/users/login'],
    ['GET /users/logout', '/users/logout'],
    ['GET /no/such/page', '/no/such/page'],
  ] as const;
  for (const [route, path] of pages) await visit(alice, route, () => alice.get(path), true);
  await alice.get(`/users/${id}/messages/${messageId}/edit`);
  await visit(alice, 'PATCH /users/:id/messages/:mid', () => alice.post(`/users/${id}/messages/${messageId}?_method=PATCH`, { content: 'changed' }), true);
  await visit(alice, 'DELETE /users/:id/messages/:mid', () => alice.post(`/users/${id}/messages/${messageId}?_method=DELETE`), true);
  await alice.get(`/users/${id}/edit`);
  await visit(alice, 'PATCH /users/:id', () => alice.post(`/users/${id}?_method=PATCH`, { username: 'alice', first_name: 'A', last_name: 'B', password: '' }), true);
  await alice.get(`/users/${id}`);
  await visit(alice, 'POST /users/:id/email/verification', () => alice.post(`/users/${id}/email/verification`), true);
  await visit(alice, 'POST /users/:id/messages (someone else)', () => alice.post(`/users/${bobId}/messages`, { content: 'no' }), true);
  const phone = new Client(app);
  await phone.get('/users/login');
  await phone.post('/users/login', { username: 'alice', password: PASSWORD });
  await alice.get(`/users/${id}/sessions`);
  const handle = /\/sessions\/([A-Za-z0-9_-]{16})/.exec((await alice.get(`/users/${id}/sessions`)).body)?.[1] ?? 'x'.repeat(16);
  await visit(alice, 'DELETE /users/:id/sessions/:sid', () => alice.post(`/users/${id}/sessions/${handle}?_method=DELETE`), true);
  await visit(alice, 'DELETE /users/:id/sessions', () => alice.post(`/users/${id}/sessions?_method=DELETE`), true);
  // API tokens on the devices page, and the JSON API (src/api), with the session cookie
  await alice.get(`/users/${id}/sessions`);
  const tokenPage = await visit(alice, 'POST /users/:id/tokens', () => alice.post(`/users/${id}/tokens`, { name: 'script', scope_read: 'on', expires_in_days: '7' }), true);
  const bearer = /<code class="token">(lk_[^<]+)</.exec(tokenPage.body)?.[1] ?? '';
  const tokenId = /\/tokens\/(\d+)\?_method=DELETE/.exec((await alice.get(`/users/${id}/sessions`)).body)?.[1] ?? '1';
  await visit(alice, 'DELETE /users/:id/tokens/:tid', () => alice.post(`/users/${id}/tokens/${tokenId}?_method=DELETE`), true);
  for (const path of ['/api/openapi.json', '/api/docs']) await visit(visitor, `GET ${path}`, () => new Client(app).get(path));
  const carol = new Client(app);
  const json = (client: Client, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown, headers: Record<string, string> = {}) =>
    client.request({ method, url, headers: { 'content-type': 'application/json', 'x-csrf-token': client.csrf, ...headers }, ...(body === undefined ? {} : { payload: JSON.stringify(body) }) });
  const signedUp = await visit(carol, 'POST /api/v1/users', () => json(carol, 'POST', '/api/v1/users', { username: 'carol', password: PASSWORD }));
  carol.csrf = (JSON.parse(signedUp.body) as { csrf_token: string }).csrf_token;
  const carolId = (JSON.parse(signedUp.body) as { user: { id: number } }).user.id;
  const loggedInAgain = await visit(new Client(app), 'POST /api/v1/session', () => json(new Client(app), 'POST', '/api/v1/session', { username: 'carol', password: PASSWORD }));
  assert.equal(loggedInAgain.statusCode, 200);
  for (const [route, body] of [
    ['/api/v1/password/forgot', { login: 'carol' }],
    ['/api/v1/password/reset', { token, password: 'a long new passphrase' }],
    ['/api/v1/email/confirm', { token }],
  ] as const) {
    await visit(visitor, `POST ${route}`, () => json(new Client(app), 'POST', route, body));
  }
  const posted = await visit(carol, 'POST /api/v1/users/:id/messages', () => json(carol, 'POST', `/api/v1/users/${carolId}/messages`, { content: 'hi' }), true);
  const mid = (JSON.parse(posted.body) as { id: number }).id;
  const apiVisits = [
    ['GET /api/v1/me', 'GET', '/api/v1/me'],
    ['GET /api/v1/users', 'GET', '/api/v1/users'],
    ['GET /api/v1/users/:id', 'GET', `/api/v1/users/${carolId}`],
    ['PATCH /api/v1/users/:id', 'PATCH', `/api/v1/users/${carolId}`, { first_name: 'Carol' }],
    ['GET /api/v1/messages', 'GET', '/api/v1/messages'],
    ['GET /api/v1/users/:id/messages', 'GET', `/api/v1/users/${carolId}/messages`],
    ['GET /api/v1/users/:id/messages/:mid', 'GET', `/api/v1/users/${carolId}/messages/${mid}`],
    ['PATCH /api/v1/users/:id/messages/:mid', 'PATCH', `/api/v1/users/${carolId}/messages/${mid}`, { content: 'changed' }],
    ['DELETE /api/v1/users/:id/messages/:mid', 'DELETE', `/api/v1/users/${carolId}/messages/${mid}`],
    ['GET /api/v1/sessions', 'GET', '/api/v1/sessions'],
    ['DELETE /api/v1/sessions/:handle', 'DELETE', `/api/v1/sessions/${'x'.repeat(16)}`],
    ['DELETE /api/v1/sessions', 'DELETE', '/api/v1/sessions'],
    ['GET /api/v1/tokens', 'GET', '/api/v1/tokens'],
    ['POST /api/v1/tokens', 'POST', '/api/v1/tokens', { name: 'ci', scopes: ['read'] }],
    ['DELETE /api/v1/tokens/:id', 'DELETE', '/api/v1/tokens/999'],
    ['POST /api/v1/email/verification', 'POST', '/api/v1/email/verification'],
  ] as const;
  for (const [route, method, url, body] of apiVisits) await visit(carol, route, () => json(carol, method, url, body), true);
  await visit(new Client(app), 'GET /api/v1/me (bearer)', () => new Client(app).get('/api/v1/me', { authorization: `Bearer ${bearer}` }));
  await visit(carol, 'DELETE /api/v1/users/:id', () => json(carol, 'DELETE', `/api/v1/users/${carolId}`, { current_password: PASSWORD }), true);
  await visit(carol, 'DELETE /api/v1/session', () => json(carol, 'DELETE', '/api/v1/session'));

  await visit(alice, 'POST /users/logout', () => alice.post('/users/logout'), true);
  await visit(bob, 'POST /users/logout (cross-site)', () => bob.post('/users/logout', {}, { 'sec-fetch-site': 'cross-site' }), true);
  await bob.get(`/users/${bobId}/delete`);
  await visit(bob, 'DELETE /users/:id', () => bob.post(`/users/${bobId}?_method=DELETE`), true);
  return seen;
}

test('every response that sets a cookie, and every page for a logged-in user, says Cache-Control: no-store, page by page', async () => {
  const app = await createTestApp();
  const seen = await everyResponse(app);
  const checked = new Set(seen.map(({ route }) => route));
  const problems: string[] = [];
  for (const { route, response, loggedIn } of seen) {
    const cookies = response.headers['set-cookie'];
    const noStore = /no-store/.test(String(response.headers['cache-control'] ?? ''));
    if (cookies !== undefined && !noStore) problems.push(`${route} (${response.statusCode}) sets ${String(cookies).split('=')[0]} but may be cached`);
    if (loggedIn && response.statusCode !== 404 && !noStore && !route.startsWith('GET /static')) problems.push(`${route} (${response.statusCode}) for a logged-in user may be cached`);
  }
  assert.deepEqual(problems, []);
  const settingCookies = seen.filter(({ response }) => response.headers['set-cookie'] !== undefined).map(({ route }) => route);
  assert.ok(settingCookies.length >= 15, `the visit meets many responses that set cookies (${settingCookies.length})`);
  // a page added later must be added here too
  // POST /users/:id… routes that only stand for PATCH or DELETE (method override) are visited as those
  const overridden = /^POST \/users\/:id(\/sessions(\/:sid)?|\/messages\/:mid|\/tokens\/:tid)?$/;
  const unvisited = [...(await routesOf(app))].filter((route) => !checked.has(route) && !overridden.test(route));
  assert.deepEqual(unvisited, [], 'routes this test does not visit yet');
});
