import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { describe, test } from 'node:test';
import { createTestApp, flashes, logIn, signUp } from '../helpers.js';
import { ClientAt, NO_THROTTLE, masked } from './support.js';

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

describe('user enumeration', () => {
  test('an unknown username gets the same status, message and page as a wrong password', async () => {
    const app = await createTestApp({ loginThrottle: NO_THROTTLE });
    const client = new ClientAt(app, '198.51.100.7');
    await signUp(client, 'alice');
    await client.post('/users/logout');
    const wrongPassword = await logIn(client, 'alice', 'not the password');
    const unknownUser = await logIn(client, 'alicia', 'not the password');
    assert.equal(wrongPassword.statusCode, 401);
    assert.equal(unknownUser.statusCode, wrongPassword.statusCode);
    assert.deepEqual(flashes(unknownUser.body), ['Invalid credentials. Please try again.']);
    assert.equal(masked(unknownUser.body, 'alicia'), masked(wrongPassword.body, 'alice'));
  });

  test('an unknown username costs the same password-hashing time as a wrong password', async (t) => {
    // cost 8: a bcrypt check takes milliseconds, well above the noise of an in-process request
    const app = await createTestApp({ bcryptRounds: 8, loginThrottle: NO_THROTTLE });
    const client = new ClientAt(app, '198.51.100.7');
    await signUp(client, 'alice');
    await client.post('/users/logout');
    await client.get('/users/login');

    async function timed(username: string) {
      const start = performance.now();
      const response = await client.post('/users/login', { username, password: 'not the password' });
      assert.equal(response.statusCode, 401);
      return performance.now() - start;
    }
    for (let i = 0; i < 5; i++) await timed(i % 2 ? 'alice' : 'nobody'); // warm up
    const known: number[] = [];
    const unknown: number[] = [];
    // interleaved, so that a pause of the machine hits both groups alike
    for (let i = 0; i < 40; i++) {
      known.push(await timed('alice'));
      unknown.push(await timed(`nobody${i}`));
    }
    const ratio = median(unknown) / median(known);
    t.diagnostic(`median wrong password ${median(known).toFixed(2)} ms, unknown user ${median(unknown).toFixed(2)} ms, ratio ${ratio.toFixed(2)}`);
    // without the dummy hash an unknown user answers in a tenth of the time; equal work lands near 1
    assert.ok(ratio > 0.7 && ratio < 1.4, `unknown/known median ratio ${ratio.toFixed(2)}`);
  });
});
