/** The `array` field of log lines and the GET /log filter built on it. */
import { OPERATOR_ONLY, arrayLabel, lineVisibleTo } from '../../src/logs/array-label';

describe('array labels', () => {
  it('name one array one way: host lower-cased, IPv6 bracketed, the default port filled in', () => {
    expect(arrayLabel('ontap', { hostname: 'Array-A.example', port: 443 })).toBe('ontap@array-a.example:443');
    expect(arrayLabel('element', { ipAddress: '::1' }, 443)).toBe('element@[::1]:443');
    expect(arrayLabel('vsnap', { hostname: 'x', ipAddress: '127.0.0.2', port: 8900 })).toBe('vsnap@127.0.0.2:8900');
  });

  it("keep a caller's own lines and lines about no array, and drop other arrays' lines", () => {
    const visible = lineVisibleTo('vsnap@127.0.0.1:8900');
    expect(visible('{"level":30,"array":"vsnap@127.0.0.1:8900","msg":"session created"}')).toBe(true);
    expect(visible('{"level":30,"msg":"starting the CDM storage plugin"}')).toBe(true);
    expect(visible('{"level":30,"array":"vsnap@127.0.0.1:8901","user":"bob","msg":"session created"}')).toBe(false);
    // A prefix of another label is another array.
    expect(visible('{"level":30,"array":"vsnap@127.0.0.1:89000","msg":"x"}')).toBe(false);
    // Text that merely mentions the field inside a message is not the field.
    expect(visible('{"level":30,"array":"vsnap@127.0.0.1:8900","msg":"said \\"array\\":\\"other\\""}')).toBe(true);
  });

  it("give the operator's lines to no caller, whichever array it is on", () => {
    const line = JSON.stringify({ level: 30, array: OPERATOR_ONLY, config: { arrayAllowlist: ['10.1.0.0/16'] } });
    for (const label of ['vsnap@127.0.0.1:8900', 'ontap@10.1.2.3:443', OPERATOR_ONLY.replace('-', '')])
      expect(lineVisibleTo(label)(line)).toBe(false);
    expect(arrayLabel('vsnap', { hostname: OPERATOR_ONLY })).not.toBe(OPERATOR_ONLY);
  });
});
