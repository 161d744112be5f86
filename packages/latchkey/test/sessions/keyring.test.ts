import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createKeyring } from '../../src/sessions/keyring.js';

const OLD = 'old-key-0123456789abcdef0123456789abcdef';
const NEW = 'new-key-0123456789abcdef0123456789abcdef';

test('unsigns what it signed, without asking for a renewal', () => {
  const ring = createKeyring([NEW], 'session');
  assert.deepEqual(ring.unsign(ring.sign('hello')), { value: 'hello', renew: false });
});

test('verifies a value signed with an older key and asks for a re-sign with the newest', () => {
  const signedWithOld = createKeyring([OLD], 'session').sign('hello');
  const rotated = createKeyring([NEW, OLD], 'session');
  assert.deepEqual(rotated.unsign(signedWithOld), { value: 'hello', renew: true });
});

test('refuses a value once its key has been retired', () => {
  const signedWithOld = createKeyring([OLD], 'session').sign('hello');
  assert.equal(createKeyring([NEW], 'session').unsign(signedWithOld), null);
});

test('refuses tampered, truncated and garbage values', () => {
  const ring = createKeyring([NEW], 'session');
  const signed = ring.sign('hello');
  assert.equal(ring.unsign(signed.replace('hello', 'hellp')), null);
  assert.equal(ring.unsign(signed.slice(0, -2)), null);
  for (const garbage of ['', '.', 'hello', 'hello.', '.sig', 'a.b.c', '%%%.%%%', 'x'.repeat(5000)]) {
    assert.equal(ring.unsign(garbage), null, garbage.slice(0, 20));
  }
});

test('a signature for one purpose is worthless for another', () => {
  const session = createKeyring([NEW], 'session');
  const csrf = createKeyring([NEW], 'csrf');
  assert.equal(csrf.unsign(session.sign('hello')), null);
  assert.equal(csrf.verifyMac('hello', session.mac('hello')), false);
  assert.equal(session.verifyMac('hello', session.mac('hello')), true);
});

test('accepts only the one canonical spelling of a signature', () => {
  const ring = createKeyring([NEW], 'session');
  const signed = ring.sign('hello');
  const last = signed.at(-1)!;
  // the last base64url character carries two spare bits: flipping them decodes to the same bytes
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const sameBytes = alphabet[alphabet.indexOf(last) ^ 1]!;
  assert.equal(ring.unsign(signed.slice(0, -1) + sameBytes), null);
});

test('remembers what verified, but a tampered value after a good one is still refused', () => {
  const ring = createKeyring([NEW], 'session');
  const signed = ring.sign('hello');
  assert.deepEqual(ring.unsign(signed), { value: 'hello', renew: false });
  assert.deepEqual(ring.unsign(signed), { value: 'hello', renew: false }, 'again, from memory');
  assert.equal(ring.unsign(signed.replace('hello', 'hellp')), null);
  const mac = ring.mac('secret');
  assert.equal(ring.verifyMac('secret', mac), true);
  assert.equal(ring.verifyMac('secret', mac), true);
  assert.equal(ring.verifyMac('secreT', mac), false, 'the memory is keyed by value and MAC together');
  assert.equal(ring.verifyMac('secret', mac.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))), false);
});

test('a value verified by an old key keeps asking for a re-sign, from memory too', () => {
  const signedWithOld = createKeyring([OLD], 'session').sign('hello');
  const rotated = createKeyring([NEW, OLD], 'session');
  assert.equal(rotated.unsign(signedWithOld)?.renew, true);
  assert.equal(rotated.unsign(signedWithOld)?.renew, true);
});
