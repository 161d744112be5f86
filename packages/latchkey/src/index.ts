/**
 * Latchkey: session-based authentication for Fastify. Register the plugin once; the rest of this
 * module is the building blocks your routes call. Everything exported here is the public API;
 * anything else inside the package may change.
 */
export { latchkey, latchkey as default, type LatchkeyDecorator } from './plugin.js';
export { type FlaskOptions, type LatchkeyOptions, type LatchkeyUser, type ResolvedOptions, type SessionMode, SESSION_MODES, type UserLookup } from './options.js';
export { LatchkeyError, LatchkeyOptionsError } from './errors.js';
export { createOutageTracker, type OutageLog, type OutageTracker, type OutageTrackerOptions } from './outage.js';

export { Session, type Flash, type FlashCategory } from './sessions/session.js';
export type { JsonValue, SessionData } from './session-data.js';
export { SessionTooLargeError } from './sessions/cookie-codec.js';
export { createKeyring, type Keyring } from './sessions/keyring.js';
export { createSessionManager, type DeviceSession, type SessionManager } from './sessions/session-manager.js';
export {
  createFlaskCookieSerializer, FLASK_DEFAULT_MAX_AGE_SECONDS, type FlaskCookieSerializer, type FlaskCookieSerializerOptions, type LoadedFlaskSession,
} from './sessions/flask/cookie-serializer.js';
export { FlaskFloat, FlaskMarkup, FlaskTuple, FlaskUuid, isFlaskDict, type FlaskDict, type FlaskValue } from './sessions/flask/flask-values.js';
export { flaskSecretKeys } from './sessions/flask/secret-keys.js';
export { flaskTaggedJson } from './sessions/flask/tagged-json.js';
export type { SecretKey } from './sessions/flask/timestamp-signer.js';
export { createFlaskWtfTokens, type FlaskWtfTokens } from './sessions/flask/wtf-csrf.js';

export type { ListedSession, SessionPatch, SessionStore, StoredSession, UserId } from './stores/session-store.js';
export { applyPatch } from './stores/session-store.js';
export { createMemorySessionStore } from './stores/memory-store.js';
export { createSqliteSessionStore, type SqliteStoreOptions } from './stores/sqlite-store.js';
export { createPostgresSessionStore, type PostgresStoreOptions } from './stores/postgres-store.js';
export { createRedisSessionStore, type RedisStoreOptions } from './stores/redis-store.js';
export { createMysqlSessionStore, type MysqlStoreOptions } from './stores/mysql-store.js';
export { withDeadline, StoreDeadlineError, type DeadlineOptions } from './stores/with-deadline.js';

export { logIn, logOut } from './auth/log-in.js';
export { requireLogin, requireOwner, type GuardOptions } from './auth/guards.js';
export {
  API_TOKEN_SCOPES,
  generateApiToken,
  hashApiToken,
  requireScope,
  type ApiTokenRecord,
  type ApiTokenScope,
  type ApiTokenSource,
  type RequestApiToken,
} from './auth/api-tokens.js';
export { isFreshLogin, markAuthenticated } from './auth/fresh-login.js';
export { confirmPassword, type Confirmation } from './auth/confirm-password.js';
export { createCredentials, type CredentialSource, type Credentials } from './auth/credentials.js';
export { createPasswordHasher, flaskBcryptSha256, type HasherOptions, type PasswordAlgorithm, type PasswordHasher } from './auth/password.js';
export { MAX_PASSWORD_BYTES, MIN_PASSWORD_CHARACTERS, MIN_PASSWORD_SCORE, type PasswordContext, passwordProblem } from './auth/password-policy.js';
export { passwordStrength, type Strength } from './auth/password-strength.js';
export { commonPasswordCount, isCommonPassword } from './auth/common-passwords.js';
export { accountThrottleKeys, createLoginThrottle, type LoginAttempt, type LoginThrottle, type LoginThrottleConfig } from './auth/login-throttle.js';
export { createQuota, type Quota } from './auth/quota.js';
export { createMemoryThrottleStore, createRedisThrottleStore, type Limiter, type LimiterOptions, type LimiterState, type ThrottleStore } from './auth/throttle-store.js';
export { throttleAddress } from './auth/client-address.js';
export { safeNextPath } from './auth/safe-redirect.js';
export { isCrossSiteRequest } from './auth/csrf.js';
export { logSecurityEvent, securityEvent, type SecurityEvent, type SecurityEventHandler, type SecurityEventName } from './auth/security-events.js';
