/** Array addresses are checked in code (not only by the spec's pattern), and ARRAY_ALLOWLIST matches as documented. */
import { parseAllowlist } from '../../src/domain/allowlist';
import { canonicalHost, hostProblem } from '../../src/domain/hosts';

describe('hostProblem', () => {
  it.each([
    'array1',
    'array1.example.com',
    'array1.example.com.',
    '127.0.0.1',
    '10.255.0.1',
    '::1',
    'fd00::1:2',
    '::ffff:127.0.0.1',
    `${'a'.repeat(63)}.example.com`,
    'xn--bcher-kva.example',
  ])('accepts %j', (host) => {
    expect(hostProblem(host)).toBeUndefined();
  });

  it.each([
    ' ',
    '',
    '127.0.0.1%00',
    'user:pw@127.0.0.1',
    'user@127.0.0.1',
    '127.0.0.1:8900/sim/faults?',
    '127.0.0.1:8900',
    'array1\r\nX-Injected: 1',
    'array1\n',
    '\tarray1',
    `${'a'.repeat(64)}.example.com`,
    `${'a.'.repeat(127)}ab`,
    '999.1.1.1',
    '1.2.3',
    '0x7f.0.0.1',
    '127.1',
    '01.02.03.04',
    'a..b',
    '-array',
    'array-',
    'under_score',
    '1::2::3',
    'fe80::1%eth0',
    '[::1]',
    'a/b',
    'a?b',
    'a#b',
  ])('refuses %j with a reason', (host) => {
    expect(hostProblem(host)).toEqual(expect.any(String));
  });

  it('canonicalizes names and IPv4-mapped IPv6', () => {
    expect(canonicalHost('Array1.Example.COM.')).toBe('array1.example.com');
    expect(canonicalHost('::FFFF:127.0.0.1')).toBe('127.0.0.1');
  });
});

describe('parseAllowlist', () => {
  const list = parseAllowlist(
    '10.1.2.3, 192.168.0.0/16:443, array1.example.com, *.lab.example:8443, fd00::/8, [::1]:8900, [2001:db8::/32]:443',
  );

  it.each([
    ['10.1.2.3', 1],
    ['10.1.2.3', 65535],
    ['::ffff:10.1.2.3', 1],
    ['192.168.44.5', 443],
    ['Array1.Example.com.', 26],
    ['vsnap1.lab.example', 8443],
    ['a.b.lab.example', 8443],
    ['fd12:3456::1', 22],
    ['::1', 8900],
    ['2001:db8:1::5', 443],
  ])('allows %s port %d', (host, port) => {
    expect(list.allows(host, port)).toBe(true);
  });

  it.each([
    ['10.1.2.4', 1],
    ['192.168.44.5', 444],
    ['192.169.0.1', 443],
    ['array2.example.com', 26],
    ['lab.example', 8443],
    ['vsnap1.lab.example', 443],
    ['evil-lab.example', 8443],
    ['fe80::1', 8900],
    ['::1', 8901],
    ['2001:db9::1', 443],
    // A name entry allows the name only, an address only addresses: no DNS at check time.
    ['localhost', 8900],
  ])('refuses %s port %d', (host, port) => {
    expect(list.allows(host, port)).toBe(false);
  });

  it('allows everything when empty', () => {
    const empty = parseAllowlist(' , ');
    expect(empty.empty).toBe(true);
    expect(empty.allows('203.0.113.9', 22)).toBe(true);
  });

  it.each(['10.0.0.0/33', 'fd00::/129', 'array/8', '10.0.0.1:0', '10.0.0.1:70000', 'a b', 'user@host', '[::1'])(
    'refuses the entry %j',
    (entry) => {
      expect(() => parseAllowlist(entry)).toThrow(/'/);
    },
  );
});
