import { FlaskFloat, type FlaskDict, type FlaskValue } from './flask-values.js';

/** Called with every decoded object, innermost first, like Python's `object_hook`. */
export type ObjectHook = (dict: FlaskDict) => FlaskValue;

const MAX_DEPTH = 1000;
const WHITESPACE = /[ \t\n\r]*/y;
const NUMBER = /-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?/y;
const PLAIN_RUN = /[^"\\\x00-\x1f]*/y;
const LITERALS: ReadonlyArray<readonly [string, FlaskValue]> = [
  ['null', null], ['true', true], ['false', false],
  ['NaN', NaN], ['Infinity', Infinity], ['-Infinity', -Infinity],
];
const ESCAPES: Record<string, string> = {
  '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t',
};

/**
 * Parses JSON as Python's `json.loads(text, object_hook=hook)` does, keeping
 * what `JSON.parse` would lose: a number with a fraction or exponent is a
 * Python float (a {@link FlaskFloat} when whole), one without is an int (a
 * `bigint` beyond 2^53); `NaN`, `Infinity` and `-Infinity` are accepted, as
 * Python writes them. A `__proto__` key is an ordinary own property.
 *
 * Throws `SyntaxError` on anything Python would refuse; the trust boundary
 * ({@link flaskTaggedJson}) turns that into "no value".
 *
 * @example
 * parsePythonJson('{"n":1.0,"big":9007199254740993}');
 * // { n: FlaskFloat { value: 1 }, big: 9007199254740993n }
 */
export function parsePythonJson(text: string, hook: ObjectHook = (dict) => dict): FlaskValue {
  let pos = 0;

  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at offset ${pos}`);
  };
  const skipWhitespace = (): void => {
    WHITESPACE.lastIndex = pos;
    WHITESPACE.test(text);
    pos = WHITESPACE.lastIndex;
  };
  const expect = (char: string): void => {
    skipWhitespace();
    if (text[pos] !== char) fail(`expected ${JSON.stringify(char)}`);
    pos += 1;
  };

  const parseString = (): string => {
    pos += 1;
    let out = '';
    for (;;) {
      PLAIN_RUN.lastIndex = pos;
      PLAIN_RUN.test(text);
      out += text.slice(pos, PLAIN_RUN.lastIndex);
      pos = PLAIN_RUN.lastIndex;
      const char = text[pos];
      if (char === '"') {
        pos += 1;
        return out;
      }
      if (char !== '\\') return fail('unterminated string or control character');
      const escape = text[pos + 1] ?? '';
      if (escape === 'u') {
        const hex = text.slice(pos + 2, pos + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('bad \\u escape');
        out += String.fromCharCode(parseInt(hex, 16));
        pos += 6;
      } else {
        const decoded = ESCAPES[escape];
        if (decoded === undefined) fail('bad escape');
        out += decoded;
        pos += 2;
      }
    }
  };

  const parseNumber = (): FlaskValue => {
    NUMBER.lastIndex = pos;
    const match = NUMBER.exec(text);
    if (match === null) return fail('expected a value');
    pos = NUMBER.lastIndex;
    const token = match[0];
    const value = Number(token);
    if (match[1] !== undefined || match[2] !== undefined) {
      return Number.isInteger(value) ? new FlaskFloat(value) : value;
    }
    if (Number.isSafeInteger(value)) return value === 0 ? 0 : value;
    return BigInt(token);
  };

  const parseValue = (depth: number): FlaskValue => {
    if (depth > MAX_DEPTH) fail('nesting too deep');
    skipWhitespace();
    const char = text[pos];
    if (char === '"') return parseString();
    if (char === '[') {
      pos += 1;
      const list: FlaskValue[] = [];
      skipWhitespace();
      if (text[pos] === ']') {
        pos += 1;
        return list;
      }
      for (;;) {
        list.push(parseValue(depth + 1));
        skipWhitespace();
        if (text[pos] === ']') {
          pos += 1;
          return list;
        }
        expect(',');
      }
    }
    if (char === '{') {
      pos += 1;
      const dict: FlaskDict = {};
      skipWhitespace();
      if (text[pos] === '}') {
        pos += 1;
        return hook(dict);
      }
      for (;;) {
        skipWhitespace();
        if (text[pos] !== '"') fail('expected a key in double quotes');
        const key = parseString();
        expect(':');
        // defineProperty: a "__proto__" key must stay data, never become a prototype
        Object.defineProperty(dict, key, {
          value: parseValue(depth + 1), enumerable: true, writable: true, configurable: true,
        });
        skipWhitespace();
        if (text[pos] === '}') {
          pos += 1;
          return hook(dict);
        }
        expect(',');
      }
    }
    for (const [word, value] of LITERALS) {
      if (text.startsWith(word, pos)) {
        pos += word.length;
        return value;
      }
    }
    return parseNumber();
  };

  const result = parseValue(0);
  skipWhitespace();
  if (pos !== text.length) fail('extra data');
  return result;
}
