/** What is particular to the vSnap backend, beyond the suite every backend passes. */
import { type TestPlugin, startTestPlugin, uniq } from '../helpers/plugin';
import { faults } from '../helpers/faults';

describe('vSnap specifics', () => {
  let p: TestPlugin;
  let sid: string;
  beforeAll(async () => {
    p = await startTestPlugin('vsnap');
    sid = await p.login();
  });
  afterAll(() => p.close());

  it('the appliance is the single server "0" with its NFS and iSCSI services', async () => {
    const list = (await p.get('/server', sid).expect(200)).body.servers;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      id: '0',
      config: { isNfsServiceEnabled: true, isIscsiServiceEnabled: true, isDpDestination: false },
    });
  });

  it('a ZFS clone reports split NONE (it stays tied to its snapshot); other volumes NOT_NEEDED', async () => {
    const v = await p.fixture.createVolume({ name: uniq('z'), type: 'filesystem', sizeBytes: 1 << 20 });
    const snap = (await p.post(`/server/0/volume/${v.id}/snapshot`, sid, { name: uniq('s') }).expect(201)).body;
    const clone = (
      await p
        .post(`/server/0/volume/${v.id}?action=clone`, sid, { snapshot: { id: snap.id }, name: uniq('c') })
        .expect(200)
    ).body;
    expect(clone.supports.split).toBe('NONE');
    expect((await p.get(`/server/0/volume/${v.id}`, sid).expect(200)).body.supports.split).toBe('NOT_NEEDED');
  });

  it('LUNs are the lun volumes, with an LIO-style NAA id and the appliance target; filesystems are not LUNs', async () => {
    const lun = await p.fixture.createVolume({ name: uniq('lun'), type: 'lun', sizeBytes: 1 << 20 });
    const fs = await p.fixture.createVolume({ name: uniq('fs'), type: 'filesystem', sizeBytes: 1 << 20 });
    const got = (await p.get(`/server/0/lun/${lun.id}`, sid).expect(200)).body;
    expect(got).toMatchObject({
      id: lun.id,
      volumeId: lun.id,
      volumeType: 'lun',
      naaId: expect.stringMatching(/^naa\.6001405[0-9a-f]{25}$/),
      privateIscsiTarget: expect.stringMatching(/^iqn\.2017-08\.com\.catalogic\.vsnap:/),
    });
    await p.get(`/server/0/lun/${fs.id}`, sid).expect(404);
  });

  it('mount exports a filesystem over NFS at its vSnap path; a LUN volume is usable as it is: 200 with path null', async () => {
    const fs = await p.fixture.createVolume({ name: uniq('mnt'), type: 'filesystem', sizeBytes: 1 << 20 });
    expect((await p.post(`/server/0/volume/${fs.id}?action=mount`, sid, {}).expect(200)).body.path).toMatch(
      /^\/vsnap\/pool1\/mnt_/,
    );
    const lun = await p.fixture.createVolume({ name: uniq('lunmnt'), type: 'lun', sizeBytes: 1 << 20 });
    expect((await p.post(`/server/0/volume/${lun.id}?action=mount`, sid, {}).expect(200)).body).toEqual({ path: null });
    await p.post('/server/0/volume/999999?action=mount', sid, {}).expect(404);
  });

  it('mapping a filesystem to a host answers 400; LUN numbers start at 0', async () => {
    const host = (
      await p
        .post('/server/0/host', sid, { name: uniq('h'), iqns: [`iqn.1994-05.com.redhat:${uniq('i')}`] })
        .expect(201)
    ).body;
    const fs = await p.fixture.createVolume({ name: uniq('fsmap'), type: 'filesystem', sizeBytes: 1 << 20 });
    await p.post(`/server/0/host/${host.id}?action=map`, sid, { volumeId: fs.id }).expect(400);
    const lun = await p.fixture.createVolume({ name: uniq('l'), type: 'lun', sizeBytes: 1 << 20 });
    expect(
      (await p.post(`/server/0/host/${host.id}?action=map`, sid, { volumeId: lun.id }).expect(200)).body.lunNumber,
    ).toBe(0);
  });

  it('system figures name the model and the pool parity', async () => {
    const sys = (await p.get('/server/0/system', sid).expect(200)).body;
    expect(sys).toMatchObject({ model: 'vSnap', parity: 'raid5' });
  });
});

describe('vSnap: a create whose answer is lost', () => {
  let p: TestPlugin;
  let sid: string;
  beforeAll(async () => {
    p = await startTestPlugin('vsnap');
    sid = await p.login();
  });
  afterAll(() => p.close());

  it('is not sent again: one snapshot on the array, and a clear 502', async () => {
    const v = await p.fixture.createVolume({ name: uniq('lost'), type: 'lun', sizeBytes: 1 << 20 });
    const name = uniq('once');
    // The array carries the POST out, then its answer arrives garbled.
    await faults(p, { garbleNext: 1, onlyMethod: 'POST' });
    const res = await p.post(`/server/0/volume/${v.id}/snapshot`, sid, { name });
    expect([res.status, res.body.error.type]).toEqual([502, 'BACKEND_ERROR']);
    const snaps = (await p.get(`/server/0/volume/${v.id}/snapshot`, sid).expect(200)).body.snapshots;
    expect(snaps.filter((s: { name: string }) => s.name === name)).toHaveLength(1);
  });
});
