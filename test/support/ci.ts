/**
 * The reason a test skips because something it needs is absent, for the runner to print. Under
 * `CI=true` an absent service or tool is a failure instead: CI must never pass by skipping what it
 * was meant to test.
 *
 * @example
 * const skip = existsSync('/usr/sbin/nginx') ? false : absent('nginx is not installed (apt-get install nginx)');
 */
export function absent(reason: string): string {
  if (process.env.CI === 'true' || process.env.CI === '1') throw new Error(`${reason} (CI=true: it must be there)`);
  return reason;
}
