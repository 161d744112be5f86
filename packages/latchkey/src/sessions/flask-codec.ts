import type { SessionStore, StoredSession, UserId } from '../stores/session-store.js';
import { deadline, type SessionCodec, type SessionTimeouts } from './codec.js';
import { loginRecordKey, MAX_COOKIE_BYTES, SessionTooLargeError } from './cookie-codec.js';
import type { FlaskCookieSerializer } from './flask/cookie-serializer.js';
import { readFlaskFlashes, writeFlaskFlashes } from './flask/flashes.js';
import type { FlaskDict, FlaskValue } from './flask/flask-values.js';
import { toJsonValue } from './flask/json-values.js';
import { type Flash, newHandle, type Session, type SessionData, type SessionInit } from './session.js';

export interface FlaskCodecOptions {
  serializer: FlaskCookieSerializer;
  store: SessionStore;
  /** The idle limits are Flask's lifetime here: Latchkey cannot see a visit to the Flask app. */
  timeouts: SessionTimeouts;
  cookieName: string;
  /** Flask's `PERMANENT_SESSION_LIFETIME`, for the cookie of a permanent session. */
  maxAgeSeconds: number;
  /** Where a login is written: the chapter's `user_id` or Flask-Login's `_user_id`. Both are read. */
  userIdKey: 'user_id' | '_user_id';
  /** Accept a login the Flask app made (a user id, no Latchkey handle) and give it a record. */
  adoptLogins: boolean;
}

/** The Flask session keys that carry the login, the handle of its record, the flashes and "permanent". */
const USER_KEYS = ['user_id', '_user_id'] as const;
const HANDLE_KEY = '_latchkey';
const FLASHES_KEY = '_flashes';
const PERMANENT_KEY = '_permanent';
const OWNED_KEYS = new Set<string>([...USER_KEYS, HANDLE_KEY, FLASHES_KEY, PERMANENT_KEY]);
const HANDLE = /^[A-Za-z0-9_-]{16}$/;

interface FlaskState {
  /** The Flask session as it came, every key; null when there was none Latchkey could read. */
  dict: FlaskDict | null;
  hadCookie: boolean;
  /** Each flash read from `_flashes` and the entry it came from. */
  originals: Map<Flash, FlaskValue>;
  /** The handle of the login's record: the cookie's, or a new one for a login being adopted. */
  handle: string | null;
  record: StoredSession | null;
  /** A login the Flask app made: it gets a record, and its handle a place in the cookie, on this visit. */
  adopting: boolean;
  /** The app does not know the user: the login stays in the cookie for Flask, and no record is made. */
  userUnknown: boolean;
  /** A handle left in a cookie whose user Flask logged out: its record is deleted. */
  endedHandle: string | null;
  /** A login ended (revoked, expired) or refused: the cookie is emptied. */
  dead: boolean;
  /** Signed with an older key or half its lifetime ago: re-signed even if nothing changed. */
  resign: boolean;
}

const BLANK: FlaskState = {
  dict: null, hadCookie: false, originals: new Map(), handle: null, record: null,
  adopting: false, userUnknown: false, endedHandle: null, dead: false, resign: false,
};

/**
 * Flask mode: the session is the Flask app's own cookie, so Latchkey and Flask share one session
 * on one site. The login is Flask's `user_id` (or Flask-Login's `_user_id`), flashes are Flask's
 * `_flashes`, and every key Latchkey does not own rides along untouched. A login Latchkey knows
 * has a record in the store, named by a handle kept under `_latchkey` in the Flask session (Flask
 * carries it without looking), so logout and "end this session" work as in the cookie modes; a
 * login the Flask app made is adopted (given a record) on its first visit.
 */
export function createFlaskCodec(options: FlaskCodecOptions): SessionCodec<FlaskState> {
  const { serializer, store, timeouts, cookieName, maxAgeSeconds, userIdKey, adoptLogins } = options;

  return {
    carriesFlashes: true,

    async load(cookie, now) {
      const blank = { ...BLANK, hadCookie: cookie !== undefined };
      // tampered, foreign-key, malformed or past Flask's lifetime: an empty session, and the cookie
      // is left for Flask to judge, as Flask leaves one it cannot read
      const loaded = cookie ? serializer.loads(cookie, now) : null;
      if (!loaded) return { init: {}, state: blank };
      const dict = loaded.value;
      const { flashes, originals } = readFlaskFlashes(dict[FLASHES_KEY]);
      const read: FlaskState = {
        ...blank, dict, originals,
        resign: loaded.renew || now / 1000 - loaded.signedAtSeconds >= maxAgeSeconds / 2,
      };
      const data = visibleData(dict);
      const remember = dict[PERMANENT_KEY] === true;
      const userId = readUserId(dict);
      const rawHandle = dict[HANDLE_KEY];
      const handle = typeof rawHandle === 'string' && HANDLE.test(rawHandle) ? rawHandle : null;
      const ended = { init: { flashes }, state: { ...read, dead: true } };

      if (userId === null) return { init: { data, flashes, remember }, state: { ...read, endedHandle: handle } };
      if (handle === null) {
        if (!adoptLogins) return ended;
        const adopted = newHandle();
        return { init: { data, flashes, userId, remember, handle: adopted, createdAt: now }, state: { ...read, handle: adopted, adopting: true } };
      }
      const record = await store.get(loginRecordKey(handle), now);
      if (!record || String(record.userId) !== String(userId)) return ended;
      return {
        init: { data, flashes, userId, remember: record.remember, handle, createdAt: record.createdAt },
        state: { ...read, handle, record },
      };
    },

    async save(session, state, now, info) {
      const reset = state.dead || session.destroyed || session.changes.replace;
      const oldRecord = state.record && state.handle ? loginRecordKey(state.handle) : null;
      if (oldRecord && (reset || session.rotated)) await store.delete(oldRecord);
      if (state.endedHandle) await store.delete(loginRecordKey(state.endedHandle));

      const newLogin = session.userId !== null && (session.rotated || (state.adopting && !state.userUnknown));
      if (newLogin) {
        const handle = session.handle ?? newHandle();
        const expiresAt = deadline(timeouts, session.remember, now, now);
        await store.create(loginRecordKey(handle), {
          userId: session.userId, data: {}, createdAt: now, lastSeenAt: now, expiresAt, handle,
          remember: session.remember, userAgent: info.userAgent.slice(0, 300), ip: info.ip,
        });
      } else if (oldRecord && state.record && !reset && !state.userUnknown && now - state.record.lastSeenAt >= timeouts.touchEveryMs) {
        const expiresAt = deadline(timeouts, state.record.remember, state.record.createdAt, now);
        if (!(await store.update(oldRecord, { lastSeenAt: now, expiresAt }))) return null; // ended while this request ran
      }

      const changed = reset || newLogin || session.dirty || session.flashesDirty || session.rotated || state.resign || state.endedHandle !== null;
      if (!changed) return undefined;
      const next = nextFlaskSession(session, state, reset, newLogin, userIdKey);
      if (Object.keys(next).length === 0) return state.hadCookie ? null : undefined;
      const value = serializer.dumps(next, now);
      if (cookieName.length + value.length + 100 > MAX_COOKIE_BYTES) {
        throw new SessionTooLargeError(
          `the Flask session is too large for a cookie (${value.length} bytes, browsers keep at most ${MAX_COOKIE_BYTES}); store less in it`,
        );
      }
      // Flask's permanent session: the browser keeps it for PERMANENT_SESSION_LIFETIME
      return next[PERMANENT_KEY] === true ? { value, maxAgeSeconds } : { value };
    },

    storeKey: (state) => (state.handle && (state.record || state.adopting) && !state.userUnknown ? loginRecordKey(state.handle) : null),

    userNotFound(state, init) {
      state.userUnknown = true;
      // the Flask app may know this user (signed up there since the last import): its login stays
      return { data: init.data, flashes: init.flashes, remember: init.remember };
    },
  };
}

/** The session Flask gets back: what came, changed only where Latchkey changed something. */
function nextFlaskSession(session: Session, state: FlaskState, reset: boolean, newLogin: boolean, userIdKey: 'user_id' | '_user_id'): FlaskDict {
  const kept = reset || state.dict === null ? [] : Object.entries(state.dict).filter(
    ([key]) => key !== FLASHES_KEY && !(key === HANDLE_KEY && state.endedHandle !== null),
  );
  // a destroyed session keeps nothing, not even keys set earlier in the same request
  const { set, unset }: { set: SessionData; unset: string[] } = session.destroyed ? { set: {}, unset: [] } : session.changes;
  for (const key of [...Object.keys(set), ...unset]) {
    if (OWNED_KEYS.has(key)) throw new Error(`session key "${key}" is Latchkey's own in flask mode: use logIn(), logOut() and flash()`);
  }
  // fromEntries defines own properties, so a "__proto__" key stays data
  const next: FlaskDict = Object.fromEntries([...kept.filter(([key]) => !unset.includes(key)), ...Object.entries(set)]);
  if (session.userId !== null && reset) {
    Object.assign(next, userIdKey === '_user_id' ? { _user_id: String(session.userId), _fresh: true } : { user_id: session.userId });
    if (session.remember) next[PERMANENT_KEY] = true;
  }
  if (session.userId !== null && (reset || newLogin) && session.handle) next[HANDLE_KEY] = session.handle;
  const original = state.dict?.[FLASHES_KEY];
  if (!reset && !session.flashesDirty && original !== undefined) next[FLASHES_KEY] = original;
  else if (session.pendingFlashes.length > 0) next[FLASHES_KEY] = writeFlaskFlashes(session.pendingFlashes, state.originals);
  return next;
}

/** The keys route code sees: every key Latchkey does not own whose value JSON can hold. */
function visibleData(dict: FlaskDict): SessionData {
  const entries: [string, SessionData[string]][] = [];
  for (const [key, value] of Object.entries(dict)) {
    const json = OWNED_KEYS.has(key) ? undefined : toJsonValue(value);
    if (json !== undefined) entries.push([key, json]);
  }
  return Object.fromEntries(entries);
}

/**
 * The logged-in user: `user_id`, else Flask-Login's `_user_id` (a string; an integer in canonical
 * decimal is read as the number). As in Flask, a falsy id (0, '', None) is nobody.
 */
function readUserId(dict: FlaskDict): UserId | null {
  for (const key of USER_KEYS) {
    const value = dict[key];
    if (typeof value === 'number' && Number.isSafeInteger(value) && value !== 0) return value;
    if (typeof value === 'string' && value !== '') {
      return /^[1-9]\d{0,15}$/.test(value) && Number.isSafeInteger(Number(value)) ? Number(value) : value;
    }
  }
  return null;
}
