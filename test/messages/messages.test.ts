import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Client, createTestApp, flashes, signUp } from '../helpers.js';

async function setup() {
  const app = await createTestApp();
  const alice = new Client(app);
  const bob = new Client(app);
  const aliceId = await signUp(alice, 'alice');
  const bobId = await signUp(bob, 'bob');
  return { app, alice, bob, aliceId, bobId };
}

async function post(client: Client, userId: number, content: string): Promise<number> {
  await client.get(`/users/${userId}/messages/new`);
  const response = await client.post(`/users/${userId}/messages`, { content });
  assert.equal(response.location, `/users/${userId}/messages`);
  const list = await client.follow(response);
  return Number(new RegExp(`href="/users/${userId}/messages/(\\d+)">${content}<`).exec(list.body)![1]);
}

describe('messages', () => {
  test('the owner creates a message, sees the flash and finds it linked in their list', async () => {
    const { alice, aliceId } = await setup();
    const form = await alice.get(`/users/${aliceId}/messages/new`);
    assert.match(form.body, /<textarea id="field-content" name="content"/);
    const response = await alice.post(`/users/${aliceId}/messages`, { content: 'Hello there' });
    const list = await alice.follow(response);
    assert.deepEqual(flashes(list.body), ['Message Created!']);
    assert.match(list.body, new RegExp(`<a href="/users/${aliceId}/messages/\\d+">Hello there</a>`));
  });

  test('any logged-in user may read a message', async () => {
    const { alice, bob, aliceId } = await setup();
    const id = await post(alice, aliceId, 'Readable');
    const page = await bob.get(`/users/${aliceId}/messages/${id}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Readable/);
    assert.doesNotMatch(page.body, /Delete message/);
  });

  test('the owner edits and deletes, with the flash texts', async () => {
    const { alice, aliceId } = await setup();
    const id = await post(alice, aliceId, 'First draft');
    const edit = await alice.get(`/users/${aliceId}/messages/${id}/edit`);
    assert.match(edit.body, /First draft<\/textarea>/);
    const updated = await alice.post(`/users/${aliceId}/messages/${id}?_method=PATCH`, { content: 'Second draft' });
    const afterUpdate = await alice.follow(updated);
    assert.deepEqual(flashes(afterUpdate.body), ['Message Updated!']);
    assert.match(afterUpdate.body, /Second draft/);
    const deleted = await alice.post(`/users/${aliceId}/messages/${id}?_method=DELETE`);
    const afterDelete = await alice.follow(deleted);
    assert.deepEqual(flashes(afterDelete.body), ['Message Deleted!']);
    assert.doesNotMatch(afterDelete.body, /Second draft/);
    const again = await alice.post(`/users/${aliceId}/messages/${id}?_method=DELETE`);
    assert.equal(again.statusCode, 404, 'a repeated delete is a clear 404');
  });

  test('nobody else may create, edit, update or delete them', async () => {
    const { alice, bob, aliceId } = await setup();
    const id = await post(alice, aliceId, 'Mine');
    await bob.get('/users/welcome');
    const attempts = [
      () => bob.get(`/users/${aliceId}/messages/new`),
      () => bob.post(`/users/${aliceId}/messages`, { content: 'forged' }),
      () => bob.get(`/users/${aliceId}/messages/${id}/edit`),
      () => bob.post(`/users/${aliceId}/messages/${id}?_method=PATCH`, { content: 'forged' }),
      () => bob.post(`/users/${aliceId}/messages/${id}?_method=DELETE`),
    ];
    for (const attempt of attempts) {
      const response = await attempt();
      assert.equal(response.location, '/users/welcome');
      assert.deepEqual(flashes((await bob.follow(response)).body), ['Not Authorized']);
    }
    const page = await alice.get(`/users/${aliceId}/messages`);
    assert.match(page.body, />Mine</);
    assert.doesNotMatch(page.body, /forged/);
  });

  test("a message id under another user's path is not found", async () => {
    const { alice, bob, aliceId, bobId } = await setup();
    const id = await post(alice, aliceId, 'Hers');
    assert.equal((await bob.get(`/users/${bobId}/messages/${id}`)).statusCode, 404);
    assert.equal((await bob.post(`/users/${bobId}/messages/${id}?_method=DELETE`)).statusCode, 404);
    assert.match((await alice.get(`/users/${aliceId}/messages`)).body, />Hers</);
  });

  test('blank and overlong messages are refused with a 422 and keep what was typed', async () => {
    const { alice, aliceId } = await setup();
    await alice.get(`/users/${aliceId}/messages/new`);
    const blank = await alice.post(`/users/${aliceId}/messages`, { content: '   ' });
    assert.equal(blank.statusCode, 422);
    assert.deepEqual(flashes(blank.body), ['Invalid submission. Please try again.']);
    const long = await alice.post(`/users/${aliceId}/messages`, { content: 'y'.repeat(2001) });
    assert.equal(long.statusCode, 422);
    assert.match(long.body, /at most 2000 characters/);
    assert.match(long.body, /y{2001}<\/textarea>/);
  });

  test('GET /messages lists everyone\'s messages publicly, each linked for a logged-in reader', async () => {
    const { app, alice, bob, aliceId, bobId } = await setup();
    const a = await post(alice, aliceId, 'From alice');
    const b = await post(bob, bobId, 'From bob');
    const visitor = await new Client(app).get('/messages');
    assert.equal(visitor.statusCode, 200);
    assert.match(visitor.body, /From alice[\s\S]*From bob|From bob[\s\S]*From alice/);
    const page = await alice.get('/messages');
    assert.match(page.body, new RegExp(`href="/users/${aliceId}/messages/${a}">From alice<`));
    assert.match(page.body, new RegExp(`href="/users/${bobId}/messages/${b}">From bob<`));
  });
});
