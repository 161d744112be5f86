import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createKeyring } from 'latchkey';
import { Client, createTestApp, flashes, TEST_KEY } from '../helpers.js';

const FLASH = 'latchkey_flash';

describe('flash messages', () => {
  test('a flash cookie whose text was changed shows nothing, though the same text signed with the key is shown', async () => {
    const app = await createTestApp();
    const visitor = new Client(app);
    await visitor.get('/users/welcome');
    const cookie = visitor.cookies.get(FLASH)!;
    const [value, signature] = cookie.split('.') as [string, string];
    assert.deepEqual(JSON.parse(Buffer.from(value, 'base64url').toString('utf8')), [{ message: 'Please log in first', category: 'error' }]);
    const forged = Buffer.from(JSON.stringify([{ message: 'Your account is suspended: call 555-0100', category: 'error' }])).toString('base64url');
    const show = async (flashCookie: string) => flashes((await app.inject({ url: '/users/login', headers: { cookie: `${FLASH}=${flashCookie}` } })).body);
    assert.deepEqual(await show(`${forged}.${signature}`), []);
    assert.deepEqual(await show(createKeyring([TEST_KEY], 'session').sign(forged)), [], 'a signature made for sessions');
    assert.deepEqual(await show(createKeyring([TEST_KEY], 'flash').sign(forged)), ['Your account is suspended: call 555-0100'], 'the forgery is well formed');
    assert.deepEqual(await show(cookie), ['Please log in first']);
  });
});
