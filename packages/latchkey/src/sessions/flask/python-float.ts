/**
 * Writes a double the way Python's `repr(float)` does, which is what
 * `json.dumps` emits for a float.
 *
 * Both languages print the shortest digit string that reads back to the same
 * double; they differ only in layout. Python switches to exponent notation
 * when the decimal exponent is below -4 or at least 16 (JavaScript: -7 and
 * 21), always signs the exponent and pads it to two digits (`1e+16`,
 * `1.5e-05`), and gives a whole value a trailing `.0`.
 *
 * @example
 * formatPythonFloat(1);        // '1.0'
 * formatPythonFloat(1e16);     // '1e+16'
 * formatPythonFloat(0.00001);  // '1e-05'
 * formatPythonFloat(NaN);      // 'NaN'
 */
export function formatPythonFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';

  const sign = x < 0 ? '-' : '';
  // toExponential() without an argument yields the shortest round-trip digits
  const [mantissa = '', exponentText = ''] = Math.abs(x).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exponent = Number(exponentText);

  if (exponent < -4 || exponent >= 16) {
    const head = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const expSign = exponent < 0 ? '-' : '+';
    return `${sign}${head}e${expSign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;

  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  const fraction = digits.slice(exponent + 1);
  return `${sign}${whole}.${fraction === '' ? '0' : fraction}`;
}
