import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createMemorySessionStore, LatchkeyOptionsError, type SessionStore, StoreDeadlineError, withDeadline } from '../../src/index.js';
import { testSessionStore } from '../../src/testing.js';

testSessionStore('memory, behind withDeadline', async () => ({
  store: withDeadline(createMemorySessionStore(), { timeoutMs: 1000 }),
  cleanup: async () => {},
}));

/** A store whose every call hangs until released, as a stopped Redis or a partitioned database does. */
function hangingStore() {
  const waiting: Array<() => void> = [];
  const hang = () => new Promise<never>((_resolve, reject) => waiting.push(() => reject(new Error('answered too late'))));
  const store = { get: hang, create: hang, update: hang, delete: hang, listUser: hang, deleteUser: hang } as unknown as SessionStore;
  return { store, release: () => waiting.splice(0).forEach((answer) => answer()) };
}

describe('withDeadline', () => {
  test('a call that hangs is refused with a StoreDeadlineError once the deadline passes', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const { store, release } = hangingStore();
    const call = withDeadline(store, { timeoutMs: 1500 }).get('key', 0);
    let outcome: unknown = 'pending';
    call.catch((error: unknown) => (outcome = error));
    t.mock.timers.tick(1499);
    await Promise.resolve();
    assert.equal(outcome, 'pending', 'not before the deadline');
    t.mock.timers.tick(1);
    await assert.rejects(call, (error: unknown) => {
      assert.ok(error instanceof StoreDeadlineError);
      assert.match((error as Error).message, /did not answer get\(\) within 1500 ms/);
      return true;
    });
    release(); // its late answer changes nothing
  });

  test('answers and errors within the deadline pass through unchanged', async () => {
    const inner = createMemorySessionStore();
    const store = withDeadline(inner, { timeoutMs: 1000 });
    assert.equal(await store.get('missing', 0), null);
    const failing = withDeadline({ ...inner, get: async () => Promise.reject(new Error('connection refused')) }, { timeoutMs: 1000 });
    await assert.rejects(failing.get('key', 0), /connection refused/);
    const throwing = withDeadline({ ...inner, get: () => { throw new Error('thrown at once'); } }, { timeoutMs: 1000 });
    await assert.rejects(throwing.get('key', 0), /thrown at once/);
  });

  test('a deadline that is not a positive number is refused at once', () => {
    assert.throws(() => withDeadline(createMemorySessionStore(), { timeoutMs: 0 }), LatchkeyOptionsError);
    assert.throws(() => withDeadline(createMemorySessionStore(), { timeoutMs: Number.NaN }), /timeoutMs/);
  });
});

describe('withDeadline with several calls in flight', () => {
  test('each hanging call is refused at its own deadline, however many answered in between', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const { store: hanging, release } = hangingStore();
    const inner = createMemorySessionStore();
    // `get` hangs, every other call answers at once
    const store = withDeadline({ ...inner, get: hanging.get }, { timeoutMs: 1000 });
    const outcomes: string[] = [];
    const first = store.get('a', 0).catch((error: unknown) => void outcomes.push(`first: ${(error as Error).name}`));
    for (let i = 0; i < 50; i++) await store.delete(`k${i}`);
    t.mock.timers.tick(1000);
    await first;
    assert.deepEqual(outcomes, ['first: StoreDeadlineError']);
    const second = store.get('b', 0).catch((error: unknown) => void outcomes.push(`second: ${(error as Error).name}`));
    await store.delete('x');
    t.mock.timers.tick(999);
    await Promise.resolve();
    assert.equal(outcomes.length, 1, 'the second call is not refused before its own deadline');
    t.mock.timers.tick(1);
    await second;
    assert.deepEqual(outcomes, ['first: StoreDeadlineError', 'second: StoreDeadlineError']);
    release();
  });
});
