import { Buffer } from 'node:buffer';
import { deflateSync, inflateSync } from 'node:zlib';
import { decodeBase64Url, encodeBase64Url } from './base64.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Encodes JSON text as the first part of a Flask cookie, as itsdangerous's
 * `URLSafeSerializerMixin` does: base64url of the UTF-8 bytes, or `.` plus
 * base64url of the zlib-compressed bytes when compressing saves at least two
 * bytes (the `.` costs one).
 *
 * The compressed form matches Flask's in meaning, not always in bytes: Node
 * ships Chromium's zlib, which can pick different matches than the system
 * zlib Python links, so the deflate stream may differ by a few bytes.
 *
 * @example
 * encodeUrlSafePayload('{"a":1}'); // 'eyJhIjoxfQ'
 */
export function encodeUrlSafePayload(json: string): string {
  const raw = Buffer.from(json, 'utf8');
  const compressed = deflateSync(raw);
  return compressed.length < raw.length - 1 ? `.${encodeBase64Url(compressed)}` : encodeBase64Url(raw);
}

/**
 * Decodes the first part of a Flask cookie back to JSON text, or null when
 * it is not canonical base64url, not a zlib stream, not UTF-8, or would
 * inflate past `maxBytes`.
 *
 * @example
 * decodeUrlSafePayload('eyJhIjoxfQ', 65536); // '{"a":1}'
 */
export function decodeUrlSafePayload(payload: string, maxBytes: number): string | null {
  const compressed = payload.startsWith('.');
  const bytes = decodeBase64Url(compressed ? payload.slice(1) : payload);
  if (bytes === null) return null;
  try {
    // maxOutputLength stops inflating early: a zip bomb never gets its megabytes
    const json = compressed ? inflateSync(bytes, { maxOutputLength: maxBytes }) : bytes;
    return json.length > maxBytes ? null : utf8.decode(json);
  } catch {
    return null;
  }
}
