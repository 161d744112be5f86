import { FlaskFloat, isFlaskDict } from './flask-values.js';
import { formatPythonFloat } from './python-float.js';

/**
 * The JSON tree Flask hands to `json.dumps` once tags are applied: JSON
 * values plus `bigint` (a big Python int) and {@link FlaskFloat}.
 */
export type PythonJson =
  | null
  | boolean
  | number
  | bigint
  | string
  | FlaskFloat
  | PythonJson[]
  | { [key: string]: PythonJson };

const MAX_DEPTH = 1000;

const SHORT_ESCAPES: Record<number, string> = {
  0x08: '\\b', 0x09: '\\t', 0x0a: '\\n', 0x0c: '\\f', 0x0d: '\\r', 0x22: '\\"', 0x5c: '\\\\',
};

/**
 * Serializes exactly as Flask's session serializer does inside a request:
 * `json.dumps(tree, separators=(",", ":"), sort_keys=True, ensure_ascii=True)`.
 * Keys are sorted by code point (Python's `str` order, not JavaScript's
 * UTF-16 order); every character outside printable ASCII becomes a lowercase
 * `\uXXXX` escape, astral characters as their surrogate pair; a whole
 * `number` is an int, any other `number` a float in Python's `repr` layout.
 *
 * @example
 * writePythonJson({ b: 1, a: 'é' }); // '{"a":"\\u00e9","b":1}'
 */
export function writePythonJson(tree: PythonJson): string {
  return write(tree, 0);
}

function write(node: PythonJson, depth: number): string {
  if (depth > MAX_DEPTH) throw new TypeError('Flask session value nests too deeply (or is cyclic)');
  if (node === null) return 'null';
  if (node === true) return 'true';
  if (node === false) return 'false';
  if (typeof node === 'string') return quote(node);
  if (typeof node === 'bigint') return node.toString();
  if (typeof node === 'number') {
    return Number.isSafeInteger(node) ? String(node === 0 ? 0 : node) : formatPythonFloat(node);
  }
  if (node instanceof FlaskFloat) return formatPythonFloat(node.value);
  if (Array.isArray(node)) return `[${node.map((item) => write(item, depth + 1)).join(',')}]`;
  if (isFlaskDict(node)) {
    const members = Object.keys(node)
      .filter((key) => node[key] !== undefined)
      .sort(compareCodePoints)
      .map((key) => `${quote(key)}:${write(node[key] as PythonJson, depth + 1)}`);
    return `{${members.join(',')}}`;
  }
  throw new TypeError(`cannot write ${describe(node)} into a Flask session`);
}

function quote(text: string): string {
  if (/^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/.test(text)) return `"${text}"`;
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    const short = SHORT_ESCAPES[unit];
    if (short !== undefined) out += short;
    else if (unit >= 0x20 && unit <= 0x7e) out += text[i];
    else out += `\\u${unit.toString(16).padStart(4, '0')}`;
  }
  return `${out}"`;
}

/**
 * Orders strings by Unicode code point, as Python compares `str`.
 * JavaScript's default sort compares UTF-16 units, which puts an astral
 * character (a surrogate pair, 0xD800…) before U+E000–U+FFFF.
 *
 * @example
 * ['\uffff', '😀'].sort(compareCodePoints); // ['\uffff', '😀']
 */
export function compareCodePoints(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length) {
    const x = a.codePointAt(i) ?? 0;
    const y = b.codePointAt(i) ?? 0;
    if (x !== y) return x - y;
    i += x > 0xffff ? 2 : 1;
  }
  return a.length - b.length;
}

function describe(value: unknown): string {
  if (typeof value !== 'object' || value === null) return typeof value;
  return value.constructor?.name ?? 'an object without a prototype';
}
