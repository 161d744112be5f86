import type { Credentials, LoginThrottle, PasswordHasher, Quota } from 'latchkey';
import type { MessageRepository } from './messages/message-repository.js';
import type { AccountRecovery } from './recovery/account-recovery.js';
import type { User, UserRepository } from './users/user-repository.js';

/** What route plugins need from the rest of the app; built once in app.ts. */
export interface AppDeps {
  users: UserRepository;
  messages: MessageRepository;
  credentials: Credentials<User>;
  /** Hashes new passwords with the configured algorithm and cost. */
  passwords: PasswordHasher;
  /** Growing delays after wrong passwords, per account and address and per address. */
  loginThrottle: LoginThrottle;
  /** Account creations per client address. */
  signupQuota: Quota;
  /** Deleting the account needs a login this recent, or the password again. */
  freshLoginMs: number;
  /** Email verification, password reset, security notices (src/recovery). */
  recovery: AccountRecovery;
  /** The clock (tests move it). */
  now(): number;
}
