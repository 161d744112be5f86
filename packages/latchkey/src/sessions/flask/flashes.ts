import type { Flash, FlashCategory } from '../session.js';
import { FlaskMarkup, FlaskTuple, type FlaskValue } from './flask-values.js';

/** Flask's categories as Latchkey's three; anything else (Flask's default `message`, `info`, an app's own) is `info`. */
const FROM_FLASK: Readonly<Record<string, FlashCategory>> = {
  success: 'success',
  error: 'error',
  danger: 'error',
  warning: 'error',
};
/** Latchkey's categories as Flask writes them: `info` is Flask's default category, `message`. */
const TO_FLASK: Readonly<Record<FlashCategory, string>> = { success: 'success', error: 'error', info: 'message' };

/** The flashes of a Flask session, and the entry each came from, so an unshown one goes back unchanged. */
export interface ReadFlashes {
  flashes: Flash[];
  originals: Map<Flash, FlaskValue>;
}

/**
 * Reads Flask's `_flashes`: a list of `(category, message)` tuples, as `flask.flash()` appends
 * them. A Markup message becomes its text (Latchkey escapes it when shown); an entry of another
 * shape is skipped.
 *
 * @example
 * readFlaskFlashes([new FlaskTuple(['message', 'Please log in first'])]).flashes;
 * // [{ message: 'Please log in first', category: 'info' }]
 */
export function readFlaskFlashes(value: FlaskValue | undefined): ReadFlashes {
  const read: ReadFlashes = { flashes: [], originals: new Map() };
  if (!Array.isArray(value)) return read;
  for (const entry of value) {
    const pair = entry instanceof FlaskTuple ? entry.items : Array.isArray(entry) ? entry : [];
    const [category, message] = pair;
    const text = typeof message === 'string' ? message : message instanceof FlaskMarkup ? message.html : null;
    if (pair.length !== 2 || typeof category !== 'string' || text === null) continue;
    const flash: Flash = { message: text, category: FROM_FLASK[category] ?? 'info' };
    read.flashes.push(flash);
    read.originals.set(flash, entry);
  }
  return read;
}

/**
 * Writes flashes as Flask's `_flashes`: a flash that came from Flask goes back exactly as it came
 * (its own category, its Markup); a new one is a `(category, message)` tuple.
 *
 * @example
 * writeFlaskFlashes([{ message: 'User Created!', category: 'success' }]);
 * // [FlaskTuple(['success', 'User Created!'])]
 */
export function writeFlaskFlashes(flashes: readonly Flash[], originals: ReadonlyMap<Flash, FlaskValue> = new Map()): FlaskValue[] {
  return flashes.map((flash) => originals.get(flash) ?? new FlaskTuple([TO_FLASK[flash.category], flash.message]));
}
