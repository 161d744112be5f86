import type { Credentials } from '../auth/credentials.js';
import type { MessageRepository } from '../messages/message-repository.js';
import type { UserRepository } from './user-repository.js';

/** What route plugins need from the rest of the app; built once in app.ts. */
export interface AppDeps {
  users: UserRepository;
  messages: MessageRepository;
  credentials: Credentials;
  bcryptRounds: number;
  /** Ends every session of a user (account deleted), in whatever store sessions live. */
  endUserSessions(userId: number): Promise<void>;
}
