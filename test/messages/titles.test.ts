import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { messageTitle } from '../../src/messages/message-title.js';
import { Client, createTestApp, signUp } from '../helpers.js';

describe('message titles in lists', () => {
  test('a short message is its own title, with its spaces and line breaks tidied', () => {
    assert.equal(messageTitle('Hello there'), 'Hello there');
    assert.equal(messageTitle('  Line one\n\nline   two '), 'Line one line two');
  });

  test('a long message is cut to 60 characters, at a word when one is near, and ends with an ellipsis', () => {
    const title = messageTitle('The quick brown fox jumps over the lazy dog and keeps on running far away');
    assert.equal(title, 'The quick brown fox jumps over the lazy dog and keeps on…');
    const unbroken = messageTitle('x'.repeat(500));
    assert.equal(unbroken, `${'x'.repeat(59)}…`);
    assert.equal([...messageTitle('🔑'.repeat(100))].length, 60, 'counted in characters, never splitting one');
    assert.equal(messageTitle('👩‍👩‍👧'.repeat(70)).endsWith('👩‍👩‍👧…'), true, 'nor a character made of several code points');
  });

  test('every list links the short title; the message page shows it all', async () => {
    const app = await createTestApp();
    const alice = new Client(app);
    const id = await signUp(alice, 'alice');
    const long = `${'word '.repeat(100)}end`;
    await alice.get(`/users/${id}/messages/new`);
    await alice.post(`/users/${id}/messages`, { content: long });
    const short = `${'word '.repeat(11)}word…`;
    for (const path of [`/users/${id}/messages`, '/messages']) {
      const body = (await alice.get(path)).body;
      assert.match(body, new RegExp(`<a href="/users/${id}/messages/1">${short}</a>`), path);
      assert.ok(!body.includes(long), `${path} does not carry the whole message`);
    }
    assert.ok((await new Client(app).get('/messages')).body.includes(short), 'visitors see the title too');
    assert.ok((await alice.get(`/users/${id}/messages/1`)).body.includes(long));
  });
});
