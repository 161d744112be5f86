/** A table name Latchkey will put into SQL: plain identifiers only, never user input. */
export function checkTableName(option: string, name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(name)) {
    throw new TypeError(`${option}: "${name}" is not a plain SQL identifier (letters, digits, _)`);
  }
  return name;
}

/**
 * The sessions table, step by step: each step runs once, in order, recorded in
 * `<table>_migrations`. Add steps at the end; never edit one that has shipped.
 */
export function sessionTableSteps(dialect: 'sqlite' | 'postgres' | 'mysql', table: string): string[] {
  const time = dialect === 'sqlite' ? 'INTEGER' : 'BIGINT';
  const text = dialect === 'mysql' ? 'VARCHAR(255)' : 'TEXT';
  const key = dialect === 'mysql' ? 'CHAR(64)' : 'TEXT';
  const data = dialect === 'mysql' ? 'LONGTEXT' : 'TEXT';
  const agent = dialect === 'mysql' ? 'VARCHAR(300)' : 'TEXT';
  // SQLite: the key is the table's own b-tree, one lookup per read instead of index + table
  const suffix = dialect === 'sqlite' ? ' WITHOUT ROWID' : dialect === 'mysql' ? ' ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin' : '';
  return [
    `CREATE TABLE ${table} (
      key_hash ${key} PRIMARY KEY,
      user_id ${text},
      data ${data} NOT NULL,
      created_at ${time} NOT NULL,
      last_seen_at ${time} NOT NULL,
      expires_at ${time} NOT NULL,
      handle ${text} NOT NULL,
      remember SMALLINT NOT NULL DEFAULT 0,
      user_agent ${agent} NOT NULL DEFAULT '',
      ip ${text} NOT NULL DEFAULT ''
    )${suffix}`,
    `CREATE INDEX ${table}_user_id ON ${table} (user_id)`,
    `CREATE INDEX ${table}_expires_at ON ${table} (expires_at)`,
  ];
}

/** The columns every SQL store reads and writes, in this order. */
export const SESSION_COLUMNS = 'key_hash, user_id, data, created_at, last_seen_at, expires_at, handle, remember, user_agent, ip';
