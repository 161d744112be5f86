import type { FastifyInstance, InjectOptions } from 'fastify';
import { Client, type Response } from '../helpers.js';

/** A client on a given network address, so tests can play an attacker and a user apart. */
export class ClientAt extends Client {
  constructor(
    app: FastifyInstance,
    readonly ip: string,
  ) {
    super(app);
  }

  override request(options: InjectOptions): Promise<Response> {
    return super.request({ ...options, remoteAddress: this.ip });
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The `Retry-After` of a response, in seconds (NaN when absent). */
export function retryAfter(response: Response): number {
  return Number(response.headers['retry-after']);
}

/** The page with what differs between two requests of one client (the username typed) masked. */
export function masked(body: string, ...secrets: string[]): string {
  return secrets.reduce((text, secret) => text.split(secret).join('<masked>'), body);
}

/** Quiet limits for tests that are not about throttling but fail many logins. */
export const NO_THROTTLE = {
  freeFailures: 1000,
  ipFreeFailures: 1000,
  firstDelayMs: 1000,
  maxDelayMs: 1000,
  windowMs: 3_600_000,
  ipWindowMs: 3_600_000,
};
