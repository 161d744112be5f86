/**
 * Keyset pagination: a page starts after (or before) the last id the reader saw, never at an
 * offset, so each page costs one index range scan however deep, and rows written meanwhile
 * neither repeat nor skip items. One shape for every list, so a JSON API can hand out the same
 * cursors as the HTML pages.
 */

/** Where a page starts: just after, or just before, the item with this id, in the list's order. */
export type PageCursor = { after: number } | { before: number };

export interface PageQuery {
  limit: number;
  /** Absent: the first page. */
  cursor?: PageCursor;
}

export interface Page<T> {
  items: T[];
  /** The page after this one, or null when this is the last. */
  nextCursor: PageCursor | null;
  /** The page before this one, or null when this is the first. */
  prevCursor: PageCursor | null;
}

/** One query of the list: ids beyond `bound`, in `order`, at most `limit` rows. */
export type FetchRows<T> = (query: { bound: { op: '<' | '>'; id: number } | null; order: 'asc' | 'desc'; limit: number }) => Promise<T[]>;

/**
 * A page of a list ordered by id (`desc`: newest first). Asks for one row more than the page to
 * learn whether another page follows.
 *
 * @example
 * const page = await keysetPage((q) => selectMessages(q), 'desc', { limit: 50, cursor: { after: 120 } });
 */
export async function keysetPage<T extends { id: number }>(fetchRows: FetchRows<T>, order: 'asc' | 'desc', { limit, cursor }: PageQuery): Promise<Page<T>> {
  const reverse = order === 'desc' ? 'asc' : 'desc';
  const beyond = (id: number, forward: boolean) => ({ op: (forward === (order === 'asc') ? '>' : '<') as '<' | '>', id });
  if (cursor && 'before' in cursor) {
    const rows = await fetchRows({ bound: beyond(cursor.before, false), order: reverse, limit: limit + 1 });
    // fewer than a page before it: the reader is back at the top, which is simply the first page
    if (rows.length <= limit) return keysetPage(fetchRows, order, { limit });
    const items = rows.slice(0, limit).reverse();
    return { items, prevCursor: { before: items[0]!.id }, nextCursor: { after: items.at(-1)!.id } };
  }
  const rows = await fetchRows({ bound: cursor ? beyond(cursor.after, true) : null, order, limit: limit + 1 });
  const items = rows.slice(0, limit);
  const [first, last] = [items[0], items.at(-1)];
  return {
    items,
    nextCursor: rows.length > limit && last ? { after: last.id } : null,
    // a page reached through a cursor had one before it
    prevCursor: cursor && first ? { before: first.id } : null,
  };
}

const MAX_CURSOR_LENGTH = 64;
const MAX_ID = 10 ** 15;

/**
 * The cursor as it travels in a URL: opaque (base64url of a little JSON), so clients pass it on
 * rather than build it.
 */
export function encodeCursor(cursor: PageCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

/** The cursor a client sent back, or null when it is not one this app made. */
export function decodeCursor(text: string): PageCursor | null {
  if (text.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(text)) return null;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const entries = Object.entries(value);
  if (entries.length !== 1) return null;
  const [key, id] = entries[0]!;
  if ((key !== 'after' && key !== 'before') || !Number.isSafeInteger(id) || (id as number) < 1 || (id as number) > MAX_ID) return null;
  return key === 'after' ? { after: id as number } : { before: id as number };
}

/**
 * A page of a list already in memory (a user's sessions, which the store hands over whole),
 * with the same cursors as a table's: ids are the sort key and must be unique in the list.
 *
 * @example
 * const page = await keysetPageOf(sessions.map((s) => ({ id: s.createdAt, session: s })), 'desc', { limit: 50 });
 */
export function keysetPageOf<T extends { id: number }>(items: readonly T[], order: 'asc' | 'desc', query: PageQuery): Promise<Page<T>> {
  return keysetPage(
    async ({ bound, order: direction, limit }) =>
      items
        .filter((item) => !bound || (bound.op === '<' ? item.id < bound.id : item.id > bound.id))
        .sort((a, b) => (direction === 'asc' ? a.id - b.id : b.id - a.id))
        .slice(0, limit),
    order,
    query,
  );
}
