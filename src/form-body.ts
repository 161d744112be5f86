/**
 * A form field as one string: missing fields are '', and a field sent twice (an array) or as
 * anything but text counts as missing, so malformed bodies fail validation instead of throwing.
 */
export function formText(body: unknown, name: string): string {
  const value = (body as Record<string, unknown> | null | undefined)?.[name];
  return typeof value === 'string' ? value : '';
}
