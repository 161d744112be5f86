import { isIPv6 } from 'node:net';

/**
 * The address a client's attempts are counted against. IPv4 addresses count one by one; an IPv6
 * client usually holds a whole /64 (one home or phone), so rotating through it earns no extra
 * attempts. IPv4 written as IPv6 (`::ffff:192.0.2.1`) is its IPv4 address.
 *
 * @example
 * throttleAddress('2001:db8:1:2:3:4:5:6'); // '2001:db8:1:2::/64'
 * throttleAddress('::ffff:192.0.2.1'); // '192.0.2.1'
 */
export function throttleAddress(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) return mapped[1]!;
  const bare = ip.replace(/%.*$/, ''); // a zone id (`fe80::1%eth0`) names an interface, not a host
  if (!isIPv6(bare)) return ip;
  return `${ipv6Groups(bare).slice(0, 4).join(':')}::/64`;
}

/** The eight 16-bit groups of an IPv6 address, in short hex, `::` expanded. */
function ipv6Groups(ip: string): string[] {
  const [head = '', tail] = ip.split('::');
  const part = (text: string) => (text === '' ? [] : text.split(':').flatMap(group));
  const front = part(head);
  const back = tail === undefined ? [] : part(tail);
  return [...front, ...Array<string>(8 - front.length - back.length).fill('0'), ...back];
}

/** One written group, or the two groups an embedded IPv4 address (`::1.2.3.4`) stands for. */
function group(text: string): string[] {
  if (!text.includes('.')) return [parseInt(text, 16).toString(16)];
  const [a = 0, b = 0, c = 0, d = 0] = text.split('.').map(Number);
  return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
}
