import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import pg from 'pg';
import { Client, createTestApp, signUp } from '../helpers.js';
import { POSTGRES_URL } from '../services.js';
import { eventually, within } from '../support/bounded.js';
import { freshDatabase } from '../support/postgres.js';
import { startTcpProxy } from '../support/tcp-proxy.js';

/** Ends every connection a given application name holds, as a failover, a restart or an idle reaper does. */
async function terminateBackends(applicationName: string): Promise<number> {
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  try {
    const { rows } = await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [applicationName]);
    return rows.length;
  } finally {
    await admin.end();
  }
}

describe('when PostgreSQL drops connections or hangs', async () => {
  const database = await freshDatabase();
  const skip = typeof database === 'string' ? database : false;
  after(async () => {
    if (typeof database !== 'string') await database.drop();
  });

  test('dropped connections neither end the process nor give a 500, and the app recovers by itself', { skip }, async () => {
    if (typeof database === 'string') return;
    const applicationName = `latchkey_drop_${process.pid}`;
    const warnings: string[] = [];
    const logStream = { write: (line: string) => void (JSON.parse(line).level >= 40 && warnings.push(line)) };
    const app = await createTestApp({ databaseUrl: `${database.url}?application_name=${applicationName}`, databaseTimeoutMs: 1000, logLevel: 'warn' }, { logStream });
    const alice = new Client(app);
    await signUp(alice, 'alice');

    // with no traffic: before, the pool's idle connections emitted an 'error' nobody listened to
    assert.ok((await terminateBackends(applicationName)) > 0, 'the app held connections');
    assert.ok(await eventually(async () => (await alice.get('/users/welcome')).statusCode === 200, 5000), 'it serves again');

    // under load: requests caught by the drop may fail, but only with a 503, and the rest go on
    const statuses: number[] = [];
    let running = true;
    const loops = Array.from({ length: 4 }, async () => {
      while (running) statuses.push((await alice.get('/users/welcome')).statusCode);
    });
    await eventually(async () => statuses.length >= 20, 5000, 5);
    const warningsBefore = warnings.length;
    await terminateBackends(applicationName);
    const atDrop = statuses.length;
    await eventually(async () => statuses.length >= atDrop + 40, 10_000, 5);
    running = false;
    await Promise.all(loops);
    assert.deepEqual(statuses.filter((status) => status !== 200 && status !== 503), [], 'never a 500');
    assert.ok(statuses.slice(-10).every((status) => status === 200), `back to 200 without a restart: ${statuses.slice(-10).join(' ')}`);
    // each dependency seen failing says so once, however many connections it lost
    const starts = warnings.slice(warningsBefore).filter((line) => / unavailable: /.test(line)).map((line) => String(JSON.parse(line).outage));
    assert.equal(new Set(starts).size, starts.length, `one line per outage, not per connection:\n${warnings.join('\n')}`);
  });

  test('a hung PostgreSQL gets a 503 within the deadline, on every page, and the app recovers when it answers', { skip }, async () => {
    if (typeof database === 'string') return;
    const proxy = await startTcpProxy(Number(new URL(POSTGRES_URL).port || 5432), new URL(POSTGRES_URL).hostname);
    after(() => proxy.close());
    const throughProxy = new URL(database.url);
    throughProxy.port = String(proxy.port);
    throughProxy.hostname = '127.0.0.1';
    const app = await createTestApp({ databaseUrl: throughProxy.toString(), databaseTimeoutMs: 300 });
    const alice = new Client(app);
    await signUp(alice, 'hung');

    // several idle connections in the pool, as under load: the hang catches them mid-query
    await Promise.all(Array.from({ length: 4 }, () => new Client(app).get('/messages')));
    proxy.pause(); // bytes are held, nothing is refused: what a hung server or a partition looks like
    try {
      const page = await within(alice.get('/users/welcome'), 5000, 'a logged-in page');
      assert.equal(page.statusCode, 503, 'the session store (Postgres) fails closed');
      const ready = await within(app.inject({ url: '/readyz' }), 5000, '/readyz');
      assert.deepEqual([ready.statusCode, ready.json()], [503, { status: 'unavailable', database: 'unavailable' }]);
      const signup = await within(new Client(app).post('/users/signup', { username: 'during', password: 'a long enough passphrase', first_name: 'D', last_name: 'H' }), 5000, 'a signup');
      assert.equal(signup.statusCode, 503, 'a write fails closed too');
      const list = await within(new Client(app).get('/messages'), 5000, 'a public page that queries');
      assert.equal(list.statusCode, 503, 'a query in a route is a 503 too, not a 500');
      assert.match(list.body, /unavailable right now/);
    } finally {
      // the connections open during the hang never answer again; only new ones work
      proxy.abandon();
    }
    assert.ok(await eventually(async () => (await new Client(app).get('/messages')).statusCode === 200, 5000), 'back without a restart');
    for (let i = 0; i < 15; i++) {
      assert.equal((await new Client(app).get('/messages')).statusCode, 200, 'no broken connection is handed out again');
    }
    assert.equal((await alice.get('/users/welcome')).statusCode, 200);
    assert.equal((await app.inject({ url: '/readyz' })).statusCode, 200);
  });
});
