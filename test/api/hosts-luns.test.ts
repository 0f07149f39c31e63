import { forEachBackend } from '../helpers/backends';
import { expectUnsupported } from '../helpers/expect';
import { uniq } from '../helpers/plugin';

interface Lun {
  id: string;
  volumeId: string;
  naaId: string;
  serialNumber: string;
}

forEachBackend('LUNs, hosts and mapping', (ctx) => {
  const newHost = async () =>
    (
      await ctx.p
        .post(`${ctx.srv}/host`, ctx.sid, { name: uniq('host'), iqns: [`iqn.1994-05.com.redhat:${uniq('h')}`] })
        .expect(201)
    ).body as { id: string; name: string };

  /** A LUN-backed volume and the LUN CDM sees for it. */
  async function newLun(): Promise<Lun> {
    const v = await ctx.p.fixture.createVolume({ name: uniq('lun'), type: 'lun', sizeBytes: 4 << 20 });
    const luns = (await ctx.p.get(`${ctx.srv}/lun`, ctx.sid).expect(200)).body.luns as Lun[];
    const lun = luns.find((l) => l.volumeId === v.id);
    if (!lun) throw new Error(`no LUN listed for volume ${v.id}`);
    return lun;
  }

  it('lists LUNs with serial, NAA id and volume, and reads each one back', async () => {
    if (!ctx.caps.luns) {
      // No LUNs here: the collection is empty and a LUN does not exist.
      expect((await ctx.p.get(`${ctx.srv}/lun`, ctx.sid).expect(200)).body.luns).toEqual([]);
      return void (await ctx.p.get(`${ctx.srv}/lun/999999`, ctx.sid).expect(404));
    }
    const lun = await newLun();
    expect(lun.naaId).toMatch(/^naa\.[0-9a-f]{16,32}$/);
    expect(lun.serialNumber.length).toBeGreaterThan(0);
    expect((await ctx.p.get(`${ctx.srv}/lun/${encodeURIComponent(lun.id)}`, ctx.sid).expect(200)).body).toEqual(lun);
    const page = (await ctx.p.get(`${ctx.srv}/lun?limit=1`, ctx.sid).expect(200)).body.luns;
    expect(page).toHaveLength(1);
  });

  it('online answers 200 for a LUN and 404 for an unknown one', async () => {
    if (!ctx.caps.luns) return expectUnsupported(await ctx.p.post(`${ctx.srv}/lun/1?action=online`, ctx.sid));
    const lun = await newLun();
    await ctx.p.post(`${ctx.srv}/lun/${encodeURIComponent(lun.id)}?action=online`, ctx.sid).expect(200);
    await ctx.p.post(`${ctx.srv}/lun/999999?action=online`, ctx.sid).expect(404);
  });

  it('creates a host (201 with Location) and reads it back', async () => {
    const iqn = `iqn.1994-05.com.redhat:${uniq('c')}`;
    const made = await ctx.p.post(`${ctx.srv}/host`, ctx.sid, { name: uniq('created'), iqns: [iqn] });
    if (!ctx.caps.hostCreation) {
      // Hosts made outside the storage: creating answers 501, and the hosts it has still list and read back.
      expectUnsupported(made);
      const hosts = (await ctx.p.get(`${ctx.srv}/host`, ctx.sid).expect(200)).body.hosts as { id: string }[];
      for (const h of hosts)
        expect((await ctx.p.get(`${ctx.srv}/host/${encodeURIComponent(h.id)}`, ctx.sid).expect(200)).body).toEqual(h);
      return;
    }
    expect(made.status).toBe(201);
    const res = made;
    expect(res.body).toMatchObject({ iqns: [iqn], wwns: [], mappedLunIds: [], config: { fc: false, iscsi: true } });
    expect(res.headers.location).toBe(`/storageplugin/api${ctx.srv}/host/${encodeURIComponent(res.body.id)}`);
    expect((await ctx.p.get(`${ctx.srv}/host/${encodeURIComponent(res.body.id)}`, ctx.sid).expect(200)).body).toEqual(
      res.body,
    );
    const hosts = (await ctx.p.get(`${ctx.srv}/host`, ctx.sid).expect(200)).body.hosts;
    expect(hosts.map((h: { id: string }) => h.id)).toContain(res.body.id);
  });

  it('a host name already taken answers 409, a malformed IQN 400', async () => {
    if (!ctx.caps.hostCreation) {
      await ctx.p.post(`${ctx.srv}/host`, ctx.sid, { name: uniq('bad'), iqns: ['not-an-iqn'] }).expect(400);
      return expectUnsupported(await ctx.p.post(`${ctx.srv}/host`, ctx.sid, { name: uniq('taken') }));
    }
    const h = await newHost();
    expect((await ctx.p.post(`${ctx.srv}/host`, ctx.sid, { name: h.name }).expect(409)).body.error.type).toBe(
      'CONFLICT',
    );
    await ctx.p.post(`${ctx.srv}/host`, ctx.sid, { name: uniq('bad'), iqns: ['not-an-iqn'] }).expect(400);
  });

  it('a host with Fibre Channel WWNs is created only where Fibre Channel is declared', async () => {
    const res = await ctx.p.post(`${ctx.srv}/host`, ctx.sid, { name: uniq('fc'), wwns: ['10:00:00:00:c9:12:34:56'] });
    if (!ctx.caps.fibreChannel) {
      expectUnsupported(res);
      return expect(res.body.error.message).toMatch(/Fibre Channel/);
    }
    expect([res.status, res.body.config.fc]).toEqual([201, true]);
  });

  /** A host to map to: a new one, or (where hosts cannot be made) an id the mapping calls need not find. */
  const someHost = async () => (ctx.caps.hostCreation ? await newHost() : { id: '999999', name: 'none' });

  it('map gives distinct LUN numbers, shows them on the host, and unmap takes them away', async () => {
    const host = await someHost();
    if (!ctx.caps.hostMapping)
      return expectUnsupported(await ctx.p.post(`${ctx.srv}/host/${host.id}?action=map`, ctx.sid, { volumeId: '1' }));
    const [l1, l2] = [await newLun(), await newLun()];
    const m1 = (
      await ctx.p.post(`${ctx.srv}/host/${host.id}?action=map`, ctx.sid, { volumeId: l1.volumeId }).expect(200)
    ).body;
    const m2 = (await ctx.p.post(`${ctx.srv}/host/${host.id}?action=map`, ctx.sid, { lunId: l2.id }).expect(200)).body;
    expect(m1).toMatchObject({ volumeId: l1.volumeId, lunId: l1.id, hostId: host.id });
    expect(m2).toMatchObject({ volumeId: l2.volumeId, lunId: l2.id, hostId: host.id });
    expect(m1.lunNumber).not.toBe(m2.lunNumber);
    const luns = (await ctx.p.get(`${ctx.srv}/host/${host.id}/lun`, ctx.sid).expect(200)).body.luns;
    expect(luns).toEqual(expect.arrayContaining([m1, m2]));
    expect((await ctx.p.get(`${ctx.srv}/host/${host.id}`, ctx.sid).expect(200)).body.mappedLunIds).toEqual(
      expect.arrayContaining([l1.id, l2.id]),
    );
    await ctx.p.post(`${ctx.srv}/host/${host.id}?action=unmap`, ctx.sid, { lunId: l1.id }).expect(200);
    expect((await ctx.p.get(`${ctx.srv}/host/${host.id}/lun`, ctx.sid).expect(200)).body.luns).toEqual([m2]);
  });

  it('mapping twice is harmless: the same LUN number comes back', async () => {
    const host = await someHost();
    if (!ctx.caps.hostMapping)
      return expectUnsupported(await ctx.p.post(`${ctx.srv}/host/${host.id}?action=map`, ctx.sid, { volumeId: '1' }));
    const lun = await newLun();
    const a = (
      await ctx.p.post(`${ctx.srv}/host/${host.id}?action=map`, ctx.sid, { volumeId: lun.volumeId }).expect(200)
    ).body;
    const b = (
      await ctx.p.post(`${ctx.srv}/host/${host.id}?action=map`, ctx.sid, { volumeId: lun.volumeId }).expect(200)
    ).body;
    expect(b).toEqual(a);
  });

  it('mapping to an unknown host answers 404, a body naming nothing 400, a volume and LUN that disagree 400', async () => {
    const host = await someHost();
    if (!ctx.caps.hostMapping)
      return expectUnsupported(await ctx.p.post(`${ctx.srv}/host/${host.id}?action=map`, ctx.sid, { volumeId: '1' }));
    const [l1, l2] = [await newLun(), await newLun()];
    await ctx.p.post(`${ctx.srv}/host/999999?action=map`, ctx.sid, { volumeId: l1.volumeId }).expect(404);
    await ctx.p.post(`${ctx.srv}/host/${host.id}?action=map`, ctx.sid, {}).expect(400);
    await ctx.p
      .post(`${ctx.srv}/host/${host.id}?action=map`, ctx.sid, { volumeId: l1.volumeId, lunId: l2.id })
      .expect(400);
  });

  it('unmapping a LUN that is not mapped answers 404', async () => {
    const host = await someHost();
    if (!ctx.caps.hostMapping)
      return expectUnsupported(await ctx.p.post(`${ctx.srv}/host/${host.id}?action=map`, ctx.sid, { volumeId: '1' }));
    const lun = await newLun();
    await ctx.p.post(`${ctx.srv}/host/${host.id}?action=unmap`, ctx.sid, { lunId: lun.id }).expect(404);
  });
});

forEachBackend('features a backend may not have answer as its flags say', (ctx) => {
  it('host groups list where declared; where not, the list is empty (200 []) and map answers 501 with the reason', async () => {
    const res = await ctx.p.get(`${ctx.srv}/hostgroup`, ctx.sid);
    expect(res.status).toBe(200);
    if (!ctx.caps.hostGroups) {
      expect(res.body.groups).toEqual([]);
      const map = await ctx.p.post(`${ctx.srv}/hostgroup/999999?action=map`, ctx.sid, { volumeId: '1' });
      expectUnsupported(map);
      // The 501 says why, in the backend's words.
      expect(map.body.error.message).toMatch(/host groups: ./);
      return;
    }
    expect(Array.isArray(res.body.groups)).toBe(true);
    await ctx.p.post(`${ctx.srv}/hostgroup/999999?action=map`, ctx.sid, { volumeId: '1' }).expect(404);
  });

  it('consistency groups list where declared; where not, the list is empty, a group 404 and every action 501', async () => {
    const list = await ctx.p.get(`${ctx.srv}/consistencygroup`, ctx.sid);
    if (ctx.caps.consistencyGroups)
      return expect([list.status, Array.isArray(list.body.consistencyGroups)]).toEqual([200, true]);
    expect([list.status, list.body.consistencyGroups]).toEqual([200, []]);
    for (const path of ['/consistencygroup/1', '/consistencygroup/1/snapshot']) {
      const res = await ctx.p.get(ctx.srv + path, ctx.sid);
      expect([path, res.status, res.body.error?.type]).toEqual([path, 404, 'NOT_FOUND']);
    }
    const calls: [string, object][] = [
      ['/consistencygroup/1?action=add-volume', { volumeId: '1' }],
      ['/consistencygroup/1?action=remove-volume', { volumeIds: ['1'] }],
      ['/consistencygroup/1?action=condense', {}],
      ['/consistencygroup/1?action=take-snapshot', {}],
      ['/consistencygroup/1?action=add-replication-target', { targetName: 'x' }],
    ];
    for (const [path, body] of calls) {
      const res = await ctx.p.post(ctx.srv + path, ctx.sid, body);
      expect([path, res.status, res.body.error?.type]).toEqual([path, 501, 'UNSUPPORTED']);
    }
  });

  it('remote arrays list where declared, and list empty where not', async () => {
    const res = await ctx.p.get(`${ctx.srv}/remotearray`, ctx.sid);
    expect([res.status, Array.isArray(res.body.remoteArrays)]).toEqual([200, true]);
    if (!ctx.caps.remoteArrays) expect(res.body.remoteArrays).toEqual([]);
  });

  it('the server supports flags say the same as the capabilities', async () => {
    const server = (await ctx.p.get(ctx.srv, ctx.sid).expect(200)).body;
    expect(server.supports.consistencyGroupReplication).toBe(ctx.caps.replication.consistencyGroup);
    expect(server.supports.volumeReplication).toBe(ctx.caps.replication.volume);
    expect(server.supports.persistentConsistencyGroup).toBe(ctx.caps.persistentConsistencyGroups);
  });
});
