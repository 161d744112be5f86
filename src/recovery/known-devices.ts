import type { FastifyReply, FastifyRequest } from 'fastify';
import { createKeyring } from 'latchkey';

/** How many accounts one browser remembers having logged in to (a shared family computer). */
export const REMEMBERED_ACCOUNTS = 8;
/** 400 days, the longest lifetime Chromium lets a cookie have; renewed at each login. */
export const DEVICE_COOKIE_SECONDS = 400 * 86_400;

export interface KnownDevices {
  /** True when this browser logged in to this account before. */
  isKnown(request: FastifyRequest, userId: number): boolean;
  /** Remembers, in this browser only, that it logged in to this account. */
  remember(request: FastifyRequest, reply: FastifyReply, userId: number): void;
}

/**
 * Recognises a browser that logged in to an account before, to tell the user about logins from
 * anywhere else. The browser keeps the memory, not the server: a long-lived cookie holds, for each
 * account that logged in there, an HMAC of the account's id under a key from SECRET_KEYS. The
 * server stores nothing per device, the cookie names no account to whoever reads it, and a
 * forged entry needs the key. A browser whose cookies were cleared counts as new (one more
 * notice, never one less); user agent and address were not used because both change under a
 * user's feet (browser updates, mobile networks) and would make notices noise.
 *
 * @example
 * const known = devices.isKnown(request, user.id);
 * devices.remember(request, reply, user.id);
 */
export function createKnownDevices({ secrets, secure }: { secrets: readonly string[]; secure: boolean }): KnownDevices {
  const keyring = createKeyring(secrets, 'known-device');
  // __Host-: only this exact site over HTTPS may set it, as for the session cookie
  const cookieName = secure ? '__Host-latchkey_device' : 'latchkey_device';
  const entriesOf = (request: FastifyRequest) => (request.cookies[cookieName] ?? '').split('.').filter((entry) => entry.length > 0).slice(0, REMEMBERED_ACCOUNTS);
  const subject = (userId: number) => `user:${userId}`;

  return {
    isKnown(request, userId) {
      return entriesOf(request).some((entry) => keyring.verifyMac(subject(userId), entry));
    },
    remember(request, reply, userId) {
      const others = entriesOf(request).filter((entry) => !keyring.verifyMac(subject(userId), entry));
      const entries = [keyring.mac(subject(userId)), ...others].slice(0, REMEMBERED_ACCOUNTS);
      reply.setCookie(cookieName, entries.join('.'), { path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge: DEVICE_COOKIE_SECONDS });
    },
  };
}
