import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadConfig } from '../../src/config.js';
import { Client, createTestApp, PASSWORD, signUp } from '../helpers.js';

const TOKEN = 'metrics-token-0123456789abcdef';

/** The value of one series in Prometheus text, or undefined when it is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('GET /metrics', () => {
  test('is not there at all unless METRICS_TOKEN is set', async () => {
    const app = await createTestApp();
    assert.equal((await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } })).statusCode, 404);
  });

  test('needs the bearer token', async () => {
    const app = await createTestApp({ metricsToken: TOKEN });
    for (const authorization of [undefined, `Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, TOKEN, `Basic ${TOKEN}`]) {
      const response = await app.inject({ url: '/metrics', headers: authorization ? { authorization } : {} });
      assert.equal(response.statusCode, 401, String(authorization));
      assert.match(String(response.headers['www-authenticate']), /^Bearer/);
      assert.doesNotMatch(response.body, /http_request/);
    }
    const allowed = await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(allowed.statusCode, 200);
    assert.match(String(allowed.headers['content-type']), /^text\/plain; version=0\.0\.4/);
  });

  test('counts requests by route pattern and status, logins by outcome, sessions, the store and the process', async () => {
    const app = await createTestApp({ metricsToken: TOKEN });
    const alice = new Client(app);
    const id = await signUp(alice, 'alice');
    const bob = new Client(app);
    const bobId = await signUp(bob, 'bob');
    await alice.get(`/users/${bobId}`);
    await alice.get(`/users/${id}`);
    await alice.post('/users/logout');
    await alice.get('/users/login');
    await alice.post('/users/login', { username: 'alice', password: 'wrong password' });
    await alice.post('/users/login', { username: 'alice', password: PASSWORD });
    for (let i = 0; i < 50; i++) await app.inject({ url: `/no/such/page/${i}?q=${i}` });
    const text = (await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } })).body;

    assert.equal(sample(text, 'http_request_duration_seconds_count{route="/users/:id",method="GET",status="200"}'), 2, 'one series per route, not per URL');
    assert.doesNotMatch(text, /route="\/users\/\d/);
    assert.equal(sample(text, 'http_request_duration_seconds_count{route="unmatched",method="GET",status="404"}'), 50, 'unknown URLs share one series');
    assert.doesNotMatch(text, /no\/such\/page/);
    assert.ok(sample(text, 'http_request_duration_seconds_bucket{le="0.1",route="/users/welcome",method="GET",status="200"}')! >= 1, 'with latency buckets');
    assert.equal(sample(text, 'latchkey_logins_total{outcome="ok"}'), 1);
    assert.equal(sample(text, 'latchkey_logins_total{outcome="failed"}'), 1);
    assert.equal(sample(text, 'latchkey_security_events_total{event="signup"}'), 2);
    assert.equal(sample(text, 'latchkey_sessions_created_total'), 3, 'two signups and a login');
    assert.ok(sample(text, 'latchkey_sessions_ended_total{scope="session"}')! >= 1, 'the logout');
    assert.ok(sample(text, 'latchkey_session_store_duration_seconds_count{operation="get"}')! > 0);
    assert.match(text, /^# TYPE latchkey_session_store_errors_total counter$/m);
    assert.ok(sample(text, 'nodejs_eventloop_lag_p99_seconds') !== undefined, 'event-loop delay');
    assert.ok(sample(text, 'process_cpu_seconds_total') !== undefined, 'process metrics');
  });

  test('a short METRICS_TOKEN stops the start, naming the variable', () => {
    assert.throws(() => loadConfig({ METRICS_TOKEN: 'short', DATA_DIR: '/nonexistent', SECRET_KEYS: 'k'.repeat(40) }), /METRICS_TOKEN: use at least 16 characters/);
  });
});
