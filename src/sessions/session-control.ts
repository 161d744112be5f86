import type { FastifyRequest } from 'fastify';
import type { SessionCodec } from './codec.js';
import { currentStoreKey } from './plugin.js';
import type { SessionStore } from './session-store.js';

/** A session as the devices page shows it. */
export interface DeviceSession {
  handle: string;
  createdAt: number;
  lastSeenAt: number;
  userAgent: string;
  ip: string;
  current: boolean;
}

/**
 * Ending sessions, the same way in every mode. Server mode deletes rows; cookie modes cannot
 * reach a cookie in someone's browser, so they move the user's `sessions_valid_after` forward
 * and every older cookie fails the check made where the user is loaded.
 */
export interface SessionControl {
  /** Whether single sessions can be listed and ended (server mode), or only all at once. */
  readonly listsDevices: boolean;
  list(request: FastifyRequest, userId: number): Promise<DeviceSession[]>;
  /** Ends one session of the user by its handle; false when there is none. */
  endOne(userId: number, handle: string): Promise<boolean>;
  /** Ends every session of the user except the request's own, which is re-issued. */
  endOthers(request: FastifyRequest, userId: number): Promise<void>;
  /** Ends the request's session (logout). */
  endCurrent(request: FastifyRequest): Promise<void>;
  /** Ends every session of the user (account deleted). */
  endAll(userId: number): Promise<void>;
}

interface Revoker {
  revokeSessionsBefore(userId: number, time: number): Promise<void>;
}

export function createServerSessionControl(store: SessionStore, codec: SessionCodec, now: () => number): SessionControl {
  return {
    listsDevices: true,
    async list(request, userId) {
      const currentKey = currentStoreKey(request, codec);
      const sessions = await store.listUser(userId, now());
      return sessions.map(({ key, handle, createdAt, lastSeenAt, userAgent, ip }) => ({
        handle,
        createdAt,
        lastSeenAt,
        userAgent,
        ip,
        current: key === currentKey,
      }));
    },
    endOne: (userId, handle) => store.destroyHandle(userId, handle),
    async endOthers(request, userId) {
      await store.destroyUser(userId, currentStoreKey(request, codec) ?? undefined);
    },
    async endCurrent(request) {
      request.session.destroy();
    },
    endAll: (userId) => store.destroyUser(userId),
  };
}

export function createCookieSessionControl(users: Revoker, now: () => number): SessionControl {
  return {
    listsDevices: false,
    async list(request) {
      const session = request.session;
      return [
        {
          handle: session.handle ?? '',
          createdAt: session.createdAt,
          lastSeenAt: now(),
          userAgent: request.headers['user-agent'] ?? '',
          ip: request.ip,
          current: true,
        },
      ];
    },
    async endOne() {
      return false;
    },
    async endOthers(request, userId) {
      await users.revokeSessionsBefore(userId, now());
      request.session.reissue(); // authorised anew, so this one outlives the revocation
    },
    async endCurrent(request) {
      // a copied cookie would outlive a cleared one: revoke by time, which ends the user's
      // other cookie sessions too (the price of keeping no state on the server)
      if (request.session.userId !== null) await users.revokeSessionsBefore(request.session.userId, now());
      request.session.destroy();
    },
    async endAll(userId) {
      await users.revokeSessionsBefore(userId, now());
    },
  };
}
