import { type Sim, startSim } from './sim-helpers';

const iqn = (n: number | string) => `iqn.1994-05.com.redhat:host-${n}`;

describe('Element simulator: volume access groups, initiators and LUN assignments', () => {
  let sim: Sim;
  beforeAll(async () => {
    sim = await startSim();
  });
  afterAll(() => sim.close());

  const groupNamed = async (id: number) =>
    (await sim.ok('ListVolumeAccessGroups', { volumeAccessGroups: [id] })).volumeAccessGroups[0];

  it('creating a group with initiator names creates the initiator objects too', async () => {
    const v = await sim.volume('vag-vol');
    const r = await sim.ok('CreateVolumeAccessGroup', {
      name: 'web',
      initiators: [iqn('web-1'), iqn('web-2')],
      volumes: [v],
      attributes: { site: 'a' },
    });
    expect(r.volumeAccessGroup).toMatchObject({
      volumeAccessGroupID: r.volumeAccessGroupID,
      name: 'web',
      initiators: [iqn('web-1'), iqn('web-2')],
      volumes: [v],
      attributes: { site: 'a' },
    });
    const initiators = (await sim.ok('ListInitiators')).initiators.filter((i: { initiatorName: string }) =>
      i.initiatorName.startsWith(iqn('web')),
    );
    expect(initiators.map((i: { volumeAccessGroups: number[] }) => i.volumeAccessGroups)).toEqual([
      [r.volumeAccessGroupID],
      [r.volumeAccessGroupID],
    ]);
    expect((await sim.ok('ListVolumes', { volumeIDs: [v] })).volumes[0].volumeAccessGroups).toEqual([
      r.volumeAccessGroupID,
    ]);
  });

  it('a group holds at most 64 initiators, and a refused call leaves no stray initiator behind', async () => {
    const many = Array.from({ length: 65 }, (_, i) => iqn(`many-${i}`));
    expect((await sim.err('CreateVolumeAccessGroup', { name: 'too-many', initiators: many })).name).toBe(
      'xExceededLimit',
    );
    const full = await sim.ok('CreateVolumeAccessGroup', { name: 'full', initiators: many.slice(0, 64) });
    expect(
      (
        await sim.err('AddInitiatorsToVolumeAccessGroup', {
          volumeAccessGroupID: full.volumeAccessGroupID,
          initiators: [iqn('one-more')],
        })
      ).name,
    ).toBe('xExceededLimit');
    const names = (await sim.ok('ListInitiators')).initiators.map((i: { initiatorName: string }) => i.initiatorName);
    expect(names).not.toContain(iqn('one-more'));
    expect(names).not.toContain(iqn('many-64'));
    expect((await groupNamed(full.volumeAccessGroupID)).initiators).toHaveLength(64);
  });

  it('an initiator name that is neither iqn., eui., naa. nor a WWPN is refused', async () => {
    expect((await sim.err('CreateVolumeAccessGroup', { name: 'bad', initiators: ['not-an-iqn'] })).name).toBe(
      'xInvalidParameter',
    );
    expect(
      (await sim.ok('ListVolumeAccessGroups')).volumeAccessGroups.map((g: { name: string }) => g.name),
    ).not.toContain('bad');
  });

  it('volumes get the lowest free LUN of the group; a removed LUN number is reused', async () => {
    const g = (await sim.ok('CreateVolumeAccessGroup', { name: 'luns' })).volumeAccessGroupID;
    const [a, b, c] = [await sim.volume('lun-a'), await sim.volume('lun-b'), await sim.volume('lun-c')];
    await sim.ok('AddVolumesToVolumeAccessGroup', { volumeAccessGroupID: g, volumes: [a, b] });
    const luns = async () =>
      (await sim.ok('GetVolumeAccessGroupLunAssignments', { volumeAccessGroupID: g })).volumeAccessGroupLunAssignments
        .lunAssignments;
    expect(await luns()).toEqual([
      { volumeID: a, lun: 0 },
      { volumeID: b, lun: 1 },
    ]);
    await sim.ok('RemoveVolumesFromVolumeAccessGroup', { volumeAccessGroupID: g, volumes: [a] });
    await sim.ok('AddVolumesToVolumeAccessGroup', { volumeAccessGroupID: g, volumes: [c, b] });
    expect(await luns()).toEqual([
      { volumeID: b, lun: 1 },
      { volumeID: c, lun: 0 },
    ]);
    expect((await sim.err('RemoveVolumesFromVolumeAccessGroup', { volumeAccessGroupID: g, volumes: [a] })).name).toBe(
      'xInvalidParameter',
    );
  });

  it('LUN assignments can be chosen, but not twice in one group', async () => {
    const g = (await sim.ok('CreateVolumeAccessGroup', { name: 'custom-luns' })).volumeAccessGroupID;
    const [a, b] = [await sim.volume('cl-a'), await sim.volume('cl-b')];
    await sim.ok('AddVolumesToVolumeAccessGroup', { volumeAccessGroupID: g, volumes: [a, b] });
    const set = await sim.ok('ModifyVolumeAccessGroupLunAssignments', {
      volumeAccessGroupID: g,
      lunAssignments: [{ volumeID: a, lun: 42 }],
    });
    expect(set.volumeAccessGroupLunAssignments.lunAssignments).toEqual([
      { volumeID: a, lun: 42 },
      { volumeID: b, lun: 1 },
    ]);
    expect(
      (
        await sim.err('ModifyVolumeAccessGroupLunAssignments', {
          volumeAccessGroupID: g,
          lunAssignments: [{ volumeID: b, lun: 42 }],
        })
      ).message,
    ).toMatch(/Duplicate LUN/);
    const outsider = await sim.volume('cl-out');
    expect(
      (
        await sim.err('ModifyVolumeAccessGroupLunAssignments', {
          volumeAccessGroupID: g,
          lunAssignments: [{ volumeID: outsider, lun: 7 }],
        })
      ).name,
    ).toBe('xInvalidParameter');
  });

  it('a deleted volume moves to deletedVolumes, and comes back with RestoreDeletedVolume', async () => {
    const v = await sim.volume('vag-deleted');
    const g = (await sim.ok('CreateVolumeAccessGroup', { name: 'keeps-deleted', volumes: [v] })).volumeAccessGroupID;
    await sim.ok('DeleteVolume', { volumeID: v });
    expect(await groupNamed(g)).toMatchObject({ volumes: [], deletedVolumes: [v] });
    await sim.ok('RestoreDeletedVolume', { volumeID: v });
    expect(await groupNamed(g)).toMatchObject({ volumes: [v], deletedVolumes: [] });
  });

  it('an initiator may belong to several groups; CreateInitiators refuses a name that exists', async () => {
    const g1 = (await sim.ok('CreateVolumeAccessGroup', { name: 'shared-1', initiators: [iqn('shared')] }))
      .volumeAccessGroupID;
    const g2 = (await sim.ok('CreateVolumeAccessGroup', { name: 'shared-2', initiators: [iqn('shared')] }))
      .volumeAccessGroupID;
    const i = (await sim.ok('ListInitiators')).initiators.find(
      (x: { initiatorName: string }) => x.initiatorName === iqn('shared'),
    );
    expect(i.volumeAccessGroups).toEqual([g1, g2]);
    expect((await sim.err('CreateInitiators', { initiators: [{ name: iqn('shared') }] })).name).toBe(
      'xInitiatorExists',
    );
    const made = (
      await sim.ok('CreateInitiators', {
        initiators: [{ name: iqn('fresh'), alias: 'fresh-host', volumeAccessGroupID: g1 }],
      })
    ).initiators[0];
    expect(made).toMatchObject({ initiatorName: iqn('fresh'), alias: 'fresh-host', volumeAccessGroups: [g1] });
  });

  it('unknown groups are listed as not found, and are errors where a group is required', async () => {
    const r = await sim.ok('ListVolumeAccessGroups', { volumeAccessGroups: [424242] });
    expect(r).toEqual({ volumeAccessGroups: [], volumeAccessGroupsNotFound: [424242] });
    expect((await sim.err('AddVolumesToVolumeAccessGroup', { volumeAccessGroupID: 424242, volumes: [] })).name).toBe(
      'xVolumeAccessGroupIDDoesNotExist',
    );
  });

  it('a group with volumes is deleted only with force; orphaned initiators go when asked', async () => {
    const v = await sim.volume('vag-force');
    const g = (
      await sim.ok('CreateVolumeAccessGroup', { name: 'to-delete', volumes: [v], initiators: [iqn('orphan')] })
    ).volumeAccessGroupID;
    expect((await sim.err('DeleteVolumeAccessGroup', { volumeAccessGroupID: g })).name).toBe('xInvalidParameter');
    await sim.ok('DeleteVolumeAccessGroup', { volumeAccessGroupID: g, force: true, deleteOrphanInitiators: true });
    expect(
      (await sim.ok('ListInitiators')).initiators.map((i: { initiatorName: string }) => i.initiatorName),
    ).not.toContain(iqn('orphan'));
  });
});
