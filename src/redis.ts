import { Redis } from 'ioredis';
import type { OutageTracker } from 'latchkey';
import { ConfigError, redactUrl } from './config.js';

export interface RedisOptions {
  url: string;
  /** The deadline of connecting and of every command, in milliseconds. */
  timeoutMs: number;
  /** Told when the connection fails and when it is ready again, to log an outage once. */
  outage: OutageTracker;
}

/** ioredis's messages when a command could not be sent or did not come back in time. */
const FAULT_MESSAGES = ['Command timed out', "Stream isn't writeable", 'Connection is closed', 'Reached the max retries per request limit'];

/** True when an error means Redis is unreachable or hung (a 503), not that a command was wrong. */
export function isRedisFault(error: unknown): boolean {
  return error instanceof Error && FAULT_MESSAGES.some((message) => error.message.includes(message));
}

/**
 * The one Redis connection (sessions, login counters, anonymous-session limits), checked at boot.
 * Nothing waits on it forever: no offline queue (while Redis is down, commands fail at once),
 * and connecting and every command have a deadline (a stopped or partitioned Redis: 503 within
 * the deadline, then normal again by itself once it answers). Reconnects back off to 2 s.
 *
 * @example
 * const redis = await connectRedis({ url: config.redisUrl, timeoutMs: 1000, outage });
 */
export async function connectRedis({ url, timeoutMs, outage }: RedisOptions): Promise<Redis> {
  const client = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
  });
  // every failed reconnect emits 'error': the tracker turns them into one line per outage
  client.on('error', (error: unknown) => outage.failed(error));
  client.on('ready', () => outage.succeeded());
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    throw new ConfigError(`REDIS_URL: cannot connect to ${redactUrl(url)} (${(error as Error).message})`);
  }
  return client;
}
