export {
  createFlaskCookieSerializer, FLASK_DEFAULT_MAX_AGE_SECONDS, FLASK_SESSION_SALT,
  type FlaskCookieSerializer, type FlaskCookieSerializerOptions, type LoadedFlaskSession,
} from './cookie-serializer.js';
export {
  FlaskFloat, FlaskMarkup, FlaskTuple, FlaskUuid, isFlaskDict, type FlaskDict, type FlaskValue,
} from './flask-values.js';
export { flaskSecretKeys } from './secret-keys.js';
export { flaskTaggedJson } from './tagged-json.js';
export type { SecretKey } from './timestamp-signer.js';
export { createFlaskWtfTokens, FLASK_WTF_TIME_LIMIT_SECONDS, type FlaskWtfTokens } from './wtf-csrf.js';
