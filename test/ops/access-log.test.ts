import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../src/config.js';
import { createTestApp } from '../helpers.js';

async function appWithLog(accessLog: boolean) {
  const lines: Array<Record<string, unknown>> = [];
  const app = await createTestApp({ logLevel: 'info', accessLog }, { logStream: { write: (line) => void lines.push(JSON.parse(line)) } });
  app.get('/boom', { config: { public: true } }, async () => {
    throw new Error('kaboom');
  });
  await app.ready();
  lines.length = 0; // what the start said
  return { app, lines };
}

test('the access log is one line per completed request, not two', async () => {
  const { app, lines } = await appWithLog(true);
  await app.inject({ url: '/users/login' });
  assert.equal(lines.length, 1, JSON.stringify(lines));
  assert.equal(lines[0]!.msg, 'request completed');
  assert.deepEqual([lines[0]!.method, lines[0]!.url, lines[0]!.statusCode], ['GET', '/users/login', 200]);
  assert.equal(typeof lines[0]!.reqId, 'string');
  assert.equal(typeof lines[0]!.responseTime, 'number');
});

test('with the access log off, a request that went well writes nothing and one that failed is still logged', async () => {
  const { app, lines } = await appWithLog(false);
  await app.inject({ url: '/users/login' });
  await app.inject({ url: '/no-such-page' });
  assert.equal(lines.length, 0, JSON.stringify(lines));
  assert.equal((await app.inject({ url: '/boom' })).statusCode, 500);
  assert.ok(lines.some((line) => (line.level as number) >= 50 && JSON.stringify(line).includes('kaboom')), JSON.stringify(lines));
});

test('ACCESS_LOG defaults to off in production and on elsewhere', () => {
  const production = { NODE_ENV: 'production', SECRET_KEYS: 'k'.repeat(64), PUBLIC_URL: 'https://example.com', SMTP_URL: 'smtp://127.0.0.1:25' };
  assert.equal(loadConfig(production).accessLog, false);
  assert.equal(loadConfig({ ...production, ACCESS_LOG: 'true' }).accessLog, true);
  assert.equal(loadConfig({ NODE_ENV: 'development', DATA_DIR: '/tmp' }).accessLog, true);
  assert.throws(() => loadConfig({ ...production, ACCESS_LOG: 'yes' }), /ACCESS_LOG/);
});
