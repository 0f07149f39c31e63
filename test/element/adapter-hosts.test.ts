import { type Adapter, cdmName, startAdapter } from './adapter-helpers';
import { MiB } from './sim-helpers';

const iqn = (tag: string) => `iqn.1994-05.com.redhat:${tag}`;

describe('Element adapter: hosts and host groups on volume access groups, and LUN mapping', () => {
  let a: Adapter;
  beforeAll(async () => {
    a = await startAdapter();
  });
  afterAll(() => a.close());

  const lun = async () => String(await a.sim.volume(cdmName('lun').replace(/_/g, '-'), MiB));
  const vag = async (id: string) =>
    (await a.sim.ok('ListVolumeAccessGroups', { volumeAccessGroups: [Number(id)] })).volumeAccessGroups[0];

  it("a CDM host is an access group the plugin makes and tags, holding the host's initiators", async () => {
    const name = cdmName('host');
    const host = await a.conn.createHost!('0', { name, iqns: [iqn(`${name}-a`), iqn(`${name}-b`)] });
    expect(host).toMatchObject({
      name,
      iqns: [iqn(`${name}-a`), iqn(`${name}-b`)],
      mappedLunIds: [],
      serverGroupKeys: ['0'],
      config: { iscsi: true, fc: false },
    });
    expect(await vag(host.id)).toMatchObject({ name, initiators: host.iqns, attributes: { cdm: { host: true } } });
    expect(await a.conn.getHost('0', host.id)).toEqual(host);
  });

  it('a name in use, an IQN another host owns, or more than 64 initiators are refused, and nothing is made', async () => {
    const first = await a.conn.createHost!('0', { name: cdmName('owner'), iqns: [iqn('owned')] });
    const groups = async () => (await a.sim.ok('ListVolumeAccessGroups')).volumeAccessGroups.length;
    const before = await groups();
    await expect(a.conn.createHost!('0', { name: first.name })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(a.conn.createHost!('0', { name: cdmName('thief'), iqns: [iqn('OWNED')] })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining(first.name),
    });
    await expect(
      a.conn.createHost!('0', {
        name: cdmName('crowd'),
        iqns: Array.from({ length: 65 }, (_, i) => iqn(`crowd-${i}`)),
      }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(a.conn.createHost!('0', { name: cdmName('bad'), iqns: ['not-an-iqn'] })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    expect(await groups()).toBe(before);
  });

  it("mapping adds the volume to the host's group with its LUN number, a chosen one when asked", async () => {
    const host = await a.conn.createHost!('0', { name: cdmName('map'), iqns: [iqn(cdmName('map'))] });
    const [l1, l2] = [await lun(), await lun()];
    const m1 = await a.conn.mapToHost!('0', host.id, { volumeId: l1 });
    const m2 = await a.conn.mapToHost!('0', host.id, { lunId: l2, lunNumber: 7 });
    expect([m1.lunNumber, m2.lunNumber]).toEqual([0, 7]);
    expect((await vag(host.id)).volumes).toEqual([Number(l1), Number(l2)]);
    await expect(a.conn.mapToHost!('0', host.id, { volumeId: await lun(), lunNumber: 7 })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await expect(a.conn.mapToHost!('0', host.id, { volumeId: l1, lunNumber: 3 })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    expect(await a.conn.mapToHost!('0', host.id, { volumeId: l1 })).toEqual(m1);
  });

  it('concurrent maps to one host all land: the array adds, the plugin never rewrites the list', async () => {
    const host = await a.conn.createHost!('0', { name: cdmName('race'), iqns: [iqn(cdmName('race'))] });
    const luns = await Promise.all(Array.from({ length: 8 }, () => lun()));
    const maps = await Promise.all(luns.map((l) => a.conn.mapToHost!('0', host.id, { volumeId: l })));
    expect(new Set(maps.map((m) => m.lunNumber)).size).toBe(8);
    expect([...(await a.conn.getHost('0', host.id)).mappedLunIds].sort()).toEqual([...luns].sort());
  });

  it('any other access group is a host group whose members are the hosts whose initiators it holds', async () => {
    const h1 = await a.conn.createHost!('0', { name: cdmName('node'), iqns: [iqn(cdmName('n1'))] });
    const h2 = await a.conn.createHost!('0', { name: cdmName('node'), iqns: [iqn(cdmName('n2'))] });
    // A host whose initiators are not in the group is not a member.
    await a.conn.createHost!('0', { name: cdmName('loner'), iqns: [iqn(cdmName('n3'))] });
    const cluster = (
      await a.sim.ok('CreateVolumeAccessGroup', { name: cdmName('cluster'), initiators: [...h1.iqns, ...h2.iqns] })
    ).volumeAccessGroupID;
    const group = (await a.conn.listHostGroups!('0', { start: 0 })).find((g) => g.id === String(cluster));
    expect(group?.hostIds).toEqual([h1.id, h2.id]);
    expect((await a.conn.listHosts('0', { start: 0 })).map((h) => h.id)).not.toContain(String(cluster));
    await expect(a.conn.getHost('0', String(cluster))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(a.conn.mapToHostGroup!('0', h1.id, { volumeId: await lun() })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('a volume mapped to a host group reaches each member host, and is unmapped only at the group', async () => {
    const h = await a.conn.createHost!('0', { name: cdmName('member'), iqns: [iqn(cdmName('m'))] });
    const group = String(
      (await a.sim.ok('CreateVolumeAccessGroup', { name: cdmName('grp'), initiators: h.iqns })).volumeAccessGroupID,
    );
    const l = await lun();
    const mapped = await a.conn.mapToHostGroup!('0', group, { volumeId: l });
    expect(mapped).toMatchObject({ volumeId: l, lunId: l, lunNumber: 0 });
    expect((await a.conn.getHost('0', h.id)).mappedLunIds).toEqual([l]);
    expect(await a.conn.listHostLuns!('0', h.id, { start: 0 })).toEqual([
      { ...mapped, hostId: h.id, hostGroupId: group },
    ]);
    await expect(a.conn.unmapFromHost!('0', h.id, { lunId: l })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('host group'),
    });
  });

  it("unmap removes the volume from the host's group; a LUN that is not mapped is not found", async () => {
    const host = await a.conn.createHost!('0', { name: cdmName('unmap'), iqns: [iqn(cdmName('u'))] });
    const l = await lun();
    await a.conn.mapToHost!('0', host.id, { volumeId: l });
    await a.conn.unmapFromHost!('0', host.id, { lunId: l });
    expect((await vag(host.id)).volumes).toEqual([]);
    await expect(a.conn.unmapFromHost!('0', host.id, { lunId: l })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
