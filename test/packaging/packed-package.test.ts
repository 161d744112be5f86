import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Installed, installAsOutsider, REPO, run, startExample } from './outsider.js';

// A user outside this repository: the packed tarball, installed with a copy of examples/minimal,
// run with `npm start` and used over HTTP; and a TypeScript file type-checked against it.

let installed: Installed;
let example: { url: string; stop(): Promise<void> };

before(async () => {
  installed = await installAsOutsider(['@types/node@20']);
  example = await startExample(installed.app, join(installed.app, 'minimal.db'));
}, { timeout: 600_000 });

after(async () => {
  await example?.stop();
  installed?.remove();
});

/** A browser in miniature over real HTTP: a cookie jar, forms with the page's CSRF token. */
function browser(cookies = new Map<string, string>()) {
  let csrf = '';
  async function request(method: string, path: string, form?: Record<string, string>) {
    const headers: Record<string, string> = { cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; ') };
    let body: string | undefined;
    if (form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(form).toString();
    }
    const response = await fetch(new URL(path, example.url), { method, headers, body, redirect: 'manual', signal: AbortSignal.timeout(10_000) });
    for (const header of response.headers.getSetCookie()) {
      const [pair = ''] = header.split(';');
      const name = pair.slice(0, pair.indexOf('='));
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(header)) cookies.delete(name);
      else cookies.set(name, pair.slice(pair.indexOf('=') + 1));
    }
    const text = await response.text();
    csrf = /name="csrf_token" value="([^"]+)"/.exec(text)?.[1] ?? csrf;
    return { status: response.status, location: response.headers.get('location'), text };
  }
  return {
    cookies,
    get: (path: string) => request('GET', path),
    /** Posts a form the way a browser does after showing `page`: with the page's CSRF token. */
    async submit(page: string, action: string, fields: Record<string, string>) {
      await request('GET', page);
      return request('POST', action, { csrf_token: csrf, ...fields });
    },
    post: (path: string, form: Record<string, string>) => request('POST', path, form),
  };
}

const alice = { username: 'alice', password: 'correct horse battery' };

describe('the packed package, as an outsider installs it', () => {
  test('holds the built code, its README and package.json, and nothing else', () => {
    const stray = installed.packedFiles.filter((path) => !path.startsWith('dist/') && path !== 'README.md' && path !== 'package.json');
    assert.deepEqual(stray, []);
    assert.ok(installed.packedFiles.includes('README.md'), 'the README ships');
    assert.ok(installed.packedFiles.includes('dist/index.d.ts') && installed.packedFiles.includes('dist/testing.d.ts'), 'both entries ship their types');
    assert.ok(!installed.packedFiles.some((path) => path.endsWith('.map') || path.includes('.test.')), 'no source maps to missing sources, no tests');
  });

  test('the example answers 401 at /me before anyone logs in', async () => {
    assert.equal((await browser().get('/me')).status, 401);
  });

  test('signs up, shows the username at /me, logs out, and a copy of the old cookie is dead', async () => {
    const visitor = browser();
    const signup = await visitor.submit('/signup', '/signup', alice);
    assert.equal(signup.status, 302);
    assert.equal(signup.location, '/me');
    const me = await visitor.get('/me');
    assert.equal(me.status, 200);
    assert.match(me.text, /alice/);
    assert.match(me.text, /<form method="post" action="\/logout"><input type="hidden" name="csrf_token"/);

    const stolen = browser(new Map(visitor.cookies));
    assert.equal((await stolen.get('/me')).status, 200, 'the copy works while the session lives');
    const logout = await visitor.submit('/me', '/logout', {});
    assert.equal(logout.status, 302);
    assert.equal((await visitor.get('/me')).status, 401);
    assert.equal((await stolen.get('/me')).status, 401, 'the copied cookie died with the session');
  });

  test('logs back in with the same password', async () => {
    const visitor = browser();
    const login = await visitor.submit('/login', '/login', alice);
    assert.equal(login.status, 302);
    assert.equal(login.location, '/me');
    assert.match((await visitor.get('/me')).text, /Logged in as alice/);
  });

  test('refuses a wrong password, a taken username and a form without its CSRF token', async () => {
    const visitor = browser();
    assert.equal((await visitor.submit('/login', '/login', { ...alice, password: 'wrong horse battery' })).status, 401);
    assert.equal((await visitor.get('/me')).status, 401);
    assert.equal((await visitor.submit('/signup', '/signup', alice)).status, 400);
    assert.equal((await visitor.post('/login', alice)).status, 403);
  });
});

describe('types for a TypeScript consumer of the packed package', () => {
  test("type-check `import latchkey, { requireLogin } from 'latchkey'`, request.session, request.user and request.cookies", async () => {
    writeFileSync(join(installed.app, 'consumer.ts'), CONSUMER);
    writeFileSync(join(installed.app, 'tsconfig.json'), JSON.stringify(TSCONFIG));
    const tsc = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
    await run(process.execPath, [tsc, '-p', '.'], { cwd: installed.app, timeoutMs: 120_000 }).catch((error: Error) => assert.fail(error.message));
  });

  test('a type error in the consumer fails the check (the check is not vacuous)', async () => {
    writeFileSync(join(installed.app, 'consumer.ts'), `${CONSUMER}\nconst wrong: number = ({} as import('fastify').FastifyRequest).user!.username;\n`);
    const tsc = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
    await assert.rejects(run(process.execPath, [tsc, '-p', '.'], { cwd: installed.app, timeoutMs: 120_000 }), /TS2322/);
  });
});

// `skipLibCheck: true` as `tsc --init` writes it: the store factories' parameter types come from
// the drivers' own types (pg, ioredis, mysql2, better-sqlite3), which an app installs only for
// the stores it uses
const TSCONFIG = {
  compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true, types: ['node'] },
  include: ['consumer.ts'],
};

const CONSUMER = `
import Fastify from 'fastify';
import latchkey, { createMemorySessionStore, LatchkeyError, logIn, requireLogin, type SessionStore } from 'latchkey';
import { testSessionStore } from 'latchkey/testing';

interface User {
  id: number;
  username: string;
}
declare module 'latchkey' {
  interface LatchkeyUser extends User {}
}

const store: SessionStore = createMemorySessionStore();
const app = Fastify();
await app.register(latchkey, { secrets: ['x'.repeat(32)], store, users: { findById: async (id) => ({ id: Number(id), username: 'alice' }) } });
// @ts-expect-error the option is \`secrets\`, a list
await app.register(latchkey, { secret: 'x'.repeat(32), store, users: { findById: async () => null } });

app.get('/me', { preHandler: requireLogin() }, async (request) => {
  const name: string | undefined = request.user?.username;
  const visits = request.session.get<number>('visits') ?? 0;
  request.session.set('visits', visits + 1);
  const theme: string | undefined = request.cookies.theme;
  return { name, theme, token: request.csrfToken() };
});
app.post('/login', { config: { public: true, csrf: true } }, async (request) => {
  logIn(request, 1, { remember: true });
  // @ts-expect-error a session holds JSON values, not functions
  request.session.set('callback', () => 1);
  return app.latchkey.listMySessions(request);
});
app.setErrorHandler((error, _request, reply) => {
  if (error instanceof LatchkeyError) return reply.code(error.statusCode).send({ code: error.code });
  throw error;
});
testSessionStore('memory', async () => ({ store, cleanup: async () => {} }));
`;
