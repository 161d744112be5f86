// Removes each session, cookie and CSRF defence once, runs the tests that should guard it, and
// says whether they failed (they must). A test that still passes without its defence cannot fail.
//
//   node scripts/defence-check.mjs            every defence (several minutes)
//   node scripts/defence-check.mjs skew csrf  only the defences whose name contains a word
//   node scripts/defence-check.mjs --markdown  also print the table for docs/security.md
//
// It edits source files in place and puts them back; run it on a clean work tree.
import { readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const PKG = 'packages/latchkey/src';
const PKG_TEST = 'packages/latchkey/test';

/** Each defence: where it lives, the edit that removes it, and the tests that must then fail. */
const DEFENCES = [
  {
    name: 'signature check of signed cookies (keyring)',
    file: `${PKG}/sessions/keyring.ts`,
    edits: [['return keys.findIndex((key) => timingSafeEqual(macWith(key, value), given));', 'return 0;']],
    tests: ['test/sessions/signed-mode.test.ts', `${PKG_TEST}/sessions/keyring.test.ts`],
  },
  {
    name: 'canonical encoding of signatures (keyring)',
    file: `${PKG}/sessions/keyring.ts`,
    edits: [["given.length !== 32 || given.toString('base64url') !== mac", 'given.length !== 32']],
    tests: ['test/sessions/signed-mode.test.ts', `${PKG_TEST}/sessions/keyring.test.ts`],
  },
  {
    name: 'canonical encoding of encrypted cookies (sealer)',
    file: `${PKG}/sessions/sealer.ts`,
    edits: [
      ["if (text === undefined || !/^[A-Za-z0-9_-]*$/.test(text)) return null;", 'if (text === undefined) return null;'],
      ["bytes.toString('base64url') !== text || ", ''],
    ],
    tests: ['test/sessions/encrypted-mode.test.ts'],
  },
  {
    name: 'key separation per purpose (HKDF info)',
    file: `${PKG}/sessions/keyring.ts`,
    edits: [["hkdfSync('sha256', secret, 'latchkey', purpose, 32)", "hkdfSync('sha256', secret, 'latchkey', 'any', 32)"]],
    tests: [`${PKG_TEST}/sessions/keyring.test.ts`],
  },
  {
    name: 'clock-skew limit on cookie times',
    file: `${PKG}/sessions/cookie-codec.ts`,
    edits: [['Number.isSafeInteger(time) && time! <= now + MAX_FUTURE_SKEW_MS', 'Number.isSafeInteger(time)']],
    tests: ['test/sessions/cookie-modes.test.ts'],
  },
  {
    name: 'idle expiry inside cookies',
    file: `${PKG}/sessions/cookie-codec.ts`,
    edits: [['if (now - s! >= idleMs || now - c! >= absoluteMs || deadline(timeouts, payload.r === 1, c!, s!) <= now) return null;', 'if (now - c! >= absoluteMs) return null;']],
    tests: ['test/sessions/cookie-modes.test.ts'],
  },
  {
    name: 'absolute expiry inside cookies',
    file: `${PKG}/sessions/cookie-codec.ts`,
    edits: [['if (now - s! >= idleMs || now - c! >= absoluteMs || deadline(timeouts, payload.r === 1, c!, s!) <= now) return null;', 'if (now - s! >= idleMs) return null;']],
    tests: ['test/sessions/cookie-modes.test.ts'],
  },
  {
    name: 'idle expiry in the store (every mode)',
    file: `${PKG}/sessions/codec.ts`,
    edits: [['return Math.min(now + idle, createdAt + absoluteMs);', 'return createdAt + absoluteMs;']],
    tests: ['test/sessions/expiry.test.ts'],
  },
  {
    name: 'absolute expiry of server sessions',
    file: `${PKG}/sessions/codec.ts`,
    edits: [['return Math.min(now + idle, createdAt + absoluteMs);', 'return now + idle;']],
    extra: { file: `${PKG}/sessions/server-codec.ts`, edits: [['const expired = !stored || now - stored.createdAt >= limitsOf(timeouts, stored.remember).absoluteMs;', 'const expired = !stored;']] },
    tests: ['test/sessions/expiry.test.ts'],
  },
  {
    name: 'login record checked on every request (cookie modes)',
    file: `${PKG}/sessions/cookie-codec.ts`,
    edits: [['if (!record || record.userId !== payload.u) return ended(true);', '']],
    tests: ['test/sessions/revocation.test.ts'],
  },
  {
    name: 'store keys are hashes of session ids',
    file: `${PKG}/sessions/server-codec.ts`,
    edits: [["export const storeKey = (id: string) => createHash('sha256').update(id).digest('hex');", 'export const storeKey = (id: string) => id;']],
    tests: ['test/sessions/server-mode.test.ts'],
  },
  {
    name: 'logout deletes the server session',
    file: `${PKG}/sessions/server-codec.ts`,
    edits: [['        if (key) await store.delete(key);\n        return key ? null : undefined;', '        return key ? null : undefined;']],
    tests: ['test/sessions/server-mode.test.ts', 'test/sessions/revocation.test.ts'],
  },
  {
    name: 'session id rotated at login',
    file: `${PKG}/sessions/session.ts`,
    edits: [['    this.#replace();\n    this.rotateId();', '    this.#replace();']],
    tests: ['test/sessions/server-mode.test.ts'],
  },
  {
    name: 'a session of a deleted user ends',
    file: `${PKG}/sessions/session-hooks.ts`,
    edits: [['    else session.destroy();', '']],
    tests: ['test/users/delete-account.test.ts'],
  },
  {
    name: 'flash cookie signature',
    file: `${PKG}/sessions/flash-cookie.ts`,
    edits: [['const unsigned = cookie ? keyring.unsign(cookie) : null;', "const unsigned = cookie ? { value: cookie.slice(0, cookie.lastIndexOf('.')) } : null;"]],
    tests: ['test/sessions/flash.test.ts'],
  },
  {
    name: 'CSRF token check',
    file: `${PKG}/auth/csrf.ts`,
    edits: [["if (typeof token === 'string' && cookie && SECRET_PATTERN.test(cookie) && keyring.verifyMac(binding(request, cookie), token)) return;", 'return;']],
    tests: ['test/auth/csrf.test.ts'],
  },
  {
    name: 'CSRF token bound to the logged-in session',
    file: `${PKG}/auth/csrf.ts`,
    edits: [["return session && session.userId !== null ? `${secretValue}.${session.handle ?? ''}` : secretValue;", 'return secretValue;']],
    tests: ['test/auth/csrf.test.ts'],
  },
  {
    name: 'CSRF secret rotated at login',
    file: `${PKG}/auth/log-in.ts`,
    edits: [['  rotateCsrfSecret(request);\n', '']],
    tests: ['test/auth/csrf.test.ts'],
  },
  {
    name: 'Fetch Metadata (Sec-Fetch-Site) check',
    file: `${PKG}/auth/csrf.ts`,
    edits: [["  if (site !== undefined) return site === 'cross-site';\n", '']],
    tests: ['test/auth/csrf.test.ts'],
  },
  {
    name: 'Origin check',
    file: `${PKG}/auth/csrf.ts`,
    edits: [['return origin !== undefined && originHost(origin) !== originHost(`${request.protocol}://${request.host}`);', 'return false;']],
    tests: ['test/auth/csrf.test.ts'],
  },
  {
    name: 'HttpOnly cookies',
    file: `${PKG}/sessions/session-hooks.ts`,
    edits: [["{ path: '/', httpOnly: true, sameSite: 'lax', secure: options.secure }", "{ path: '/', sameSite: 'lax', secure: options.secure }"]],
    tests: ['test/sessions/server-mode.test.ts'],
  },
  {
    // without ours, @fastify/cookie would still add SameSite=Lax: turning it off is the real removal
    name: 'SameSite=Lax cookies',
    file: `${PKG}/sessions/session-hooks.ts`,
    edits: [["{ path: '/', httpOnly: true, sameSite: 'lax', secure: options.secure }", "{ path: '/', httpOnly: true, sameSite: false, secure: options.secure }"]],
    tests: ['test/sessions/server-mode.test.ts'],
  },
  {
    name: 'Secure cookies in production',
    file: `${PKG}/sessions/session-hooks.ts`,
    edits: [["{ path: '/', httpOnly: true, sameSite: 'lax', secure: options.secure }", "{ path: '/', httpOnly: true, sameSite: 'lax' }"]],
    tests: ['test/sessions/server-mode.test.ts'],
  },
  {
    name: '__Host- cookie prefix in production',
    file: `${PKG}/options.ts`,
    edits: [["const prefix = secure ? '__Host-' : '';", "const prefix = '';"]],
    tests: ['test/sessions/server-mode.test.ts'],
  },
  {
    name: 'Vary: Cookie',
    file: `${PKG}/sessions/session-hooks.ts`,
    edits: [["      reply.header('vary', 'Cookie');\n", '']],
    tests: ['test/sessions/server-mode.test.ts', 'test/sessions/encrypted-mode.test.ts'],
  },
  {
    name: 'Cache-Control: no-store',
    file: `${PKG}/sessions/session-hooks.ts`,
    edits: [["    if (request.user || reply.hasHeader('set-cookie')) reply.header('cache-control', 'no-store');\n", '']],
    tests: ['test/sessions/encrypted-mode.test.ts', 'test/ops/cache-control.test.ts'],
  },
  {
    name: 'login required by default',
    file: `${PKG}/auth/request-checks.ts`,
    edits: [['if (login && !request.user && !config.public && !request.is404) {', 'if (false) {']],
    tests: ['test/guards.test.ts'],
  },
  {
    name: 'weak passwords refused (zxcvbn score)',
    file: `${PKG}/auth/password-policy.ts`,
    edits: [['if (score < MIN_PASSWORD_SCORE) {', 'if (score < 0) {']],
    tests: ['test/security/passwords.test.ts'],
  },
  {
    name: 'a password containing the username refused',
    file: `${PKG}/auth/password-policy.ts`,
    edits: [['if (username.length >= 3 && password.toLowerCase().includes(username.toLowerCase())) {', 'if (false) {']],
    tests: ['test/security/passwords.test.ts'],
  },
  {
    name: 'the names on the form count as known words (zxcvbn user inputs)',
    file: `${PKG}/auth/password-strength.ts`,
    edits: [['estimator().check(password, inputs)', 'estimator().check(password, [])']],
    tests: ['test/security/passwords.test.ts'],
  },
  // operations (issue 10): deadlines, outages, shutdown, bounded anonymous sessions, probes, metrics, events
  {
    name: 'ops: Postgres pool error listener (a dropped connection must not end the process)',
    file: 'src/db/database.ts',
    edits: [["  pool.on('error', (error) => outage?.failed(error));\n", '']],
    tests: ['test/ops/postgres-outage.test.ts'],
  },
  {
    name: 'ops: Postgres deadlines (connect, query)',
    file: 'src/db/database.ts',
    edits: [['connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs, ', '']],
    tests: ['test/ops/postgres-outage.test.ts'],
  },
  {
    name: 'ops: broken Postgres connections thrown away, not reused',
    file: 'src/db/database.ts',
    edits: [['client.release(destroy === true || broken)', 'client.release(destroy === true)']],
    tests: ['test/ops/postgres-outage.test.ts'],
  },
  {
    name: 'ops: a database fault is a 503, not a 500',
    file: 'src/app.ts',
    edits: [['const outage = isDatabaseFault(error) ? outages.database', 'const outage = false ? outages.database']],
    tests: ['test/ops/postgres-outage.test.ts'],
  },
  {
    name: 'ops: Redis command deadline',
    file: 'src/redis.ts',
    edits: [['    commandTimeout: timeoutMs,\n', '']],
    tests: ['test/ops/redis-outage.test.ts'],
  },
  {
    name: 'ops: a deadline on whatever session store (withDeadline)',
    file: 'src/app.ts',
    edits: [['const deadlined = withDeadline(', 'const deadlined = ((store: SessionStore, _options: unknown) => store)(']],
    tests: ['test/ops/store-deadline.test.ts'],
  },
  {
    name: 'ops: an outage is one log line when it starts, not one per failure',
    file: `${PKG}/outage.ts`,
    edits: [['      if (since === null) {\n        since = lastFailure;', '      if (true) {\n        since = lastFailure;']],
    tests: ['test/ops/redis-outage.test.ts', `${PKG_TEST}/outage.test.ts`],
  },
  {
    name: 'ops: an outage ends only once failures have stopped (settle)',
    file: `${PKG}/outage.ts`,
    edits: [['settleMs = 1000,', 'settleMs = 0,']],
    tests: ['test/ops/postgres-outage.test.ts', `${PKG_TEST}/outage.test.ts`],
  },
  {
    name: 'ops: shutdown keeps idle keep-alive connections through the grace',
    file: 'src/ops/shutdown.ts',
    edits: [['      NetServer.prototype.close.call(server);', '      server.close();']],
    tests: ['test/ops/shutdown.test.ts'],
  },
  {
    name: 'ops: Connection: close on every answer while draining',
    file: 'src/ops/shutdown.ts',
    edits: [["response.setHeader('connection', 'close')", 'undefined']],
    tests: ['test/ops/shutdown.test.ts', 'test/ops/health.test.ts'],
  },
  {
    name: 'ops: /readyz says 503 while draining',
    file: 'src/ops/health-routes.ts',
    edits: [['if (draining()) return', 'if (false) return']],
    tests: ['test/ops/health.test.ts'],
  },
  {
    name: 'ops: health probes write no log line',
    file: 'src/ops/health-routes.ts',
    edits: [["logLevel: 'silent' } as const", '} as const']],
    tests: ['test/ops/health.test.ts'],
  },
  {
    name: 'ops: new anonymous sessions limited per address',
    file: `${PKG}/sessions/server-codec.ts`,
    edits: [['if (retryAfterMs > 0) throw tooManySessions(retryAfterMs);', '']],
    tests: ['test/ops/anonymous-sessions.test.ts'],
  },
  {
    name: 'ops: anonymous sessions end after a short idle time',
    file: `${PKG}/sessions/server-codec.ts`,
    edits: [['expiresAt: deadline(timeouts, session.remember, now, now, session.userId === null),', 'expiresAt: deadline(timeouts, session.remember, now, now),']],
    tests: ['test/ops/anonymous-sessions.test.ts'],
  },
  {
    name: 'ops: instances starting at once move the legacy sessions once (lock)',
    file: 'src/db/legacy-sessions.ts',
    edits: [["    if (database.dialect === 'postgres') await sql`SELECT pg_advisory_xact_lock(hashtext('latchkey_legacy_sessions'))`.execute(trx);\n", '']],
    tests: ['test/ops/concurrent-start.test.ts'],
  },
  {
    name: 'ops: /metrics needs the bearer token',
    file: 'src/ops/metrics-routes.ts',
    edits: [["if (typeof given !== 'string' || !timingSafeEqual(digest(given), expected))", "if (typeof given !== 'string')"]],
    tests: ['test/ops/metrics.test.ts'],
  },
  {
    name: 'ops: metrics label requests by route pattern, not URL',
    file: 'src/ops/metrics-routes.ts',
    edits: [["request.routeOptions.url ?? 'unmatched'", 'request.url']],
    tests: ['test/ops/metrics.test.ts'],
  },
  {
    name: 'ops: csrf.refused is a security event',
    file: `${PKG}/auth/request-checks.ts`,
    edits: [["        securityEvent(request, 'csrf.refused');\n", '']],
    tests: ['test/ops/security-events.test.ts'],
  },
  {
    name: 'cookie size limit',
    file: `${PKG}/sessions/cookie-codec.ts`,
    edits: [['if (cookieName.length + value.length + 100 > MAX_COOKIE_BYTES) {', 'if (false) {']],
    tests: [`${PKG_TEST}/sessions/codecs.test.ts`],
  },
  // the JSON API and its tokens (src/api, src/tokens, the package's api-tokens and bearer-auth)
  {
    name: 'api: token scopes (read for GET, write for the rest)',
    file: 'src/api/api-plugin.ts',
    edits: [['route.preHandler = [requireScope(scope), ', 'route.preHandler = [']],
    tests: ['test/api/tokens.test.ts'],
  },
  {
    name: 'api: token expiry',
    file: `${PKG}/auth/bearer-auth.ts`,
    edits: [
      ['record.expiresAt > time ?', 'true ?'],
      ["    if (record.expiresAt <= time) throw invalidToken('expired');\n", ''],
    ],
    tests: ['test/api/tokens.test.ts'],
  },
  {
    name: 'api: a new password revokes tokens',
    file: 'src/users/account-actions.ts',
    edits: [['        await deps.tokens.revokeAll(user.id);\n', '']],
    tests: ['test/api/tokens.test.ts'],
  },
  {
    name: 'api: a reset by mail revokes tokens',
    file: 'src/recovery/password-reset.ts',
    edits: [['      await apiTokens.revokeAll(holder.user.id);\n', '']],
    tests: ['test/api/tokens.test.ts'],
  },
  {
    name: 'api: tokens cannot mint tokens',
    file: 'src/api/tokens-api.ts',
    edits: [['      cookieOnly: true,\n', '']],
    tests: ['test/api/tokens.test.ts'],
  },
  {
    name: 'api: cross-site check on login and signup',
    file: 'src/api/api-plugin.ts',
    edits: [["request.method !== 'GET' && isCrossSiteRequest(request)", 'false']],
    tests: ['test/api/tokens.test.ts'],
  },
  {
    name: 'api: a bearer request reads no session cookie',
    file: `${PKG}/sessions/session-hooks.ts`,
    edits: [[' || request.apiToken) return;', ') return;']],
    tests: ['test/api/tokens.test.ts'],
  },
  {
    name: 'api: owner-only changes',
    file: 'src/api/users-api.ts',
    edits: [['      preHandler: requireSelf,\n    },\n    async (request, reply) => {\n      const user', '    },\n    async (request, reply) => {\n      const user']],
    tests: ['test/api/resources.test.ts'],
  },
  {
    name: 'api: problem+json for every refusal under /api',
    file: 'src/error-pages.ts',
    edits: [['    if (isApiPath(request.url)) return sendErrorProblem(request, reply, error, isOutage);\n', '']],
    tests: ['test/api/contract.test.ts'],
  },
  {
    name: 'api: JSON only under /api (no form parser inherited)',
    file: 'src/api/api-plugin.ts',
    edits: [['  app.removeAllContentTypeParsers();\n', '']],
    tests: ['test/api/contract.test.ts'],
  },
  {
    name: 'api: recovery takes no API tokens',
    file: 'src/api/recovery-api.ts',
    edits: [['{ public: true, cookieOnly: true, noCsrfToken: true }', '{ public: true, noCsrfToken: true }']],
    tests: ['test/api/password-reset.test.ts'],
  },
  {
    name: 'api: forgot password looks nothing up before it answers',
    file: 'src/recovery/forgot-password.ts',
    edits: [
      [
        "      afterAnswer.set(request, async () => {\n        const outcome = await passwordReset.request(login);\n        request.log.info({ outcome }, 'password reset requested');\n      });\n",
        "      const outcome = await passwordReset.request(login);\n      request.log.info({ outcome }, 'password reset requested');\n",
      ],
    ],
    tests: ['test/api/password-reset.test.ts'],
  },
  {
    name: 'api: an email link works once',
    file: 'src/recovery/email-tokens.ts',
    edits: [[".deleteFrom('email_tokens')\n        .where('token_hash', '=', digest(token))\n        .where('purpose', 'in', purposes)\n        .returningAll()", ".selectFrom('email_tokens')\n        .selectAll()\n        .where('token_hash', '=', digest(token))\n        .where('purpose', 'in', purposes)"]],
    tests: ['test/api/email.test.ts'],
  },
  {
    name: 'api: bodies checked as sent (no type coercion)',
    file: 'src/api/api-plugin.ts',
    edits: [['{ ...AJV_OPTIONS, coerceTypes: false }', '{ ...AJV_OPTIONS, coerceTypes: true }']],
    tests: ['test/api/resources.test.ts'],
  },
];

const markdown = process.argv.includes('--markdown');
const words = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const chosen = DEFENCES.filter((defence) => words.length === 0 || words.some((word) => defence.name.includes(word)));
const originals = new Map();

function restore() {
  for (const [file, text] of originals) writeFileSync(file, text);
  originals.clear();
}
process.on('SIGINT', () => {
  restore();
  process.exit(130);
});

function apply({ file, edits }) {
  let text = readFileSync(file, 'utf8');
  if (!originals.has(file)) originals.set(file, text);
  for (const [from, to] of edits) {
    const count = text.split(from).length - 1;
    if (count !== 1) throw new Error(`${file}: expected the text once, found it ${count} times: ${from.slice(0, 60)}`);
    text = text.replace(from, () => to);
  }
  writeFileSync(file, text);
}

const rows = [];
for (const defence of chosen) {
  let verdict;
  let failed = [];
  try {
    apply(defence);
    if (defence.extra) apply(defence.extra);
    const run = spawnSync(process.execPath, ['scripts/test.mjs', '--allow-type-errors', ...defence.tests], { encoding: 'utf8', env: { ...process.env, CI: '' } });
    const output = run.stdout + run.stderr;
    // the innermost failing tests are the ones that caught it, not the suites and files around
    // them: node:test reports a suite after its tests, so a suite's line follows a deeper one
    const lines = [...output.matchAll(/^(\s*)not ok \d+ - (.+)$/gm)].map((match) => ({ depth: match[1].length, name: match[2].trim() }));
    failed = lines.filter((line, index) => index === 0 || lines[index - 1].depth <= line.depth).map((line) => line.name);
    verdict = run.status === 0 ? 'NOT CAUGHT' : 'caught';
  } catch (error) {
    verdict = `not applied (${error.message})`;
  } finally {
    restore();
  }
  rows.push({ name: defence.name, verdict, failed });
  console.log(`${verdict === 'caught' ? 'ok  ' : 'FAIL'} ${defence.name}: ${verdict}${failed.length ? ` — ${[...new Set(failed)].slice(0, 4).join('; ')}` : ''}`);
}

if (markdown) {
  console.log('\n| defence removed | tests that failed |\n|---|---|');
  for (const row of rows) {
    const names = [...new Set(row.failed)].map((name) => `“${name}”`).join('; ');
    console.log(`| ${row.name} | ${row.verdict === 'caught' ? names : `**${row.verdict}**`} |`);
  }
}

const missed = rows.filter((row) => row.verdict !== 'caught');
console.log(`\n${rows.length - missed.length} of ${rows.length} defences caught by a failing test`);
process.exit(missed.length === 0 ? 0 : 1);
