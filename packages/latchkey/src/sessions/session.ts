import { randomBytes } from 'node:crypto';
import type { JsonValue, SessionData } from '../session-data.js';
import type { UserId } from '../stores/session-store.js';

export type { JsonValue, SessionData };

/**
 * How a flash message is meant: a layout styles each differently.
 *
 * @example
 * request.session.flash('Saved!', 'success' satisfies FlashCategory);
 */
export type FlashCategory = 'success' | 'error' | 'info';

/**
 * A message shown once, on the next page: the guards leave one, and so can routes.
 *
 * @example
 * const flashes: Flash[] = request.session.consumeFlashes();
 * const html = flashes.map((flash) => `<p class="${flash.category}">${escape(flash.message)}</p>`).join('');
 */
export interface Flash {
  message: string;
  category: FlashCategory;
}

/** What a session was loaded with; the codec that made it keeps whatever else it needs. */
export interface SessionInit {
  data?: SessionData;
  userId?: UserId | null;
  createdAt?: number;
  flashes?: Flash[];
  /** Logged in with "remember me": the cookie outlives the browser, within the absolute limit. */
  remember?: boolean;
  /** The session's public name (devices page); never the secret id. */
  handle?: string;
}

/**
 * The per-request bag of data route code reads and writes, as `request.session`. It remembers
 * whether anything changed, so a request that only reads never writes a cookie or a store row.
 * Log in and out with `logIn` and `logOut`, which also rotate the CSRF secret.
 *
 * @example
 * const count = (request.session.get<number>('count') ?? 0) + 1;
 * request.session.set('count', count);
 * request.session.flash(`Visit number ${count}`, 'info');
 */
export class Session {
  #data: SessionData;
  /** Keys written or deleted since load (undefined = deleted), so a store can merge concurrent writes. */
  #changes = new Map<string, JsonValue | undefined>();
  /** Set when the whole data was replaced (clear, login): a write replaces instead of merging. */
  #replaced = false;
  #userId: UserId | null;
  #flashes: Flash[];
  readonly createdAt: number;
  #handle: string | null;
  #remember: boolean;
  /** Set when the data or the user changed. */
  dirty = false;
  /** Set when the flashes changed (added or consumed). */
  flashesDirty = false;
  /** Set by `rotateId()`: the next write uses a fresh id and the old one stops working. */
  rotated = false;
  /** Set by `destroy()`: the session ends now and its id never works again. */
  destroyed = false;

  constructor(init: SessionInit = {}, now = Date.now()) {
    this.#data = init.data ?? {};
    this.#userId = init.userId ?? null;
    this.#flashes = init.flashes ?? [];
    this.createdAt = init.createdAt ?? now;
    this.#handle = init.handle ?? null;
    this.#remember = init.remember ?? false;
  }

  /** The session's public name (devices page, CSRF binding); null until it is first saved. */
  get handle(): string | null {
    return this.#handle;
  }

  get remember(): boolean {
    return this.#remember;
  }

  get<T extends JsonValue = JsonValue>(key: string): T | undefined {
    return this.#data[key] as T | undefined;
  }

  set(key: string, value: JsonValue): void {
    this.#data[key] = value;
    this.#changes.set(key, value);
    this.dirty = true;
  }

  delete(key: string): void {
    if (!(key in this.#data)) return;
    delete this.#data[key];
    this.#changes.set(key, undefined);
    this.dirty = true;
  }

  /** Empties the data and forgets the user; flashes survive, so a message can follow a logout. */
  clear(): void {
    if (Object.keys(this.#data).length === 0 && this.#userId === null) return;
    this.#data = {};
    this.#userId = null;
    this.#replace();
  }

  get data(): Readonly<SessionData> {
    return this.#data;
  }

  get userId(): UserId | null {
    return this.#userId;
  }

  get isEmpty(): boolean {
    return this.#userId === null && Object.keys(this.#data).length === 0;
  }

  /**
   * Logs a user in: a fresh id (no fixation) and nothing of the anonymous data carried over. It
   * also undoes a `destroy()` earlier in the same request (a revoked cookie, then a login).
   */
  logIn(userId: UserId, { remember = false } = {}): void {
    this.destroyed = false;
    this.#data = {};
    this.#userId = userId;
    this.#remember = remember;
    this.#replace();
    this.rotateId();
  }

  /**
   * What changed since load: the keys set and unset, or `replace` when the data was replaced whole.
   * Stores apply it atomically, so two requests that change different keys both keep their change.
   */
  get changes(): { set: SessionData; unset: string[]; replace: boolean } {
    if (this.#replaced) return { set: { ...this.#data }, unset: [], replace: true };
    const set: SessionData = {};
    const unset: string[] = [];
    for (const [key, value] of this.#changes) {
      if (value === undefined) unset.push(key);
      else set[key] = value;
    }
    return { set, unset, replace: false };
  }

  #replace(): void {
    this.#changes.clear();
    this.#replaced = true;
    this.dirty = true;
  }

  /** The next write uses a fresh id and a fresh handle, and the old id stops working. */
  rotateId(): void {
    this.rotated = true;
    this.#handle = newHandle();
  }

  destroy(): void {
    this.#data = {};
    this.#userId = null;
    this.destroyed = true;
  }

  flash(message: string, category: FlashCategory = 'info'): void {
    this.#flashes.push({ message, category });
    this.flashesDirty = true;
  }

  /** Returns the pending flashes and forgets them, so each is shown exactly once. */
  consumeFlashes(): Flash[] {
    const flashes = this.#flashes;
    if (flashes.length === 0) return flashes;
    this.#flashes = [];
    this.flashesDirty = true;
    return flashes;
  }

  get pendingFlashes(): readonly Flash[] {
    return this.#flashes;
  }
}

/** A new public handle for a session (devices page); 96 random bits. */
export const newHandle = (): string => randomBytes(12).toString('base64url');
