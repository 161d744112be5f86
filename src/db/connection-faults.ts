const FAULT_CODES = new Set([
  // PostgreSQL: the server went away or will not take us (a restart, a failover, pg_terminate_backend)
  '57P01',
  '57P02',
  '57P03',
  '53300',
  // SQLite: locked past busy_timeout, a full disk, an I/O error
  'SQLITE_BUSY',
  'SQLITE_FULL',
  'SQLITE_IOERR',
  // the network
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** What `pg` and `pg-pool` say when a connection broke, timed out or could not be made. */
const FAULT_MESSAGES = [
  'Query read timeout',
  'timeout exceeded when trying to connect',
  'Connection terminated',
  'is not queryable',
  'Cannot use a pool after calling end',
];

/**
 * True when a database error means the database is unreachable, hung or refusing connections
 * (the request should get a 503 and the outage be logged once), not that the query was wrong.
 *
 * @example
 * isDatabaseFault(new Error('Query read timeout')); // true
 * isDatabaseFault(Object.assign(new Error('duplicate key'), { code: '23505' })); // false
 */
export function isDatabaseFault(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (FAULT_CODES.has(code) || code.startsWith('08') || code.startsWith('SQLITE_IOERR'))) return true;
  return FAULT_MESSAGES.some((message) => error.message.includes(message));
}
