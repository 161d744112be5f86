import type { JsonValue } from '../session.js';
import { isFlaskDict, type FlaskValue } from './flask-values.js';

/**
 * A Flask session value as plain JSON, or `undefined` when JSON cannot hold it without losing
 * what it is: a tuple, bytes, Markup, a UUID, a datetime, a whole float (`1.0`), an integer past
 * 2^53, NaN or an infinity, or anything holding one. Latchkey shows route code only the keys that
 * pass, and carries the others back to Flask as they came.
 *
 * @example
 * toJsonValue({ count: 3, tags: ['a'] }); // { count: 3, tags: ['a'] }
 * toJsonValue(new FlaskTuple(['message', 'Hi'])); // undefined
 */
export function toJsonValue(value: FlaskValue): JsonValue | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (Array.isArray(value)) {
    const items: JsonValue[] = [];
    for (const item of value) {
      const json = toJsonValue(item);
      if (json === undefined) return undefined;
      items.push(json);
    }
    return items;
  }
  if (!isFlaskDict(value)) return undefined;
  const entries: [string, JsonValue][] = [];
  for (const [key, item] of Object.entries(value)) {
    const json = toJsonValue(item);
    if (json === undefined) return undefined;
    entries.push([key, json]);
  }
  // fromEntries defines own properties, so a "__proto__" key stays data
  return Object.fromEntries(entries);
}
