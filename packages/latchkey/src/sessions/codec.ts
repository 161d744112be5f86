import type { Session, SessionInit } from './session.js';

export interface SessionTimeouts {
  /** A session unused this long ends. */
  idleMs: number;
  /** A session ends this long after login, however busy. */
  absoluteMs: number;
  /** Idle and absolute limits of a "remember me" session. */
  rememberIdleMs: number;
  rememberAbsoluteMs: number;
  /** Reading a session refreshes its idle deadline at most this often (not one write per request). */
  touchEveryMs: number;
  /** Server mode: the idle limit of a session without a user (a visitor's counter), shorter so floods drain. */
  anonymousIdleMs?: number;
}

/** The idle and absolute limits that apply to a session. */
export function limitsOf(timeouts: SessionTimeouts, remember: boolean): { idleMs: number; absoluteMs: number } {
  return remember
    ? { idleMs: timeouts.rememberIdleMs, absoluteMs: timeouts.rememberAbsoluteMs }
    : { idleMs: timeouts.idleMs, absoluteMs: timeouts.absoluteMs };
}

/**
 * When a session ends unless used again: the idle deadline, never past the absolute one. A
 * session without a user gets the shorter anonymous idle limit, when there is one.
 */
export function deadline(timeouts: SessionTimeouts, remember: boolean, createdAt: number, now: number, anonymous = false): number {
  const { idleMs, absoluteMs } = limitsOf(timeouts, remember);
  const idle = anonymous && timeouts.anonymousIdleMs !== undefined ? Math.min(idleMs, timeouts.anonymousIdleMs) : idleMs;
  return Math.min(now + idle, createdAt + absoluteMs);
}

/** What a codec read from a cookie: the session's contents and the codec's own bookkeeping. */
export interface Loaded<State> {
  init: SessionInit;
  state: State;
}

/** About the request that made a session, for the devices page. */
export interface RequestInfo {
  userAgent: string;
  ip: string;
}

/** A cookie to send: its value and, for "remember me", how long the browser keeps it. */
export interface CookieOut {
  value: string;
  maxAgeSeconds?: number;
}

/**
 * Turns a cookie into a session and back. `load` never throws for bad input: a tampered,
 * truncated, expired or ended session is an empty session (a failing store does throw, and the
 * request gets a 503). `save` returns the cookie to send, `null` to delete the cookie, or
 * `undefined` to leave it as it is.
 */
export interface SessionCodec<State = unknown> {
  load(cookie: string | undefined, now: number): Promise<Loaded<State>>;
  save(session: Session, state: State, now: number, info: RequestInfo): Promise<CookieOut | null | undefined>;
  /** The store key of the loaded session, so "end my other sessions" can spare this one. */
  storeKey(state: State): string | null;
  /** Flash messages travel inside this codec's own cookie (Flask's `_flashes`), not in the flash cookie. */
  readonly carriesFlashes?: boolean;
  /**
   * The app does not know the user the session names. Without this method the session is
   * destroyed (a deleted account's sessions end with it); a codec that shares its cookie with
   * another app returns instead the session this request sees, and leaves the login in the
   * cookie for the other app.
   */
  userNotFound?(state: State, init: SessionInit): SessionInit;
}

/** Max-Age for a remembered session's cookie: until its absolute deadline. */
export function rememberMaxAge(timeouts: SessionTimeouts, createdAt: number, now: number): number {
  return Math.max(0, Math.floor((createdAt + timeouts.rememberAbsoluteMs - now) / 1000));
}
