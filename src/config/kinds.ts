/** The kinds of value a setting takes: each parses the raw environment string or says, in one line, what is wrong. */
import { readFileSync } from 'node:fs';
import { type Allowlist, parseAllowlist } from '../domain/allowlist';

/** A setting's value is wrong: the message says what was expected (the variable's name is added by the caller). */
export class Problem extends Error {}

export interface Kind<T> {
  /** How the value is written, for the configuration table (e.g. "integer 1-65535", "on | off"). */
  shape: string;
  parse(raw: string): T;
}

export const integer = (min: number, max: number): Kind<number> => ({
  shape: `integer ${min}-${max}`,
  parse(raw) {
    const n = Number(raw);
    if (!/^-?\d+$/.test(raw.trim()) || n < min || n > max)
      throw new Problem(`must be an integer between ${min} and ${max}, got '${raw}'`);
    return n;
  },
});

export const onOff: Kind<boolean> = {
  shape: 'on, off',
  parse(raw) {
    const v = raw.toLowerCase();
    if (['1', 'true', 'on', 'yes'].includes(v)) return true;
    if (['0', 'false', 'off', 'no'].includes(v)) return false;
    throw new Problem(`must be on or off (or true/false), got '${raw}'`);
  },
};

export const oneOf = <T extends string>(values: readonly T[]): Kind<T> => ({
  shape: values.join(', '),
  parse(raw) {
    if (!(values as readonly string[]).includes(raw))
      throw new Problem(`must be one of ${values.join(', ')}, got '${raw}'`);
    return raw as T;
  },
});

export const text: Kind<string> = { shape: 'text', parse: (raw) => raw };

export const list: Kind<string[]> = {
  shape: 'comma-separated list',
  parse: (raw) =>
    raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
};

export const hostPorts: Kind<{ host: string; port: number }[]> = {
  shape: 'host:port,host:port',
  parse(raw) {
    return list.parse(raw).map((hp) => {
      const i = hp.lastIndexOf(':');
      const port = Number(hp.slice(i + 1));
      if (i <= 0 || !Number.isInteger(port) || port < 1 || port > 65535)
        throw new Problem(`must be a comma-separated list of host:port, got '${hp}'`);
      return { host: hp.slice(0, i).replace(/^\[|\]$/g, ''), port };
    });
  },
};

export const redisUrl: Kind<string> = {
  shape: 'redis[s]://[user:password@]host[:port][/db]',
  parse(raw) {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new Problem(`must be a Redis URL such as redis://host:6379, got '${raw.replace(/\/\/[^@/]*@/, '//***@')}'`);
    }
    if (!['redis:', 'rediss:'].includes(url.protocol) || !url.hostname)
      throw new Problem(`must be a redis:// or rediss:// URL with a host, got '${url.protocol}//${url.host}'`);
    return raw;
  },
};

const SIZE_UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** A size as body-parser takes it ("1mb", "512kb", or bytes), kept as written. */
export const size = (maxBytes: number): Kind<string> => ({
  shape: 'size (e.g. 512kb, 1mb)',
  parse(raw) {
    const m = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i.exec(raw.trim());
    const bytes = m ? Number(m[1]) * SIZE_UNITS[(m[2] ?? 'b').toLowerCase()] : NaN;
    if (!m || !(bytes >= 1) || bytes > maxBytes)
      throw new Problem(`must be a size such as 512kb or 1mb (at most ${maxBytes / 1024 ** 2} mb), got '${raw}'`);
    return raw.trim();
  },
});

/** A size in bytes, written as "50mb", "512kb" or a number of bytes. */
export const bytes = (maxBytes: number): Kind<number> => ({
  shape: 'size (e.g. 512kb, 50mb)',
  parse(raw) {
    const m = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i.exec(raw.trim());
    const n = m ? Math.floor(Number(m[1]) * SIZE_UNITS[(m[2] ?? 'b').toLowerCase()]) : NaN;
    if (!m || !(n >= 1024) || n > maxBytes)
      throw new Problem(`must be a size such as 512kb or 50mb (1kb to ${maxBytes / 1024 ** 2} mb), got '${raw}'`);
    return n;
  },
});

/** A readable file: its content. */
export const file: Kind<Buffer> = {
  shape: 'path of a readable file',
  parse(raw) {
    try {
      return readFileSync(raw);
    } catch (err) {
      throw new Problem(`cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message} (${raw})`);
    }
  },
};

/** 32 random bytes, as 64 hex characters or base64; a key with little entropy (all zeros, a repeated byte) is refused. */
export const key32: Kind<Buffer> = {
  shape: '32 bytes: 64 hex characters or base64',
  parse(raw) {
    const key = /^[0-9a-fA-F]{64}$/.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
    if (key.length !== 32)
      throw new Problem('must be 32 bytes, as 64 hex characters or base64 (generate one with `openssl rand -hex 32`)');
    if (new Set(key).size < 8)
      throw new Problem('has too little entropy (too few distinct bytes): generate one with `openssl rand -hex 32`');
    return key;
  },
};

/** ARRAY_ALLOWLIST: host names, IPs and CIDR ranges with optional ports (see domain/allowlist.ts). */
export const allowlist: Kind<Allowlist> = {
  shape: 'comma-separated host names (`*.` prefix allowed), IPs, CIDR ranges, each with an optional `:port`',
  parse(raw) {
    try {
      return parseAllowlist(raw);
    } catch (err) {
      throw new Problem(`has a bad entry: ${(err as Error).message}`);
    }
  },
};
