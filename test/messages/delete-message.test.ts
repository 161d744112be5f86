import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Client, createTestApp, flashes, signUp } from '../helpers.js';

async function aliceWithAMessage() {
  const app = await createTestApp();
  const alice = new Client(app);
  const id = await signUp(alice, 'alice');
  await alice.get(`/users/${id}/messages/new`);
  await alice.post(`/users/${id}/messages`, { content: 'Worth a second thought' });
  const mid = Number(/href="\/users\/\d+\/messages\/(\d+)"/.exec((await alice.get(`/users/${id}/messages`)).body)![1]);
  return { app, alice, id, mid };
}

describe('deleting a message asks first', () => {
  test('the message page links to a confirmation page instead of deleting with one click', async () => {
    const { alice, id, mid } = await aliceWithAMessage();
    const page = await alice.get(`/users/${id}/messages/${mid}`);
    assert.match(page.body, new RegExp(`<a class="button danger" href="/users/${id}/messages/${mid}/delete">Delete message</a>`));
    assert.doesNotMatch(page.body, /_method=DELETE/);
  });

  test('the confirmation page shows the message and carries the form; opening it changes nothing', async () => {
    const { alice, id, mid } = await aliceWithAMessage();
    const page = await alice.get(`/users/${id}/messages/${mid}/delete`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<h1>Delete this message\?<\/h1>/);
    assert.match(page.body, /<blockquote class="message">Worth a second thought<\/blockquote>/);
    assert.match(page.body, new RegExp(`<form method="post" action="/users/${id}/messages/${mid}\\?_method=DELETE"`));
    assert.match(page.body, /<button type="submit" class="danger">Delete message<\/button>/);
    assert.match(page.body, new RegExp(`href="/users/${id}/messages/${mid}">Keep it</a>`));
    assert.equal((await alice.get(`/users/${id}/messages/${mid}`)).statusCode, 200, 'still there');
    const deleted = await alice.post(`/users/${id}/messages/${mid}?_method=DELETE`);
    assert.deepEqual(flashes((await alice.follow(deleted)).body), ['Message Deleted!']);
    assert.equal((await alice.get(`/users/${id}/messages/${mid}/delete`)).statusCode, 404);
  });

  test('it is only for the owner, and an unknown message is a 404', async () => {
    const { app, id, mid } = await aliceWithAMessage();
    const bob = new Client(app);
    const bobId = await signUp(bob, 'bob');
    const refused = await bob.get(`/users/${id}/messages/${mid}/delete`);
    assert.equal(refused.location, '/users/welcome');
    assert.deepEqual(flashes((await bob.follow(refused)).body), ['Not Authorized']);
    assert.equal((await bob.get(`/users/${bobId}/messages/${mid}/delete`)).statusCode, 404, "alice's message under bob's path");
    assert.equal((await bob.get(`/users/${bobId}/messages/999/delete`)).statusCode, 404);
    assert.equal((await bob.get(`/users/${bobId}/messages/abc/delete`)).statusCode, 404);
    assert.match((await new Client(app).get(`/users/${id}/messages/${mid}/delete`)).location!, /^\/users\/login/);
  });
});
