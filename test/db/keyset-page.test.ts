import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeCursor, encodeCursor, type FetchRows, keysetPage, type PageCursor } from '../../src/db/keyset-page.js';

/** A list held in memory, queried the way the repositories query the database. */
function rowsWithIds(ids: number[]): FetchRows<{ id: number }> {
  return async ({ bound, order, limit }) =>
    ids
      .filter((id) => !bound || (bound.op === '<' ? id < bound.id : id > bound.id))
      .sort((a, b) => (order === 'asc' ? a - b : b - a))
      .slice(0, limit)
      .map((id) => ({ id }));
}

const ids = (page: { items: { id: number }[] }) => page.items.map((item) => item.id);

describe('keyset pages', () => {
  const fetch = rowsWithIds(Array.from({ length: 7 }, (_, i) => i + 1));

  test('walk a newest-first list forward and back', async () => {
    const first = await keysetPage(fetch, 'desc', { limit: 3 });
    assert.deepEqual([ids(first), first.prevCursor, first.nextCursor], [[7, 6, 5], null, { after: 5 }]);
    const second = await keysetPage(fetch, 'desc', { limit: 3, cursor: first.nextCursor! });
    assert.deepEqual([ids(second), second.prevCursor, second.nextCursor], [[4, 3, 2], { before: 4 }, { after: 2 }]);
    const last = await keysetPage(fetch, 'desc', { limit: 3, cursor: second.nextCursor! });
    assert.deepEqual([ids(last), last.nextCursor], [[1], null]);
    const back = await keysetPage(fetch, 'desc', { limit: 3, cursor: last.prevCursor! });
    assert.deepEqual(ids(back), [4, 3, 2]);
  });

  test('going back to fewer than a page is the first page, whole', async () => {
    const page = await keysetPage(fetch, 'desc', { limit: 3, cursor: { before: 5 } });
    assert.deepEqual([ids(page), page.prevCursor], [[7, 6, 5], null]);
  });

  test('walk an oldest-first list the same way', async () => {
    const first = await keysetPage(fetch, 'asc', { limit: 3 });
    assert.deepEqual(ids(first), [1, 2, 3]);
    const second = await keysetPage(fetch, 'asc', { limit: 3, cursor: first.nextCursor! });
    assert.deepEqual([ids(second), second.prevCursor], [[4, 5, 6], { before: 4 }]);
    assert.deepEqual(ids(await keysetPage(fetch, 'asc', { limit: 3, cursor: { before: 7 } })), [4, 5, 6]);
  });

  test('an empty list and a cursor past the end are empty pages with no links', async () => {
    const empty = await keysetPage(rowsWithIds([]), 'desc', { limit: 3 });
    assert.deepEqual([ids(empty), empty.prevCursor, empty.nextCursor], [[], null, null]);
    const beyond = await keysetPage(fetch, 'desc', { limit: 3, cursor: { after: 1 } });
    assert.deepEqual([ids(beyond), beyond.prevCursor, beyond.nextCursor], [[], null, null]);
  });
});

describe('cursors in URLs', () => {
  test('round-trip and are opaque', () => {
    for (const cursor of [{ after: 1 }, { before: 123456 }] as PageCursor[]) {
      const text = encodeCursor(cursor);
      assert.match(text, /^[A-Za-z0-9_-]+$/);
      assert.deepEqual(decodeCursor(text), cursor);
    }
  });

  test('anything else is null, never an exception', () => {
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    for (const text of ['', 'x', '!!', 'a b', encode({ after: 0 }), encode({ after: 2 ** 60 }), encode({ around: 3 }), encode('after'), 'A'.repeat(100)]) {
      assert.equal(decodeCursor(text), null, text);
    }
  });
});
