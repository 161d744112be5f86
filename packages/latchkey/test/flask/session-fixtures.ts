import { Buffer } from 'node:buffer';
import {
  FlaskFloat, FlaskMarkup, FlaskTuple, FlaskUuid, type FlaskDict, type FlaskValue,
} from '../../src/sessions/flask/index.js';

const utc = (...args: [number, number, number, number?, number?, number?]): Date => {
  const date = new Date(0);
  date.setUTCFullYear(args[0], args[1], args[2]);
  date.setUTCHours(args[3] ?? 0, args[4] ?? 0, args[5] ?? 0, 0);
  return date;
};

/** Deterministic bytes (mulberry32), so fixtures are the same on every run. */
export function randomBytes(length: number, seed: number): Uint8Array {
  const random = seededRandom(seed);
  return Uint8Array.from({ length }, () => Math.floor(random() * 256));
}

export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function nested(depth: number): FlaskValue {
  let value: FlaskValue = { leaf: new FlaskTuple([depth]) };
  for (let i = depth; i > 0; i--) value = { [`level${i}`]: value, [`sibling${i}`]: [i, `x${i}`] };
  return value;
}

/** Sessions a Flask app really holds, and every corner of the format; canonical, so they compare equal after a round trip. */
export const SESSION_FIXTURES: Record<string, FlaskDict> = {
  'the counter demo': { count: 0 },
  'a Flask-Login session with a Flask-WTF token': {
    _user_id: '42', _fresh: true, _id: 'f'.repeat(128), csrf_token: '3f1c2e9a'.repeat(5), user_id: 42,
  },
  'flash messages as (category, message) tuples': {
    _flashes: [new FlaskTuple(['message', 'Please log in first']), new FlaskTuple(['error', 'Not Authorized'])],
  },
  'every tag': {
    tuple: new FlaskTuple([1, 'two', new FlaskTuple([]), [new FlaskTuple([null])]]),
    bytes: Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
    empty_bytes: Buffer.alloc(0),
    markup: new FlaskMarkup('<b>Welcome</b> &amp; café'),
    uuid: new FlaskUuid('12345678-9abc-4def-8123-456789abcdef'),
    dates: [utc(2015, 9, 21, 7, 28), utc(100, 0, 1), utc(9999, 11, 31, 23, 59, 59), utc(1969, 6, 20, 20, 17, 40), utc(999, 0, 2)],
    tag_looking_keys: [{ ' t': 1 }, { ' di': { ' b': 'not bytes' } }, { ' d': 'x' }, { ' t__': 2 }, { ' t': 1, ' b': 2 }],
    in_a_tuple: new FlaskTuple([{ ' m': new FlaskMarkup('<i>') }, Buffer.from('hi')]),
  },
  'a single tag-looking key at the top': { ' u': 'plain string' },
  unicode: {
    'café': 'naïve — “quotes” 😀 \u2028\u2029 \u007f \u0000\u001f\t\n\r\b\f "\\ /',
    lone_surrogates: ['\ud800', '\udfff', 'a\udbffz', '\ud83d\ude00'],
    ['\uffff']: 'U+FFFF sorts before 😀 in Python, after it in UTF-16', ['😀']: 1, ['\ue000']: 2, B: 3, a: 4, '': 5, ' ': 6,
  },
  numbers: {
    ints: [0, -1, 1, 2 ** 53 - 1, -(2 ** 53 - 1), 9007199254740993n, -(2n ** 64n), 10n ** 30n],
    floats: [1.5, -2.25, 0.1 + 0.2, 1e-7, 1e-5, 0.0001, 123456789.123, 5e-324, -2.5e-300],
    whole_floats: [new FlaskFloat(0), new FlaskFloat(-0), new FlaskFloat(1), new FlaskFloat(1e16), new FlaskFloat(-3e300), new FlaskFloat(1.7976931348623157e308)],
    specials: [NaN, Infinity, -Infinity],
  },
  'nested dicts 40 deep': { root: nested(40) },
  'empties and scalars': { list: [], tuple: new FlaskTuple([]), dict: {}, text: '', none: null, yes: true, no: false },
  // a computed ['__proto__'] key is an own property; a bare __proto__: would set the prototype
  'keys that are dangerous in JavaScript': { ['__proto__']: { polluted: true }, constructor: 'c', toString: 't', hasOwnProperty: 'h' },
  'a large compressible value': {
    notes: 'Latchkey and Flask share this session. '.repeat(80),
    _flashes: Array.from({ length: 40 }, (_, i) => new FlaskTuple(['message', `Message ${i % 3} Created!`])),
  },
  'a large incompressible value': { noise: Buffer.from(randomBytes(900, 7)).toString('base64') },
};

