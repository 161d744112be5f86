/**
 * What a session may hold: JSON, so every store and cookie mode keeps it the same way (no Dates,
 * no functions, no undefined).
 *
 * @example
 * const cart: JsonValue = { items: [{ sku: 'A-1', quantity: 2 }], coupon: null };
 */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * A session's data: named JSON values.
 *
 * @example
 * const data: SessionData = request.session.data;
 */
export type SessionData = Record<string, JsonValue>;
