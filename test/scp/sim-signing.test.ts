// The simulator checks every OpenAPI call's signature exactly as the vendor SDK makes it: a call signed that way is
// accepted; each part of what was signed, changed alone, is refused with 401.
import { type RunningScpSimulator, startScpSimulator } from '../../simulators/scp/server';
import { KEY, READ_ONLY, call, sdkSignature } from './sim-helpers';

describe('SCP simulator: request signatures', () => {
  let s: RunningScpSimulator;
  let url: string;
  beforeAll(async () => {
    s = await startScpSimulator({ regions: [{ name: 'kr-west1', port: 0 }], keys: [KEY, READ_ONLY], demo: true });
    url = s.url;
  });
  afterAll(() => s.close());

  it('accepts a call signed as the SDK signs it: the URL called, with the query url.Values.Encode writes', async () => {
    // Sorted keys, ':' escaped: what prepareRequest puts in RawQuery and SetupRequestHeader signs after the '?'.
    const res = await call<{ count: number }>(url, '/v1/volumes?limit=5&offset=0&sort=created_at%3Aasc');
    expect([res.status, res.body.count]).toEqual([200, 1]);
  });

  it('does not sign the body: one signature serves two different bodies', async () => {
    const ts = Date.now();
    for (const name of ['body_one', 'body_two']) {
      const res = await call(url, '/v1/volumes', {
        method: 'POST',
        timestamp: ts,
        body: { name, protocol: 'NFS', type_name: 'HDD' },
      });
      expect(res.status).toBe(202);
    }
  });

  const path = '/v1/volumes?limit=1';
  const resign = (h: Record<string, string>, method: string, signed: string, key = KEY, clientType = 'Openapi') => {
    h['Scp-Signature'] = sdkSignature(method, signed, h['Scp-Timestamp'], key, clientType);
  };

  it.each<[string, (h: Record<string, string>, url: string) => void]>([
    ['method', (h, u) => resign(h, 'POST', `${u}${path}`)],
    ['path', (h, u) => resign(h, 'GET', `${u}/v1/snapshots?limit=1`)],
    ['query', (h, u) => resign(h, 'GET', `${u}/v1/volumes?limit=2`)],
    ['host and port', (h) => resign(h, 'GET', `http://127.0.0.1:1${path}`)],
    ['scheme', (h, u) => resign(h, 'GET', `${u.replace('http:', 'https:')}${path}`)],
    [
      'timestamp',
      (h) => {
        h['Scp-Timestamp'] = String(Number(h['Scp-Timestamp']) + 1);
      },
    ],
    [
      'access key (another valid key of the account)',
      (h) => {
        h['Scp-AccessKey'] = READ_ONLY.accessKey;
      },
    ],
    [
      'access key (an unknown one)',
      (h) => {
        h['Scp-AccessKey'] = 'AKunknown';
      },
    ],
    [
      'account id',
      (h) => {
        h['Scp-AccountId'] = 'someoneelse0123456789abcdef012345';
      },
    ],
    [
      'client type',
      (h) => {
        h['Scp-ClientType'] = 'Cli';
      },
    ],
    [
      'signature',
      (h) => {
        const s = h['Scp-Signature'];
        h['Scp-Signature'] = (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
      },
    ],
    ['secret key (it signed with another)', (h, u) => resign(h, 'GET', `${u}${path}`, { ...KEY, secretKey: 'not-it' })],
  ])('refuses a call whose %s changed after signing: 401 with a reason', async (_what, tamper) => {
    const res = await call<{ detail: string }>(url, path, { tamper: (h) => tamper(h, url) });
    expect(res.status).toBe(401);
    expect(res.body.detail).toEqual(expect.stringMatching(/\S/));
  });

  it('refuses a client type other than Openapi even when the signature covers it', async () => {
    const res = await call<{ detail: string }>(url, path, { clientType: 'Console' });
    expect([res.status, res.body.detail]).toEqual([401, expect.stringMatching(/Openapi/)]);
  });

  it('accepts a timestamp within five minutes of its clock, and refuses one further off either way', async () => {
    expect((await call(url, path, { timestamp: Date.now() - 4 * 60_000 })).status).toBe(200);
    expect((await call(url, path, { timestamp: Date.now() + 4 * 60_000 })).status).toBe(200);
    for (const ts of [Date.now() - 6 * 60_000, Date.now() + 6 * 60_000]) {
      const res = await call<{ detail: string }>(url, path, { timestamp: ts });
      expect([res.status, res.body.detail]).toEqual([401, expect.stringMatching(/within 300 s/)]);
    }
  });

  it.each(['Scp-AccessKey', 'Scp-AccountId', 'Scp-Timestamp', 'Scp-Signature', 'Scp-ClientType'])(
    'refuses a call without %s',
    async (header) => {
      const res = await call<{ detail: string }>(url, path, { tamper: (h) => delete h[header] });
      expect([res.status, res.body.detail]).toEqual([401, `Missing header ${header}`]);
    },
  );

  it('a read-only key reads, and is refused every change with 403', async () => {
    expect((await call(url, path, { key: READ_ONLY })).status).toBe(200);
    const res = await call<{ detail: string }>(url, '/v1/volumes', {
      key: READ_ONLY,
      method: 'POST',
      body: { name: 'nope', protocol: 'NFS', type_name: 'HDD' },
    });
    expect([res.status, res.body.detail]).toEqual([403, expect.stringMatching(/reads only/)]);
  });
});
