import { flaskBcryptSha256 } from 'latchkey';
import { usernameKey } from '../username-key.js';
import type { FlaskUser } from './flask-source.js';

/** A row of Latchkey's users table, as the import compares and writes it. */
export interface UserRowValues {
  id: number;
  username: string;
  username_key: string;
  username_clash: number;
  password_hash: string;
  first_name: string;
  last_name: string;
}

/** A Flask user the import leaves out, and why; the rest of the import goes on. */
export interface SkippedUser {
  id: number;
  username: string;
  reason: string;
}

/** Accounts whose usernames are one name under Latchkey's rules (case, lookalike letters); all are kept. */
export type ClashGroup = { id: number; username: string; holdsName: boolean }[];

/** What to write to bring Latchkey's users in line with Flask's. */
export interface UserPlan {
  inserts: UserRowValues[];
  /** Rows imported before whose values changed: their final values. */
  updates: UserRowValues[];
  /** Rows outside the import whose clash mark moves (the name's holder changed). */
  flagChanges: { id: number; username_clash: number }[];
  unchanged: number;
  /** The Flask ids that are now in Latchkey as Flask has them (for their messages). */
  imported: Set<number>;
  skipped: SkippedUser[];
  clashes: ClashGroup[];
  /** Users imported before and since gone from Flask: kept. */
  stale: number;
  /** Flask users whose password column is no bcrypt hash: imported, they cannot log in until it is reset. */
  unusableHashes: number[];
  /** Usernames Latchkey's signup form would refuse (spaces, other letters, over 64): kept as they are. */
  unusualUsernames: string[];
}

const BCRYPT_HASH = /^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/;
const SIGNUP_USERNAME = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * Decides, without touching a database, what an import writes: Flask's users keep their ids,
 * names and hashes; a row Latchkey made itself (not imported before) is never overwritten, so an
 * id or a username it holds keeps the Flask user out (reported); usernames that are one name under
 * Latchkey's rules are all kept, the one that already held the name (else the oldest) holding it
 * and the others marked `username_clash = 1`, as migration 002 did for existing accounts.
 *
 * @example
 * const plan = planUsers(flaskUsers, latchkeyRows, importedBefore, { bcryptSha256: false });
 */
export function planUsers(
  flaskUsers: readonly FlaskUser[],
  existingRows: readonly UserRowValues[],
  importedBefore: ReadonlySet<number>,
  { bcryptSha256 }: { bcryptSha256: boolean },
): UserPlan {
  const existing = new Map(existingRows.map((row) => [row.id, row]));
  const flaskIds = new Set(flaskUsers.map((user) => user.id));
  const plan: UserPlan = {
    inserts: [], updates: [], flagChanges: [], unchanged: 0, imported: new Set(), skipped: [], clashes: [],
    stale: [...importedBefore].filter((id) => existing.has(id) && !flaskIds.has(id)).length,
    unusableHashes: [], unusualUsernames: [],
  };

  const wanted = new Map<number, UserRowValues>();
  for (const user of flaskUsers) {
    const before = existing.get(user.id);
    if (before && !importedBefore.has(user.id)) {
      plan.skipped.push({ id: user.id, username: user.username, reason: `Latchkey's own account #${user.id} (${before.username}) has this id` });
      continue;
    }
    const usable = BCRYPT_HASH.test(user.password);
    if (!usable) plan.unusableHashes.push(user.id);
    if (!SIGNUP_USERNAME.test(user.username)) plan.unusualUsernames.push(user.username);
    wanted.set(user.id, {
      id: user.id,
      username: user.username,
      username_key: usernameKey(user.username),
      username_clash: before?.username_clash ?? 1,
      password_hash: usable && bcryptSha256 ? flaskBcryptSha256(user.password) : user.password,
      first_name: user.first_name ?? '',
      last_name: user.last_name ?? '',
    });
  }
  leaveOutTakenNames(wanted, existing, plan.skipped);

  const final = new Map(existing);
  for (const [id, row] of wanted) final.set(id, row);
  markClashes(final, existing, wanted, plan);

  for (const [id, row] of wanted) {
    plan.imported.add(id);
    const before = existing.get(id);
    if (!before) plan.inserts.push(row);
    else if (sameRow(before, row)) plan.unchanged++;
    else plan.updates.push(row);
  }
  for (const [id, row] of final) {
    const before = existing.get(id);
    if (!wanted.has(id) && before && before.username_clash !== row.username_clash) plan.flagChanges.push({ id, username_clash: row.username_clash });
  }
  return plan;
}

/**
 * Each username is one account's exactly (a unique column). A Flask user whose exact name another
 * row keeps — Latchkey's own account, or an imported one Flask has since renamed or deleted — is
 * left out, and leaving it out may free or take another name, so this repeats until nothing moves.
 */
function leaveOutTakenNames(wanted: Map<number, UserRowValues>, existing: Map<number, UserRowValues>, skipped: SkippedUser[]): void {
  for (let moved = true; moved; ) {
    moved = false;
    const owners = new Map<string, number>();
    for (const [id, row] of existing) if (!wanted.has(id)) owners.set(row.username, id);
    for (const [id, row] of [...wanted]) {
      const owner = owners.get(row.username);
      if (owner === undefined) {
        owners.set(row.username, id);
        continue;
      }
      const whose = wanted.has(owner) ? `Flask user #${owner}'s too` : `account #${owner}'s in Latchkey`;
      skipped.push({ id, username: row.username, reason: `the username is ${whose}` });
      wanted.delete(id);
      moved = true;
    }
  }
}

/** Sets every final row's clash mark: one holder per username key, reported when Flask users share it. */
function markClashes(final: Map<number, UserRowValues>, existing: Map<number, UserRowValues>, wanted: Map<number, UserRowValues>, plan: UserPlan): void {
  const groups = new Map<string, number[]>();
  for (const [id, row] of final) {
    const group = groups.get(row.username_key);
    if (group) group.push(id);
    else groups.set(row.username_key, [id]);
  }
  for (const ids of groups.values()) {
    ids.sort((a, b) => a - b);
    // whoever holds the name now and keeps the same spelling goes on holding it: a re-run changes nothing
    const holder = ids.find((id) => existing.get(id)?.username_clash === 0 && existing.get(id)?.username === final.get(id)!.username) ?? ids[0]!;
    for (const id of ids) final.set(id, { ...final.get(id)!, username_clash: id === holder ? 0 : 1 });
    if (ids.length > 1 && ids.some((id) => wanted.has(id))) {
      plan.clashes.push(ids.map((id) => ({ id, username: final.get(id)!.username, holdsName: id === holder })));
    }
  }
  for (const id of wanted.keys()) wanted.set(id, final.get(id)!);
}

function sameRow(a: UserRowValues, b: UserRowValues): boolean {
  return (
    a.username === b.username && a.username_key === b.username_key && a.username_clash === b.username_clash &&
    a.password_hash === b.password_hash && a.first_name === b.first_name && a.last_name === b.last_name
  );
}
