/**
 * ARRAY_ALLOWLIST: which arrays the plugin may be asked to reach. Entries are host names (`array1.example.com`,
 * `*.example.com`), IP addresses and CIDR ranges (v4 and v6), each with an optional port (`10.0.0.0/8:443`,
 * `[fd00::/8]:8443`). No DNS is involved: a name entry allows that name, an address or range allows IP literals (a
 * name resolved at check time could resolve elsewhere when the array is called).
 */
import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { canonicalHost, hostProblem } from './hosts';

type Entry =
  { kind: 'name'; name: string; wildcard: boolean; port?: number } | { kind: 'net'; net: BlockList; port?: number };

export interface Allowlist {
  /** The entries as written, for messages and the start-up line. */
  readonly entries: string[];
  /** Empty: every array is allowed. */
  readonly empty: boolean;
  allows(host: string, port: number): boolean;
}

function splitPort(raw: string): { host: string; port?: string } {
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(raw);
  if (bracketed) return { host: bracketed[1], port: bracketed[2] };
  // Two colons or more without brackets: an IPv6 address or range, with no port.
  if (raw.indexOf(':') !== raw.lastIndexOf(':')) return { host: raw };
  const i = raw.indexOf(':');
  return i < 0 ? { host: raw } : { host: raw.slice(0, i), port: raw.slice(i + 1) };
}

function parseEntry(raw: string): Entry {
  const { host, port: portText } = splitPort(raw);
  let port: number | undefined;
  if (portText !== undefined) {
    port = Number(portText);
    if (!/^\d{1,5}$/.test(portText) || port < 1 || port > 65535) throw new Error(`'${raw}': the port must be 1-65535`);
  }
  const cidr = /^(.+)\/(\d{1,3})$/.exec(host);
  const address = cidr ? cidr[1] : host;
  const family = isIPv4(address) ? 'ipv4' : isIPv6(address) ? 'ipv6' : undefined;
  if (family) {
    const net = new BlockList();
    if (cidr) {
      const prefix = Number(cidr[2]);
      if (prefix > (family === 'ipv4' ? 32 : 128)) throw new Error(`'${raw}': the prefix length is too long`);
      net.addSubnet(address, prefix, family);
    } else net.addAddress(address, family);
    return { kind: 'net', net, port };
  }
  if (cidr) throw new Error(`'${raw}': a CIDR range needs an IP address before the /`);
  const wildcard = host.startsWith('*.');
  const name = wildcard ? host.slice(2) : host;
  if (hostProblem(name)) throw new Error(`'${raw}' is not a host name, IP address or CIDR range`);
  return { kind: 'name', name: canonicalHost(name), wildcard, port };
}

/** Parses the comma-separated list; throws an Error naming the first bad entry. */
export function parseAllowlist(raw: string): Allowlist {
  const entries = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const parsed = entries.map(parseEntry);
  return {
    entries,
    empty: parsed.length === 0,
    allows(given, port) {
      if (parsed.length === 0) return true;
      const host = canonicalHost(given);
      const family = isIPv4(host) ? 'ipv4' : isIPv6(host) ? 'ipv6' : undefined;
      return parsed.some((e) => {
        if (e.port !== undefined && e.port !== port) return false;
        if (e.kind === 'net') return family !== undefined && e.net.check(host, family);
        if (family) return false;
        return e.wildcard ? host.endsWith(`.${e.name}`) : host === e.name;
      });
    },
  };
}
