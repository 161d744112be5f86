import type { PageCursor } from '../db/keyset-page.js';
import type { User, UserRepository } from '../users/user-repository.js';

/** Every user, oldest first, read a page of 200 at a time (keyset, so a million users cost no more per page). */
export async function* allUsers(users: UserRepository): AsyncGenerator<User> {
  let cursor: PageCursor | undefined;
  do {
    const page = await users.list({ limit: 200, cursor });
    yield* page.items;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}
