import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { buildApp } from '../../src/app.js';
import { testConfig } from '../helpers.js';
import { freshDatabase } from '../support/postgres.js';

const database = await freshDatabase();
after(async () => {
  if (typeof database !== 'string') await database.drop();
});

test('several instances starting at once on an empty PostgreSQL database all start (migrations run once)', { skip: typeof database === 'string' ? database : false }, async () => {
  if (typeof database === 'string') return;
  const starts = await Promise.allSettled(Array.from({ length: 4 }, () => buildApp(testConfig({ databaseUrl: database.url }))));
  const apps = starts.flatMap((start) => (start.status === 'fulfilled' ? [start.value] : []));
  await Promise.all(apps.map((app) => app.close()));
  assert.deepEqual(
    starts.filter((start) => start.status === 'rejected').map((start) => String((start as PromiseRejectedResult).reason)),
    [],
  );
});
