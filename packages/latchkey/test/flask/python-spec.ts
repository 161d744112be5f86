import { Buffer } from 'node:buffer';
import {
  FlaskFloat, FlaskMarkup, FlaskTuple, FlaskUuid, isFlaskDict, type FlaskDict, type FlaskValue,
} from '../../src/sessions/flask/index.js';

/**
 * The plain encoding values take across the pipe to flask-oracle.py. It names
 * each Python type outright, independently of the format under test.
 */
export type Spec =
  | null | boolean | number | string | Spec[]
  | { $dict: Array<[string, Spec]> } | { $tuple: Spec[] } | { $float: string } | { $int: string }
  | { $bytes: string } | { $markup: string } | { $uuid: string } | { $datetime: number };

export function toSpec(value: FlaskValue): Spec {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'bigint') return { $int: value.toString() };
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : { $float: floatText(value) };
  if (value instanceof FlaskFloat) return { $float: floatText(value.value) };
  if (value instanceof FlaskTuple) return { $tuple: value.items.map(toSpec) };
  if (Array.isArray(value)) return value.map(toSpec);
  if (value instanceof Uint8Array) return { $bytes: Buffer.from(value).toString('hex') };
  if (value instanceof FlaskMarkup) return { $markup: value.html };
  if (value instanceof FlaskUuid) return { $uuid: value.hex };
  if (value instanceof Date) return { $datetime: value.getTime() / 1000 };
  if (isFlaskDict(value)) return { $dict: Object.entries(value).map(([key, item]) => [key, toSpec(item)]) };
  throw new TypeError('no spec for this value');
}

export function fromSpec(spec: Spec): FlaskValue {
  if (spec === null || typeof spec !== 'object') return spec;
  if (Array.isArray(spec)) return spec.map(fromSpec);
  if ('$dict' in spec) {
    const dict: FlaskDict = {};
    for (const [key, item] of spec.$dict) {
      Object.defineProperty(dict, key, { value: fromSpec(item), enumerable: true, writable: true, configurable: true });
    }
    return dict;
  }
  if ('$tuple' in spec) return new FlaskTuple(spec.$tuple.map(fromSpec));
  if ('$float' in spec) {
    const value = ({ nan: NaN, inf: Infinity, '-inf': -Infinity } as Record<string, number>)[spec.$float]
      ?? Number(spec.$float);
    return Number.isInteger(value) ? new FlaskFloat(value) : value;
  }
  if ('$int' in spec) return BigInt(spec.$int);
  if ('$bytes' in spec) return Buffer.from(spec.$bytes, 'hex');
  if ('$markup' in spec) return new FlaskMarkup(spec.$markup);
  if ('$uuid' in spec) return new FlaskUuid(spec.$uuid);
  return new Date(spec.$datetime * 1000);
}

function floatText(value: number): string {
  if (Object.is(value, -0)) return '-0.0';
  return String(value);
}
