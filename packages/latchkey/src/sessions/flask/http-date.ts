const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const IMF_FIXDATE =
  /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
// Date.UTC reads years 0–99 as 1900–1999, so year 1 is set explicitly
const YEAR_ONE_MS = new Date(0).setUTCFullYear(1, 0, 1);
const YEAR_10000_MS = Date.UTC(10000, 0, 1);

/**
 * Formats a date as Flask's `" d"` tag does (`werkzeug.http.http_date`):
 * `Wed, 21 Oct 2015 07:28:00 GMT`, whole seconds, UTC, years 1–9999 (Python's
 * `datetime` range). Throws `TypeError` for an invalid or out-of-range date.
 *
 * @example
 * formatHttpDate(new Date(Date.UTC(2015, 9, 21, 7, 28))); // 'Wed, 21 Oct 2015 07:28:00 GMT'
 */
export function formatHttpDate(date: Date): string {
  const ms = date.getTime();
  if (!(ms >= YEAR_ONE_MS && ms < YEAR_10000_MS)) {
    throw new TypeError('a Flask datetime must be a valid date in the years 1 to 9999');
  }
  // toUTCString is exactly IMF-fixdate with a four-digit year for these years
  return date.toUTCString();
}

/**
 * Reads a `" d"` value as Flask does (`werkzeug.http.parse_date`), for the
 * one layout Flask writes: `Wed, 21 Oct 2015 07:28:00 GMT`. Returns null
 * where Flask returns `None`: an impossible date (`31 Feb`, `25:00:00`) or
 * any other layout. Like Python's `email.utils`, a year below 100 is read as
 * two-digit (`0050` → 2050, `0069` → 1969), so Flask itself does not
 * round-trip such datetimes; the weekday is not checked.
 *
 * @example
 * parseHttpDate('Wed, 21 Oct 2015 07:28:00 GMT')?.toISOString(); // '2015-10-21T07:28:00.000Z'
 */
export function parseHttpDate(text: string): Date | null {
  const match = IMF_FIXDATE.exec(text);
  if (match === null) return null;
  const [, dayText, monthName, yearText, hourText, minuteText, secondText] = match;
  let year = Number(yearText);
  if (year < 100) year += year > 68 ? 1900 : 2000;
  const month = MONTHS.indexOf(monthName ?? '');
  const day = Number(dayText);
  const hour = Number(hourText);
  const minute = Number(minuteText);
  const second = Number(secondText);
  if (hour > 23 || minute > 59 || second > 59 || day < 1) return null;
  const date = new Date(0);
  date.setUTCFullYear(year, month, day);
  date.setUTCHours(hour, minute, second, 0);
  // Date rolls 31 Feb over into March; Python's datetime refuses it
  return date.getUTCDate() === day && date.getUTCMonth() === month ? date : null;
}
