import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { safeNextPath } from 'latchkey';
import { PASSWORD, createTestApp, signUp } from '../helpers.js';
import { ClientAt, NO_THROTTLE } from './support.js';

const SITE = 'https://latchkey.example';

/** Where a browser on our site would go for a Location header (WHATWG URL parsing, as browsers do). */
const destination = (location: string) => new URL(location, `${SITE}/users/login`);

const HOSTILE = [
  '//evil.example',
  '///evil.example',
  '////evil.example',
  '/\\evil.example',
  '/\\/evil.example',
  '\\\\evil.example',
  '\\/evil.example',
  'https://evil.example',
  'http:evil.example',
  'HTTPS://evil.example/users/welcome',
  'javascript:alert(document.cookie)',
  'JaVaScRiPt:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  '%2F%2Fevil.example',
  '/%2F%2Fevil.example',
  '/%2f/evil.example',
  '/%5Cevil.example',
  '/%5C%5Cevil.example',
  '/\t/evil.example',
  '/%09/evil.example',
  '/\r\n/evil.example',
  '/%0d%0aSet-Cookie:%20pwned=1',
  '/users\r\nLocation: https://evil.example',
  '/.//evil.example',
  '/./\\evil.example',
  '/..//evil.example',
  '/a/..//evil.example',
  '/%2e%2e//evil.example',
  '/%2E//evil.example',
  '/.%2e//evil.example',
  ' //evil.example',
  '\u0000//evil.example',
  '/\u0000/evil.example',
  'evil.example',
  '@evil.example',
  '',
];

describe('safe redirects after login', () => {
  for (const next of HOSTILE) {
    test(`refuses ${JSON.stringify(next)}`, () => {
      assert.equal(safeNextPath(next), null);
    });
  }

  test('keeps paths, queries and fragments of this site', () => {
    assert.equal(safeNextPath('/users/5/messages'), '/users/5/messages');
    assert.equal(safeNextPath('/users/5/messages?page=2#latest'), '/users/5/messages?page=2#latest');
    assert.equal(safeNextPath('/messages'), '/messages');
    assert.equal(safeNextPath('/users/a/../5'), '/users/5');
  });

  test('refuses what is not a string, and very long values', () => {
    assert.equal(safeNextPath(undefined), null);
    assert.equal(safeNextPath(['/users']), null);
    assert.equal(safeNextPath(`/${'a'.repeat(3000)}`), null);
  });

  test('whatever it returns stays on this site, for thousands of crafted inputs', () => {
    const pieces = ['/', '\\', '//', '.', '..', '%2F', '%2f', '%5C', '%2e', '%252F', '\t', '%09', '@', ':', 'evil.example', 'https:', '?', '#', ' '];
    let seed = 42;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 20_000; i++) {
      const next = Array.from({ length: 1 + Math.floor(random() * 6) }, () => pieces[Math.floor(random() * pieces.length)]).join('');
      const path = safeNextPath(next);
      if (path === null) continue;
      assert.ok(path.startsWith('/') && !path.startsWith('//') && !path.includes('\\'), JSON.stringify({ next, path }));
      assert.equal(destination(path).origin, SITE, JSON.stringify({ next, path }));
    }
  });

  test('a hostile next sends the user to the welcome page, a local one is followed', async () => {
    const app = await createTestApp({ loginThrottle: NO_THROTTLE });
    const client = new ClientAt(app, '198.51.100.7');
    await signUp(client, 'alice');
    for (const next of ['//evil.example', '/.//evil.example', '/%5Cevil.example', 'https://evil.example']) {
      await client.post('/users/logout');
      const page = await client.get(`/users/login?next=${encodeURIComponent(next)}`);
      assert.doesNotMatch(page.body, /name="next"/, `the form carries no ${next}`);
      const response = await client.post('/users/login', { username: 'alice', password: PASSWORD, next });
      assert.equal(response.location, '/users/welcome', next);
    }
    await client.post('/users/logout');
    await client.get('/users/login?next=%2Fusers%2F1%2Fmessages');
    const response = await client.post('/users/login', { username: 'alice', password: PASSWORD, next: '/users/1/messages' });
    assert.equal(response.location, '/users/1/messages');
  });
});
