import { decodeBase64, encodeBase64 } from './base64.js';
import {
  FlaskMarkup, FlaskTuple, FlaskUuid, isFlaskDict, type FlaskDict, type FlaskValue,
} from './flask-values.js';
import { formatHttpDate, parseHttpDate } from './http-date.js';
import { parsePythonJson } from './python-json-parse.js';
import { writePythonJson, type PythonJson } from './python-json-write.js';

const TAG_KEYS = new Set([' di', ' t', ' b', ' m', ' u', ' d']);
const MAX_DEPTH = 1000;

/**
 * Flask's tagged JSON (`flask.json.tag.TaggedJSONSerializer`), the text
 * inside a Flask session cookie. Python types JSON lacks travel as
 * one-key objects: `{" t": [...]}` a tuple, `" b"` bytes (base64), `" m"`
 * Markup, `" u"` a UUID (hex), `" d"` a datetime (HTTP date), and `" di"` a
 * dict whose only key looks like a tag. See {@link FlaskValue} for the
 * TypeScript side of each.
 *
 * `stringify` writes byte for byte what Flask writes inside a request
 * (sorted keys, compact, ASCII-only) and throws `TypeError` for a value no
 * Flask session can hold. `parse` never throws: it returns `undefined` for
 * text Flask would refuse, and also for tagged values Flask never writes
 * (a `" t"` that is not a list, non-canonical base64 in `" b"`).
 *
 * @example
 * const text = flaskTaggedJson.stringify({
 *   _flashes: [new FlaskTuple(['message', 'User Created!'])], user_id: 1,
 * });
 * // '{"_flashes":[{" t":["message","User Created!"]}],"user_id":1}'
 * flaskTaggedJson.parse(text); // the same value back
 * flaskTaggedJson.parse('{"a":'); // undefined
 */
export const flaskTaggedJson = {
  stringify(value: FlaskValue): string {
    return writePythonJson(tag(value, 0));
  },
  parse(text: string): FlaskValue | undefined {
    try {
      return parsePythonJson(text, untag);
    } catch {
      return undefined;
    }
  },
};

function tag(value: FlaskValue, depth: number): PythonJson {
  if (depth > MAX_DEPTH) throw new TypeError('Flask session value nests too deeply (or is cyclic)');
  if (isFlaskDict(value)) {
    const keys = Object.keys(value).filter((key) => value[key] !== undefined);
    const [only] = keys;
    if (keys.length === 1 && only !== undefined && TAG_KEYS.has(only)) {
      return { ' di': { [`${only}__`]: tag(value[only] as FlaskValue, depth + 1) } };
    }
    // fromEntries defines own properties, so a "__proto__" key stays data
    return Object.fromEntries(keys.map((key) => [key, tag(value[key] as FlaskValue, depth + 1)]));
  }
  if (value instanceof FlaskTuple) return { ' t': value.items.map((item) => tag(item, depth + 1)) };
  if (Array.isArray(value)) return value.map((item) => tag(item, depth + 1));
  if (value instanceof Uint8Array) return { ' b': encodeBase64(value) };
  if (value instanceof FlaskMarkup) return { ' m': value.html };
  if (value instanceof FlaskUuid) return { ' u': value.hex };
  if (value instanceof Date) return { ' d': formatHttpDate(value) };
  return value;
}

function untag(dict: FlaskDict): FlaskValue {
  const keys = Object.keys(dict);
  const [key] = keys;
  if (keys.length !== 1 || key === undefined || !TAG_KEYS.has(key)) return dict;
  const inner = dict[key];
  switch (key) {
    case ' t':
      if (Array.isArray(inner)) return new FlaskTuple(inner);
      break;
    case ' b': {
      const bytes = typeof inner === 'string' ? decodeBase64(inner) : null;
      if (bytes !== null) return bytes;
      break;
    }
    case ' m':
      if (typeof inner === 'string') return new FlaskMarkup(inner);
      break;
    case ' u':
      if (typeof inner === 'string') return new FlaskUuid(inner);
      break;
    case ' d':
      // Flask reads an unparsable date as None rather than refusing the cookie
      if (typeof inner === 'string') return parseHttpDate(inner);
      if (inner === null) return null;
      break;
    case ' di':
      return untagDict(inner);
  }
  throw new SyntaxError(`malformed ${JSON.stringify(key)} tag`);
}

function untagDict(inner: FlaskValue | undefined): FlaskDict {
  const [suffixed, ...rest] = isFlaskDict(inner) ? Object.keys(inner) : [];
  if (inner === undefined || suffixed === undefined || rest.length > 0 || !suffixed.endsWith('__')) {
    throw new SyntaxError('malformed " di" tag');
  }
  const dict: FlaskDict = {};
  Object.defineProperty(dict, suffixed.slice(0, -2), {
    value: (inner as FlaskDict)[suffixed], enumerable: true, writable: true, configurable: true,
  });
  return dict;
}
