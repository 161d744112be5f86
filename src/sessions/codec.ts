import type { Session, SessionInit } from './session.js';

export interface SessionTimeouts {
  /** A session unused this long ends. */
  idleMs: number;
  /** A session ends this long after login, however busy. */
  absoluteMs: number;
  /** Reading a session refreshes its idle deadline at most this often (not one write per request). */
  touchEveryMs: number;
}

/** What a codec read from a cookie: the session's contents and the codec's own bookkeeping. */
export interface Loaded<State> {
  init: SessionInit;
  state: State;
}

/**
 * Turns a cookie into a session and back. `load` never throws for bad input: a tampered,
 * truncated or expired cookie is an empty session. `save` returns the new cookie value,
 * `null` to delete the cookie, or `undefined` to leave it as it is.
 */
export interface SessionCodec<State = unknown> {
  load(cookie: string | undefined, now: number): Promise<Loaded<State>>;
  save(session: Session, state: State, now: number): Promise<string | null | undefined>;
}
