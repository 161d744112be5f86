import type { DeviceSession as Device } from 'latchkey';
import { decodeCursor, encodeCursor, type Page, type PageQuery } from '../db/keyset-page.js';
import { HttpError } from '../http-error.js';
import type { Message as StoredMessage } from '../messages/message-repository.js';
import type { ApiToken as StoredToken } from '../tokens/token-repository.js';
import type { User as StoredUser } from '../users/user-repository.js';
import type { Static } from 'typebox';
import type { ApiToken, DeviceSession, Message, User } from './schemas.js';

/** The app's records as the API shows them: snake_case, times as ISO strings. */

export const userJson = (user: StoredUser): Static<typeof User> => ({
  id: user.id,
  username: user.username,
  first_name: user.firstName,
  last_name: user.lastName,
  created_at: user.createdAt,
});

export const messageJson = (message: StoredMessage, username: string): Static<typeof Message> => ({
  id: message.id,
  user_id: message.userId,
  username,
  content: message.content,
  created_at: message.createdAt,
  updated_at: message.updatedAt,
});

const iso = (ms: number) => new Date(ms).toISOString();

export const sessionJson = (session: Device): Static<typeof DeviceSession> => ({
  handle: session.handle,
  created_at: iso(session.createdAt),
  last_seen_at: iso(session.lastSeenAt),
  user_agent: session.userAgent,
  ip: session.ip,
  remember: session.remember,
  current: session.current,
});

export const tokenJson = (token: StoredToken): Static<typeof ApiToken> => ({
  id: token.id,
  name: token.name,
  scopes: token.scopes,
  created_at: token.createdAt,
  expires_at: token.expiresAt,
  last_used_at: token.lastUsedAt,
});

/** `?limit=&cursor=` as a repository's page query; a cursor this app did not make is a 400. */
export function pageQuery(query: { limit?: number; cursor?: string }): PageQuery {
  const limit = query.limit ?? 50;
  if (query.cursor === undefined || query.cursor === '') return { limit };
  const cursor = decodeCursor(query.cursor);
  if (!cursor) throw new HttpError(400, 'BAD_CURSOR', 'That cursor is not one this API gave out; start again without it.');
  return { limit, cursor };
}

/** A repository's page as JSON, its cursors opaque strings. */
export function pageJson<T, J>(page: Page<T>, toJson: (item: T) => J) {
  return {
    items: page.items.map(toJson),
    next_cursor: page.nextCursor ? encodeCursor(page.nextCursor) : null,
    prev_cursor: page.prevCursor ? encodeCursor(page.prevCursor) : null,
  };
}
