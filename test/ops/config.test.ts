import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../src/config.js';

const base = { DATA_DIR: '/nonexistent', SECRET_KEYS: 'k'.repeat(40) };

test('deadlines, shutdown and anonymous-session limits have defaults, and a wrong value names its variable', () => {
  const config = loadConfig(base);
  assert.deepEqual(
    [config.databaseTimeoutMs, config.redisTimeoutMs, config.shutdownTimeoutMs, config.anonymousSessions, config.metricsToken],
    [2000, 1000, 10_000, { perMinute: 60, idleMs: 5 * 60_000 }, undefined],
  );
  for (const [variable, value] of [
    ['DATABASE_TIMEOUT_MS', '0'],
    ['REDIS_TIMEOUT_MS', 'soon'],
    ['SHUTDOWN_TIMEOUT_SECONDS', '-1'],
    ['ANONYMOUS_SESSIONS_PER_MINUTE', '0'],
    ['ANONYMOUS_IDLE_MINUTES', 'never'],
  ] as const) {
    assert.throws(() => loadConfig({ ...base, [variable]: value }), new RegExp(`^ConfigError: ${variable}:`), variable);
  }
});
