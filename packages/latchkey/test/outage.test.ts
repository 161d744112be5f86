import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createOutageTracker } from '../src/index.js';

function recorder() {
  const lines: Array<{ details: Record<string, unknown>; message: string }> = [];
  return { lines, log: { warn: (details: object, message: string) => lines.push({ details: details as Record<string, unknown>, message }) } };
}

test('an outage is one line when it starts and one when it ends, with how many requests it refused', () => {
  const { lines, log } = recorder();
  let clock = 1_000_000;
  const outage = createOutageTracker({ name: 'redis', log, now: () => clock });
  outage.succeeded();
  assert.equal(lines.length, 0, 'nothing to say while all is well');
  outage.failed(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6390'), { code: 'ECONNREFUSED' }), { refused: true });
  for (let i = 0; i < 999; i++) outage.failed(new Error('Command timed out'), { refused: true });
  outage.failed(new Error('reconnect failed')); // a connection event: not a refused request
  assert.equal(outage.down, true);
  assert.equal(lines.length, 1, 'a thousand failures, one line');
  assert.equal(lines[0]!.message, 'redis unavailable: connect ECONNREFUSED 127.0.0.1:6390');
  assert.equal(lines[0]!.details.outage, 'redis');
  assert.doesNotMatch(JSON.stringify(lines[0]), /at .*\.ts/, 'no stack trace');
  clock += 12_345;
  outage.succeeded();
  outage.succeeded();
  assert.equal(outage.down, false);
  assert.equal(lines.length, 2, 'one line when it ends');
  assert.equal(lines[1]!.message, 'redis available again after 12.3 s; 1000 requests refused');
  assert.deepEqual(lines[1]!.details, { outage: 'redis', downMs: 12_345, refused: 1000 });
  outage.failed(new Error('again'), { refused: true });
  clock += 1000;
  outage.succeeded();
  assert.equal(lines[3]!.message, 'redis available again after 1.0 s; 1 request refused', 'the next outage counts from zero');
});

test('a dependency that flaps (some connections broken, others fine) is one outage, not a line per flap', () => {
  const { lines, log } = recorder();
  let clock = 0;
  const outage = createOutageTracker({ name: 'database', log, now: () => clock });
  for (let i = 0; i < 10; i++) {
    outage.failed(new Error('terminating connection due to administrator command'), { refused: i % 2 === 0 });
    clock += 5;
    outage.succeeded(); // another connection answered meanwhile
    clock += 5;
  }
  assert.equal(lines.length, 1, 'only the start, while failures keep coming');
  clock += 989; // 999 ms after the last failure
  outage.succeeded();
  assert.equal(lines.length, 1, 'not yet: something failed less than a second ago');
  clock += 1;
  outage.succeeded();
  assert.equal(lines.length, 2);
  assert.equal(lines[1]!.message, 'database available again after 1.1 s; 5 requests refused');
});

test('one success right after the last failure (a reconnect, then silence) still ends the outage once things are quiet', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 0 });
  const { lines, log } = recorder();
  const outage = createOutageTracker({ name: 'redis', log });
  outage.failed(new Error('connect ECONNREFUSED'));
  t.mock.timers.tick(300);
  outage.succeeded(); // 'ready': and then nothing more happens
  assert.equal(lines.length, 1);
  t.mock.timers.tick(1000);
  assert.equal(lines.length, 2);
  assert.equal(lines[1]!.message, 'redis available again after 1.3 s; 0 requests refused');
});
