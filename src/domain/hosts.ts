/** What an array address may be: a DNS host name or an IP literal, checked strictly before anything is built from it. */
import { isIPv4, isIPv6 } from 'node:net';

const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/**
 * Why `value` is not a host name or an IP literal, or undefined when it is one. A URL parser reads a name whose last
 * label is a number as IPv4 ("1.2.3" is 1.2.0.3, "0x7f.1" is 127.0.0.1): such a value must be a plain dotted-quad,
 * so the address checked (allowlist, rate limits) is the address reached.
 */
export function hostProblem(value: string): string | undefined {
  if (value.includes(':')) {
    return isIPv6(value) && !value.includes('%')
      ? undefined
      : 'is not an IPv6 address (write it without brackets, port or zone)';
  }
  if (value.length === 0 || value.length > 254) return 'must be a host name of 1-253 characters or an IP address';
  const name = value.endsWith('.') ? value.slice(0, -1) : value;
  const labels = name.split('.');
  const last = labels[labels.length - 1];
  if (/^(?:\d+|0x[0-9a-f]*)$/i.test(last)) {
    return isIPv4(name) ? undefined : 'is neither a host name nor an IPv4 address in dotted-quad form (a.b.c.d)';
  }
  if (name.length > 253 || !labels.every((l) => LABEL.test(l)))
    return 'is not a host name (labels of 1-63 letters, digits and inner hyphens, joined by dots) or an IP address';
  return undefined;
}

/** The canonical form of a checked host: names in lower case without a final dot, IPv4-mapped IPv6 as IPv4. */
export function canonicalHost(value: string): string {
  const v = value.toLowerCase().replace(/\.$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(v);
  return mapped ? mapped[1] : v;
}
