/**
 * The Python values a Flask session can hold, as TypeScript values.
 *
 * | Python (Flask tag)   | TypeScript                         |
 * |----------------------|------------------------------------|
 * | `dict`, `" di"`      | plain object ({@link FlaskDict})   |
 * | `list`               | array                              |
 * | `tuple` (`" t"`)     | {@link FlaskTuple}                 |
 * | `bytes` (`" b"`)     | `Uint8Array` (a `Buffer` on read)  |
 * | `Markup` (`" m"`)    | {@link FlaskMarkup}                |
 * | `UUID` (`" u"`)      | {@link FlaskUuid}                  |
 * | `datetime` (`" d"`)  | `Date` (whole seconds, UTC)        |
 * | `int`                | `number`, or `bigint` beyond 2^53  |
 * | `float`              | `number`; {@link FlaskFloat} when the value is whole |
 * | `str`, `bool`, `None`| `string`, `boolean`, `null`        |
 *
 * The wrappers are classes so that `instanceof` tells a tagged value from a
 * dict that happens to have the same keys.
 *
 * @example
 * const flashes: FlaskValue = [new FlaskTuple(['message', 'Hello'])];
 */
export type FlaskValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | FlaskValue[]
  | FlaskDict
  | FlaskTuple
  | FlaskMarkup
  | FlaskUuid
  | FlaskFloat
  | Uint8Array
  | Date;

/**
 * A Python `dict` with string keys: what a Flask session is at the top.
 *
 * @example
 * const session: FlaskDict = { user_id: 7, _fresh: true };
 */
export type FlaskDict = { [key: string]: FlaskValue };

/**
 * A Python `tuple`, e.g. one `(category, message)` entry of `_flashes`.
 *
 * @example
 * const flashes = [new FlaskTuple(['message', 'Please log in first'])];
 */
export class FlaskTuple {
  readonly items: readonly FlaskValue[];
  constructor(items: readonly FlaskValue[]) {
    this.items = items;
  }
}

/**
 * A `markupsafe.Markup` string: HTML that Jinja will not escape again.
 *
 * @example
 * const flash = new FlaskMarkup('<b>Welcome</b>');
 */
export class FlaskMarkup {
  readonly html: string;
  constructor(html: string) {
    this.html = html;
  }
}

/**
 * A Python `uuid.UUID`. Accepts the spellings `uuid.UUID(text)` accepts
 * (dashes, braces, `urn:uuid:`, any case) and keeps the 32 lowercase hex
 * digits Flask writes.
 *
 * @example
 * new FlaskUuid('{12345678-1234-5678-1234-567812345678}').hex;
 * // '12345678123456781234567812345678'
 */
export class FlaskUuid {
  readonly hex: string;
  constructor(text: string) {
    const hex = text.replaceAll('urn:', '').replaceAll('uuid:', '')
      .replace(/^[{}]+|[{}]+$/g, '').replaceAll('-', '');
    if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new TypeError(`not a UUID: ${JSON.stringify(text)}`);
    this.hex = hex.toLowerCase();
  }

  /** The dashed form, as Python's `str(uuid)`. */
  toString(): string {
    const h = this.hex;
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
}

/**
 * A Python `float` whose value is whole (`1.0`, `1e+16`, `-0.0`). A plain
 * whole `number` is written as a Python `int`; this keeps a float a float,
 * so a session Latchkey rewrites unchanged stays byte-identical.
 *
 * @example
 * flaskTaggedJson.stringify({ ratio: new FlaskFloat(1) }); // '{"ratio":1.0}'
 */
export class FlaskFloat {
  readonly value: number;
  constructor(value: number) {
    this.value = value;
  }
}

/**
 * True for a plain object (a Python `dict`), false for arrays, wrappers,
 * dates, bytes and every other class instance.
 *
 * @example
 * isFlaskDict({ a: 1 }); // true
 * isFlaskDict(new FlaskTuple([])); // false
 */
export function isFlaskDict(value: unknown): value is FlaskDict {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
