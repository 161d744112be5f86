import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { after, test } from 'node:test';
import { flaskTaggedJson, type FlaskDict } from '../../src/sessions/flask/index.js';
import { formatPythonFloat } from '../../src/sessions/flask/python-float.js';
import { createFlaskOracle, needsFlask } from './flask-oracle.js';
import { fromSpec, type Spec } from './python-spec.js';
import { randomBytes, seededRandom } from './session-fixtures.js';

const oracle = createFlaskOracle();
after(() => oracle.close());
const JSON_SPELLING: Record<string, string> = { nan: 'NaN', inf: 'Infinity', '-inf': '-Infinity' };

test('writes 3000 random doubles exactly as Python\'s json does', needsFlask, async () => {
  const bytes = Buffer.from(randomBytes(8 * 3000, 11));
  const doubles = Array.from({ length: 3000 }, (_, i) => bytes.readDoubleBE(i * 8));
  const edges = [1e-5, 9.999999999999999e-5, 1e-4, 0.00012, 1e15, 9999999999999998, 1e16, 2 ** 53, 2 ** 53 + 2,
    123456789012345680000, 1e21, 1e22, 5e-324, 2.2250738585072014e-308, Number.MAX_VALUE, 0.1, 1 / 3, -0, 0, 100, 1.5];
  const all = [...doubles, ...edges, ...edges.map((x) => -x)];
  const bits = all.map((x) => {
    const buffer = Buffer.alloc(8);
    buffer.writeDoubleBE(x);
    return buffer.toString('hex');
  });
  const { reprs } = await oracle.call<{ reprs: string[] }>('float_repr', { bits });
  all.forEach((x, i) => {
    const python = reprs[i] ?? '';
    assert.equal(formatPythonFloat(x), JSON_SPELLING[python] ?? python, `bits ${bits[i]}`);
  });
});

test('escapes and orders 400 random strings exactly as Flask does', needsFlask, async () => {
  const random = seededRandom(5);
  const units = [0x00, 0x08, 0x09, 0x0a, 0x1f, 0x20, 0x22, 0x2f, 0x5c, 0x7e, 0x7f, 0x80, 0xe9, 0x2028, 0xd7ff,
    0xd800, 0xdbff, 0xdc00, 0xdfff, 0xe000, 0xfeff, 0xfffd, 0xffff, 0x41, 0x61, 0x7a];
  const strings = Array.from({ length: 400 }, () => {
    const length = Math.floor(random() * 6);
    return String.fromCharCode(...Array.from({ length }, () => units[Math.floor(random() * units.length)] ?? 0x41));
  });
  strings.push('😀', '\ud83d\ude00x', 'a😀', 'a\uffff');
  const dict: FlaskDict = {};
  for (const text of strings) dict[text] = [text];
  const spec: Spec = { $dict: Object.entries(dict).map(([key]) => [key, [key]]) };
  const { json } = await oracle.call<{ json: string }>('tagged_dumps', { value: spec });
  assert.equal(flaskTaggedJson.stringify(dict), json);
});

/** Text Flask's serializer may meet, read by both; they must agree on the value or on refusing it. */
const AGREED = [
  '{"a":1,"a":2}',
  ' {"x" : [1, 2.0, 3e2, -0, -0.0, 1E400, -1e400, NaN, Infinity, -Infinity, 0.5e-3] } ',
  '{"k":9007199254740993,"m":-9007199254740993,"n":12345678901234567890123}',
  '{" di":{" t__":[1]}}', '{" di":{" di__":{" di":{" b__":null}}}}',
  '{" t":[1,{" b":"aGk="},{" t":[]}]}', '[{" t":[" t"]},{" t__":1},{" t":1,"x":2}]',
  '{" d":"Wed, 21 Oct 2015 07:28:00 GMT"}',
  '{" d":"Sun, 02 Jan 0050 03:04:05 GMT"}', '{" d":"Mon, 01 Jan 0069 00:00:00 GMT"}', '{" d":"Mon, 01 Jan 0001 00:00:00 GMT"}',
  '{" d":"Sat, 30 Feb 2019 00:00:00 GMT"}', '{" d":"Thu, 01 Jan 1970 24:00:00 GMT"}', '{" d":"garbage"}', '{" d":""}', '{" d":null}',
  '{" u":"{12345678-1234-5678-1234-567812345678}"}', '{" u":"urn:uuid:12345678-1234-5678-1234-567812345678"}',
  '{" u":"1234567812345678123456781234567G"}', '{" u":"nope"}', '{" u":5}', '{" b":"aGk"}', '{" b":5}', '{" t":5}',
  '{" m":"<b>&amp;</b>"}', '{"__proto__":{"polluted":1}}', '["\\ud800","\\ud83d\\ude00","\\u00E9","\\/"]',
  '{"a":1,}', '{"a":01}', '[1 2]', '"\\x"', '{"a":"\u0001"}', '{a:1}', "{'a':1}", '123', '"text"', '', '\ufeff{}',
  '[-]', '[1.]', '[.5]', '[+1]', '[0x10]', '[nan]', '[-NaN]', '[true,false,null]', '{"a":[1,2,3]} x',
];

test('reads edge-case JSON the way Flask does', needsFlask, async () => {
  for (const text of AGREED) {
    const python = await oracle.call<{ value?: Spec; error?: string }>('tagged_loads', { json: text });
    const ours = flaskTaggedJson.parse(text);
    if (python.error !== undefined) assert.equal(ours, undefined, `Flask refuses ${text} (${python.error})`);
    else assert.deepEqual(ours, fromSpec(python.value ?? null), text);
  }
});

test('is stricter than Flask only for tagged values Flask never writes', needsFlask, async () => {
  const stricter = ['{" t":"ab"}', '{" t":{"a":1}}', '{" b":"aG k="}', '{" b":"aGk=="}', '{" m":5}',
    '{" di":{"ab":1,"cd__":2}}', '{" di":{"ab":1}}'];
  for (const text of stricter) {
    const python = await oracle.call<{ value?: Spec; error?: string }>('tagged_loads', { json: text });
    assert.equal(python.error, undefined, `Flask accepts ${text}`);
    assert.equal(flaskTaggedJson.parse(text), undefined, `Latchkey refuses ${text}`);
  }
  // a date in another layout: Flask reads it, Latchkey reads None as Flask does for garbage
  const python = await oracle.call<{ value?: Spec }>('tagged_loads', { json: '{" d":"Wed, 21 Oct 2015 07:28:00 +0000"}' });
  assert.ok(python.value !== null && typeof python.value === 'object' && '$datetime' in python.value);
  assert.equal(flaskTaggedJson.parse('{" d":"Wed, 21 Oct 2015 07:28:00 +0000"}'), null);
});
