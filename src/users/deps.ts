import type { Credentials } from '../auth/credentials.js';
import type { LoginThrottle } from '../auth/login-throttle.js';
import type { PasswordHasher } from '../auth/password.js';
import type { Quota } from '../auth/quota.js';
import type { MessageRepository } from '../messages/message-repository.js';
import type { SessionControl } from '../sessions/session-control.js';
import type { UserRepository } from './user-repository.js';

/** What route plugins need from the rest of the app; built once in app.ts. */
export interface AppDeps {
  users: UserRepository;
  messages: MessageRepository;
  credentials: Credentials;
  /** Hashes new passwords with the configured algorithm and cost. */
  passwords: PasswordHasher;
  /** Lists and ends sessions (logout, devices page, password change, account deletion). */
  sessions: SessionControl;
  /** Growing delays after wrong passwords, per account and address and per address. */
  loginThrottle: LoginThrottle;
  /** Account creations per client address. */
  signupQuota: Quota;
  /** Deleting the account needs a login this recent, or the password again. */
  freshLoginMs: number;
  /** The clock (tests move it). */
  now(): number;
}
