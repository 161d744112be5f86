import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createMemorySessionStore, type SessionStore } from 'latchkey';
import { Client, createTestApp, PASSWORD, signUp } from '../helpers.js';

/** A store that can be switched off, as a database or Redis going away would. */
function flakyStore() {
  const inner = createMemorySessionStore();
  let down = false;
  const guard = <A extends unknown[], R>(method: (...args: A) => Promise<R>) => async (...args: A): Promise<R> => {
    if (down) throw new Error('connection refused');
    return method(...args);
  };
  const store: SessionStore = Object.fromEntries(
    Object.entries(inner).map(([name, method]) => [name, guard((method as (...args: unknown[]) => Promise<unknown>).bind(inner))]),
  ) as unknown as SessionStore;
  return { store, setDown: (value: boolean) => (down = value) };
}

describe('when the session store fails', () => {
  test('protected pages fail closed with a 503 page, never "anonymous but 200"', async () => {
    const flaky = flakyStore();
    const client = new Client(await createTestApp({}, { sessionStore: flaky.store }));
    await signUp(client, 'alice');
    flaky.setDown(true);
    const response = await client.get('/users/welcome');
    assert.equal(response.statusCode, 503);
    assert.match(response.body, /Sessions are unavailable right now/);
    assert.doesNotMatch(response.body, /connection refused|at .*\.ts/);
    flaky.setDown(false);
    assert.equal((await client.get('/users/welcome')).statusCode, 200, 'and recover when it comes back');
  });

  test('login answers 503 and logs nobody in', async () => {
    const flaky = flakyStore();
    const client = new Client(await createTestApp({}, { sessionStore: flaky.store }));
    await signUp(client, 'alice');
    await client.post('/users/logout');
    await client.get('/users/login');
    flaky.setDown(true);
    const response = await client.post('/users/login', { username: 'alice', password: PASSWORD });
    assert.equal(response.statusCode, 503);
    flaky.setDown(false);
    assert.equal((await client.get('/users/welcome')).statusCode, 302);
  });
});
