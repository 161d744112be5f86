import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createMemorySessionStore, type SessionStore } from 'latchkey';
import { Client, createTestApp, signUp } from '../helpers.js';
import { within } from '../support/bounded.js';

/** A store that can be made to hang: every call waits until `answer()` (a store the driver gives no deadline). */
function stallingStore() {
  const inner = createMemorySessionStore();
  let stalled = false;
  const waiting: Array<() => void> = [];
  const store = Object.fromEntries(
    Object.entries(inner).map(([name, method]) => [
      name,
      async (...args: unknown[]) => {
        if (stalled) await new Promise<void>((resolve) => waiting.push(resolve));
        return (method as (...args: unknown[]) => Promise<unknown>).apply(inner, args);
      },
    ]),
  ) as unknown as SessionStore;
  return {
    store,
    stall: () => void (stalled = true),
    answer() {
      stalled = false;
      waiting.splice(0).forEach((resume) => resume());
    },
  };
}

test('whatever the store, the app gives it a deadline: a store that hangs is a 503, not a hung request', async () => {
  const stalling = stallingStore();
  const app = await createTestApp({ databaseTimeoutMs: 200 }, { sessionStore: stalling.store });
  const alice = new Client(app);
  await signUp(alice, 'alice');
  stalling.stall();
  try {
    assert.equal((await within(alice.get('/users/welcome'), 5000, 'a logged-in page')).statusCode, 503);
    assert.equal((await within(new Client(app).get('/start_counter'), 5000, 'a new session')).statusCode, 503);
  } finally {
    stalling.answer();
  }
  assert.equal((await alice.get('/users/welcome')).statusCode, 200);
});
