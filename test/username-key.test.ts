import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { foldUsername, LOOKALIKE_CHARACTERS, LOOKALIKE_SEQUENCES, usernameKey } from '../src/username-key.js';

const same = (a: string, b: string) => assert.equal(usernameKey(a), usernameKey(b), `${a} and ${b} should share a key`);
const differ = (a: string, b: string) => assert.notEqual(usernameKey(a), usernameKey(b), `${a} and ${b} should not share a key`);

describe('username keys', () => {
  test('ignore case, full-width forms and the sharp s', () => {
    same('Admin', 'admin');
    same('Admin', 'ADMIN');
    same('ａｄｍｉｎ', 'admin');
    same('straße', 'STRASSE');
    assert.equal(foldUsername('MixedCase'), 'mixedcase');
  });

  test('treat l, I, i, 1 and | as one letter, and O as 0', () => {
    for (const name of ['Il', 'lI', 'll', '11', 'I|', 'il']) same(name, 'll');
    same('bob0', 'BOBO');
    same('r00t', 'root');
  });

  test('treat rn as m and vv as w', () => {
    same('modern', 'modem');
    same('rnallory', 'mallory');
    same('vvalter', 'walter');
  });

  test('catch Cyrillic and Greek letters drawn like Latin ones', () => {
    same('аdmin', 'admin'); // Cyrillic а
    same('bοb', 'bob'); // Greek omicron
  });

  test('keep names apart that only share letters', () => {
    differ('Admin', 'Admins');
    differ('alice', 'alicia');
    differ('john.doe', 'john_doe');
    differ('rn', 'r');
  });

  test('every entry of the table maps to what it looks like and is itself folded', () => {
    for (const [from, to] of Object.entries(LOOKALIKE_CHARACTERS)) {
      assert.equal([...from].length, 1, from);
      assert.equal(foldUsername(from), from, `${from} is a folded character, or it could never be matched`);
      assert.equal(usernameKey(to), usernameKey(from));
    }
    for (const [pair, single] of LOOKALIKE_SEQUENCES) assert.equal(usernameKey(pair), single);
  });
});
