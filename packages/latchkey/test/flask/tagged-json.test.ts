import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { test } from 'node:test';
import {
  FlaskFloat, FlaskMarkup, FlaskTuple, FlaskUuid, flaskTaggedJson, type FlaskValue,
} from '../../src/sessions/flask/index.js';

const { stringify, parse } = flaskTaggedJson;

test('writes compact JSON with keys in code point order and ASCII-only escapes', () => {
  assert.equal(stringify({ b: 1, a: 'é', '\uffff': 2, '😀': 3, B: [] }), '{"B":[],"a":"\\u00e9","b":1,"\\uffff":2,"\\ud83d\\ude00":3}');
  assert.equal(stringify({ s: '\u0000\b\t\n\f\r"\\/\u007f\u2028' }), '{"s":"\\u0000\\b\\t\\n\\f\\r\\"\\\\/\\u007f\\u2028"}');
});

test('writes numbers as Python does: whole numbers as ints, the rest as floats in repr layout', () => {
  assert.equal(stringify([0, -0, 7, 1.5, 1e-5, 1e16, 2 ** 60, 12345678901234567890n, NaN, -Infinity]),
    '[0,0,7,1.5,1e-05,1e+16,1.152921504606847e+18,12345678901234567890,NaN,-Infinity]');
  assert.equal(stringify([new FlaskFloat(1), new FlaskFloat(-0), new FlaskFloat(1e16)]), '[1.0,-0.0,1e+16]');
});

test('reads ints and floats apart, so an unchanged session is rewritten byte for byte', () => {
  const text = '{"f":[1.0,2.5,1e+16,-0.0],"i":[1,0,9007199254740993]}';
  assert.deepEqual(parse(text), {
    f: [new FlaskFloat(1), 2.5, new FlaskFloat(1e16), new FlaskFloat(-0)], i: [1, 0, 9007199254740993n],
  });
  assert.equal(stringify(parse(text) ?? null), text);
  assert.deepEqual(parse('[-0]'), [0], 'Python reads -0 as the int 0');
});

test('tags each Python type the way Flask does', () => {
  const date = new Date(Date.UTC(2015, 9, 21, 7, 28));
  assert.equal(stringify({
    t: new FlaskTuple([1, [2]]), b: Buffer.from('hi'), m: new FlaskMarkup('<b>'), u: new FlaskUuid('{12345678-1234-5678-1234-567812345678}'), d: date,
  }), '{"b":{" b":"aGk="},"d":{" d":"Wed, 21 Oct 2015 07:28:00 GMT"},"m":{" m":"<b>"},"t":{" t":[1,[2]]},"u":{" u":"12345678123456781234567812345678"}}');
  assert.equal(stringify({ ' t': [1] }), '{" di":{" t__":[1]}}');
  assert.equal(stringify({ ' t': [1], other: 2 }), '{" t":[1],"other":2}');
  assert.deepEqual(parse('{" di":{" t__":[1]}}'), { ' t': [1] });
});

test('keeps values it does not interpret unchanged through a round trip', () => {
  const text = '{"_flashes":[{" t":["message","Please log in first"]}],"_fresh":false,"csrf_token":"a1b2","x":{" di":{" di__":{}}}}';
  assert.equal(stringify(parse(text) ?? null), text);
});

test('a "__proto__" key is data, never a prototype', () => {
  const value = parse('{"__proto__":{"admin":true}}') as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(value), Object.prototype);
  assert.equal(({} as Record<string, unknown>).admin, undefined);
  assert.deepEqual(Object.keys(value), ['__proto__']);
  assert.equal(stringify(value as FlaskValue), '{"__proto__":{"admin":true}}');
  assert.deepEqual(parse('{" di":{"__proto____":1}}'), JSON.parse('{"__proto__":1}'));
});

test('reads dates as Flask does, including its two-digit-year reading of years below 100', () => {
  assert.deepEqual(parse('{" d":"Sun, 02 Jan 0050 03:04:05 GMT"}'), new Date(Date.UTC(2050, 0, 2, 3, 4, 5)));
  assert.equal(parse('{" d":"Sat, 30 Feb 2019 00:00:00 GMT"}'), null);
  assert.equal(parse('{" d":"yesterday"}'), null);
});

test('parse returns undefined, never throws, for text Flask refuses', () => {
  for (const text of ['', '{', '{"a":1,}', '[01]', '{" t":1}', '{" b":"%%%"}', '{" u":"nope"}', '[1] 2', '['.repeat(5000)]) {
    assert.equal(parse(text), undefined, text);
  }
});

test('stringify throws a TypeError for what no Flask session can hold', () => {
  const cyclic: Record<string, FlaskValue> = {};
  cyclic.self = cyclic;
  const bad: unknown[] = [new Map(), [undefined], () => 1, Symbol('s'), new Date(NaN), new Date(Date.UTC(10000, 0, 1)), cyclic];
  for (const value of bad) assert.throws(() => stringify({ value } as unknown as FlaskValue), TypeError);
  assert.throws(() => new FlaskUuid('not-a-uuid'), TypeError);
});

test('leaves out properties that are undefined, as JSON.stringify does', () => {
  assert.equal(stringify({ a: 1, b: undefined } as unknown as FlaskValue), '{"a":1}');
  assert.equal(stringify({ ' t': 1, b: undefined } as unknown as FlaskValue), '{" di":{" t__":1}}');
});
