import assert from 'node:assert/strict';
import { Socket } from 'node:net';
import { after, describe, test } from 'node:test';
import { buildApp } from '../../src/app.js';
import { tempSqliteFile, testConfig } from '../helpers.js';
import { startAppProcess } from '../support/app-process.js';
import { eventually, within } from '../support/bounded.js';
import { RawConnection } from '../support/raw-http.js';

const KEY = 'shutdown-test-key-0123456789abcdef012345';

const refused = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = new Socket();
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
    socket.connect(port, '127.0.0.1');
  });

const cookieOf = (setCookie: string | undefined) => (setCookie ?? '').split(';')[0]!;

describe('graceful shutdown', () => {
  test('on SIGTERM, requests on idle keep-alive connections are still answered, then the connections close', async () => {
    const server = await startAppProcess({ DATABASE_URL: `sqlite:${tempSqliteFile()}`, SECRET_KEYS: KEY, SHUTDOWN_TIMEOUT_SECONDS: '10' });
    after(async () => {
      // never leave it stopped or running, whatever failed (ESRCH: it has exited, as it should)
      try {
        process.kill(server.pid, 'SIGCONT');
      } catch {}
      await server.stop('SIGKILL');
    });
    const connections = Array.from({ length: 4 }, () => new RawConnection(server.port));
    const cookies: string[] = [];
    for (const connection of connections) {
      await connection.connect();
      const started = await connection.get('/start_counter');
      assert.equal(started.status, 200);
      assert.notEqual(started.headers.connection, 'close', 'kept alive');
      cookies.push(cookieOf(started.headers['set-cookie']));
    }
    const [early1, early2, late1, late2] = connections.map((connection, index) => ({ connection, cookie: cookies[index]! }));
    // two requests go out while the server is stopped: they sit unread in its socket buffers when
    // SIGTERM arrives, the requests that were dropped with ECONNRESET before
    process.kill(server.pid, 'SIGSTOP');
    for (const { connection, cookie } of [early1!, early2!]) connection.send('/count', { cookie });
    process.kill(server.pid, 'SIGTERM');
    process.kill(server.pid, 'SIGCONT');
    // two more once the server has begun shutting down, as a balancer reusing its pooled connections would
    assert.ok(await eventually(async () => server.output.some((line) => line.includes('SIGTERM')), 10_000), 'the server saw SIGTERM');
    for (const { connection, cookie } of [late1!, late2!]) connection.send('/count', { cookie });

    const answers = [];
    for (const { connection } of [early1!, early2!, late1!, late2!]) {
      const answer = await within(connection.response(), 10_000, 'a request on a kept-alive connection');
      assert.deepEqual([answer.status, answer.body], [200, '1'], 'it was processed, not refused');
      await within(connection.whenClosed, 5000, 'the connection closing after its answer');
      answers.push(answer);
    }
    // the early two may have been read before the signal was handled; the late two certainly after
    assert.deepEqual(answers.slice(2).map((answer) => answer.headers.connection), ['close', 'close'], 'answered with Connection: close');
    assert.ok(await refused(server.port), 'no new connections');
    const exit = await within(server.exited, 15_000, 'the process exiting');
    assert.deepEqual(exit, { code: 0, signal: null });
  });

  test('a request in flight finishes, idle connections close after the grace, then the app closes', async () => {
    const app = await buildApp(testConfig());
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    app.get('/slow', { config: { public: true } }, async () => {
      await gate;
      return 'done';
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as { port: number }).port;
    const busy = new RawConnection(port);
    const idle = new RawConnection(port);
    await Promise.all([busy.connect(), idle.connect()]);
    assert.equal((await idle.get('/healthz')).status, 200);
    busy.send('/slow');
    await new Promise((resolve) => setImmediate(resolve));

    const stopping = app.shutdown({ graceMs: 100, timeoutMs: 10_000 });
    assert.equal(app.draining, true);
    await within(idle.whenClosed, 5000, 'the idle connection closing after the grace');
    assert.ok(await refused(port), 'no new connections');
    release();
    const answer = await within(busy.response(), 5000, 'the request in flight');
    assert.deepEqual([answer.status, answer.body, answer.headers.connection], [200, 'done', 'close']);
    assert.deepEqual(await within(stopping, 5000, 'shutdown'), { dropped: 0 });
    await assert.rejects(app.inject({ url: '/healthz' }), 'the app is closed');
  });

  test('past the deadline, connections still busy are closed and counted', async () => {
    const app = await buildApp(testConfig());
    app.get('/never', { config: { public: true } }, () => new Promise(() => {}));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const stuck = new RawConnection((app.server.address() as { port: number }).port);
    await stuck.connect();
    stuck.send('/never');
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(await within(app.shutdown({ graceMs: 50, timeoutMs: 300 }), 5000, 'shutdown'), { dropped: 1 });
    await within(stuck.whenClosed, 1000, 'the stuck connection closing');
  });
});
