import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildApp } from '../../src/app.js';
import { createTestApp, testConfig } from '../helpers.js';
import { within } from '../support/bounded.js';
import { RawConnection } from '../support/raw-http.js';

test('/healthz and /readyz answer without a session, a cookie or a log line', async () => {
  const lines: string[] = [];
  const app = await createTestApp({ logLevel: 'info' }, { logStream: { write: (line) => void lines.push(line) } });
  await app.ready();
  lines.length = 0; // what the start said
  for (let i = 0; i < 10; i++) {
    const health = await app.inject({ url: '/healthz' });
    assert.deepEqual([health.statusCode, health.body], [200, 'ok\n']);
    const ready = await app.inject({ url: '/readyz' });
    assert.deepEqual([ready.statusCode, ready.json()], [200, { status: 'ready', database: 'ok' }]);
    for (const response of [health, ready]) {
      assert.equal(response.headers['set-cookie'], undefined, 'no session, no CSRF cookie');
      assert.equal(response.headers.vary, undefined);
      assert.equal(response.headers['cache-control'], 'no-store');
    }
  }
  assert.deepEqual(lines, [], 'probes every few seconds must not fill the log');
  await app.inject({ url: '/messages' });
  assert.ok(lines.length > 0, 'other requests are still logged');
});

test('/readyz says 503 once shutdown has begun, so the balancer stops sending requests', async () => {
  const app = await buildApp(testConfig());
  await app.listen({ port: 0, host: '127.0.0.1' });
  const connection = new RawConnection((app.server.address() as { port: number }).port);
  await connection.connect();
  assert.equal((await connection.get('/readyz')).status, 200);
  const stopping = app.shutdown({ graceMs: 2000, timeoutMs: 5000 });
  const ready = await within(connection.get('/readyz'), 2000, '/readyz while draining');
  assert.deepEqual([ready.status, JSON.parse(ready.body), ready.headers.connection], [503, { status: 'draining' }, 'close']);
  await within(stopping, 5000, 'shutdown');
});
