import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Client, createTestApp, type Response, signUp } from '../helpers.js';

const PAGE_SIZE = 50;

/** The ids of the messages a list page links, in order. */
const messageIds = (body: string) => [...body.matchAll(/href="\/users\/\d+\/messages\/(\d+)"/g)].map((match) => Number(match[1]));
/** The ids of the users a list page links, in order. */
const userIds = (body: string) => [...body.matchAll(/<li><a href="\/users\/(\d+)"/g)].map((match) => Number(match[1]));

/** The href of the link with `rel`, HTML entities undone, or null. */
function relLink(response: Response, rel: 'prev' | 'next'): string | null {
  const match = new RegExp(`<a rel="${rel}" href="([^"]+)"`).exec(response.body);
  return match ? match[1]!.replace(/&amp;/g, '&') : null;
}

async function writeMessages(client: Client, userId: number, count: number): Promise<void> {
  await client.get(`/users/${userId}/messages/new`);
  for (let i = 1; i <= count; i++) await client.post(`/users/${userId}/messages`, { content: `message ${i}` });
}

const range = (from: number, to: number) => Array.from({ length: Math.abs(to - from) + 1 }, (_, i) => (from > to ? from - i : from + i));

describe('lists come a page at a time', () => {
  test('/messages shows 50 messages a page, newest first, with Older and Newer links', async () => {
    const app = await createTestApp();
    const alice = new Client(app);
    const id = await signUp(alice, 'alice');
    await writeMessages(alice, id, 120);
    const visitor = new Client(app);

    const reader = alice;
    const page1 = await reader.get('/messages');
    assert.deepEqual(messageIds(page1.body), range(120, 71));
    assert.equal(relLink(page1, 'prev'), null, 'the newest page has no Newer link');
    assert.match(page1.body, /<a rel="next" href="[^"]+">Older/);

    const page2 = await reader.get(relLink(page1, 'next')!);
    assert.deepEqual(messageIds(page2.body), range(70, 21));
    assert.match(page2.body, /<a rel="prev" href="[^"]+">.*?Newer/);
    const page3 = await reader.get(relLink(page2, 'next')!);
    assert.deepEqual(messageIds(page3.body), range(20, 1));
    assert.equal(relLink(page3, 'next'), null, 'the oldest page has no Older link');

    const back = await reader.get(relLink(page3, 'prev')!);
    assert.deepEqual(messageIds(back.body), range(70, 21));
    const top = await reader.get(relLink(back, 'prev')!);
    assert.deepEqual(messageIds(top.body), range(120, 71));
    assert.equal(relLink(top, 'prev'), null);

    const anonymousPage2 = await visitor.get(relLink(page1, 'next')!);
    assert.equal(anonymousPage2.statusCode, 200, 'visitors may page through /messages too');
    assert.match(anonymousPage2.body, /message 70/);
  });

  test('a message written while someone reads does not push the next page along', async () => {
    const app = await createTestApp();
    const alice = new Client(app);
    const id = await signUp(alice, 'alice');
    await writeMessages(alice, id, 60);
    const page1 = await alice.get('/messages');
    await writeMessages(alice, id, 1);
    const page2 = await alice.get(relLink(page1, 'next')!);
    assert.deepEqual(messageIds(page2.body), range(10, 1), 'no message is shown twice');
  });

  test("a user's messages come 50 a page, newest first", async () => {
    const app = await createTestApp();
    const alice = new Client(app);
    const bob = new Client(app);
    const aliceId = await signUp(alice, 'alice');
    const bobId = await signUp(bob, 'bob');
    await writeMessages(alice, aliceId, 30);
    await writeMessages(bob, bobId, 5);
    await writeMessages(alice, aliceId, 30);
    const page1 = await bob.get(`/users/${aliceId}/messages`);
    const ids = messageIds(page1.body);
    assert.equal(ids.length, PAGE_SIZE);
    assert.deepEqual(ids, [...range(65, 36), ...range(30, 11)], "only alice's, newest first");
    const page2 = await bob.get(relLink(page1, 'next')!);
    assert.deepEqual(messageIds(page2.body), range(10, 1));
    assert.ok(relLink(page2, 'next') === null && relLink(page2, 'prev') !== null);
    assert.match(relLink(page2, 'prev')!, new RegExp(`^/users/${aliceId}/messages\\?cursor=`));
  });

  test('/users shows 50 accounts a page, oldest first, with Previous and Next links', async () => {
    const app = await createTestApp({ signupLimit: { perIp: 1000, windowMs: 60_000 } });
    const first = new Client(app);
    await signUp(first, 'user1');
    for (let i = 2; i <= 60; i++) await signUp(new Client(app), `user${i}`);
    const page1 = await first.get('/users');
    assert.deepEqual(userIds(page1.body), range(1, 50));
    assert.match(page1.body, /60 accounts/);
    assert.match(page1.body, /<a rel="next" href="\/users\?cursor=[^"]+">Next/);
    const page2 = await first.get(relLink(page1, 'next')!);
    assert.deepEqual(userIds(page2.body), range(51, 60));
    assert.equal(relLink(page2, 'next'), null);
    assert.deepEqual(userIds((await first.get(relLink(page2, 'prev')!)).body), range(1, 50));
  });

  test('a malformed or foreign cursor is a 400 page that says so, never a 500', async () => {
    const app = await createTestApp();
    const alice = new Client(app);
    const id = await signUp(alice, 'alice');
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const bad = [
      'x',
      '!!!',
      '%FF%FE',
      encode({ after: -1 }),
      encode({ after: 1.5 }),
      encode({ after: '7' }),
      encode({ after: 1, before: 2 }),
      encode({}),
      encode([1]),
      encode(null),
      encode({ after: 1e300 }),
      Buffer.from('{"after":').toString('base64url'),
      'A'.repeat(5000),
    ];
    for (const path of ['/messages', `/users/${id}/messages`, '/users']) {
      for (const cursor of bad) {
        const response = await alice.get(`${path}?cursor=${cursor}`);
        assert.equal(response.statusCode, 400, `${path} ${cursor.slice(0, 40)}`);
        assert.match(response.body, /That page link is not valid/);
      }
      const twice = await alice.get(`${path}?cursor=a&cursor=b`);
      assert.equal(twice.statusCode, 400, `${path} with two cursors`);
    }
  });
});
