import element from '../../plugins/element';
import { simulatorNamed } from '../../simulators';
import { silentLogger } from '../../src/logs/logger';
import { type Adapter, CREDS, cdmName, startAdapter } from './adapter-helpers';
import { MiB, fill } from './sim-helpers';

describe('Element adapter: consistency groups kept on the array', () => {
  let a: Adapter;
  beforeAll(async () => {
    a = await startAdapter();
  });
  afterAll(() => a.close());

  const fixture = () => simulatorNamed('element').fixture(a.sim.url);
  async function group(size = 2) {
    const f = fixture();
    try {
      const vols = [];
      for (let i = 0; i < size; i++) {
        const v = await f.createVolume({ name: cdmName('cgv'), type: 'lun', sizeBytes: 4 * MiB });
        await f.write(v.id, fill(10_000, `member-${i}`));
        vols.push(v.id);
      }
      return { id: (await f.createConsistencyGroup!(cdmName('app'), vols)).id, vols };
    } finally {
      await f.close();
    }
  }
  const attributesOf = async (id: string) =>
    (await a.sim.ok('ListVolumes', { volumeIDs: [Number(id)] })).volumes[0].attributes;

  it('membership is a tag on each member volume, so a restarted plugin (a new driver) sees the same group', async () => {
    const g = await group();
    expect((await attributesOf(g.vols[0])).cdm.consistencyGroup).toMatchObject({ id: g.id });
    const fresh = element.create({
      scheme: 'http',
      tlsInsecure: false,
      timeoutMs: 5000,
      connectTimeoutMs: 1000,
      logger: silentLogger(),
    });
    try {
      const conn = fresh.connect(a.target, CREDS, await fresh.login(a.target, CREDS));
      expect(await conn.getConsistencyGroup!('0', g.id)).toEqual(await a.conn.getConsistencyGroup!('0', g.id));
    } finally {
      await fresh.close();
    }
  });

  it('take-snapshot is one group snapshot: every member at one instant, tagged with the group', async () => {
    const g = await group();
    const taken = await a.conn.cgTakeSnapshot!('0', g.id, { prefix: 'daily' });
    const gs = (await a.sim.ok('ListGroupSnapshots', { groupSnapshotID: Number(taken.id) })).groupSnapshots[0];
    expect(gs).toMatchObject({ name: taken.name, attributes: { cdm: { consistencyGroup: { id: g.id } } } });
    expect(gs.members.map((m: { volumeID: number }) => String(m.volumeID))).toEqual(g.vols);
    const memberSnaps = await a.conn.listSnapshots('0', g.vols[1], { start: 0 });
    expect(memberSnaps).toEqual([expect.objectContaining({ consistencyGroupSnapshotId: taken.id, name: taken.name })]);
    expect(await a.conn.listCgSnapshots!('0', g.id, { start: 0 })).toEqual([taken]);
  });

  it("add-volume keeps the volume's other attributes; a volume of another group is a CONFLICT", async () => {
    const g = await group(1);
    const other = await group(1);
    const extra = String(await a.sim.volume(cdmName('extra').replace(/_/g, '-'), MiB));
    await a.sim.ok('ModifyVolume', { volumeID: Number(extra), attributes: { owner: 'dba' } });
    expect((await a.conn.cgAddVolume!('0', g.id, { volumeId: extra })).volumeIds).toEqual([...g.vols, extra]);
    expect(await attributesOf(extra)).toMatchObject({ owner: 'dba', cdm: { consistencyGroup: { id: g.id } } });
    await expect(a.conn.cgAddVolume!('0', other.id, { volumeId: extra })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await a.conn.cgAddVolume!('0', g.id, { volumeId: extra })).volumeIds).toEqual([...g.vols, extra]);
    await a.conn.cgRemoveVolume!('0', g.id, { volumeIds: [extra] });
    expect(await attributesOf(extra)).toEqual({ owner: 'dba' });
    await expect(a.conn.cgRemoveVolume!('0', g.id, { volumeIds: [extra] })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('incremental groups are UNSUPPORTED, as the flags say; an empty group has nothing to snapshot', async () => {
    const g = await group(1);
    await expect(a.conn.cgTakeSnapshot!('0', g.id, { isIncremental: true })).rejects.toMatchObject({
      code: 'UNSUPPORTED',
    });
    await expect(a.conn.cgAddVolume!('0', g.id, { volumeId: g.vols[0], isIncremental: true })).rejects.toMatchObject({
      code: 'UNSUPPORTED',
    });
    await a.conn.cgTakeSnapshot!('0', g.id, {});
    await a.conn.cgRemoveVolume!('0', g.id, { volumeIds: g.vols });
    await expect(a.conn.cgTakeSnapshot!('0', g.id, {})).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('a group without members lives on while its snapshots do, and goes with the last of them', async () => {
    const g = await group(1);
    const s = await a.conn.cgTakeSnapshot!('0', g.id, { prefix: 'last' });
    await a.conn.cgRemoveVolume!('0', g.id, { volumeIds: g.vols });
    expect(await a.conn.getConsistencyGroup!('0', g.id)).toMatchObject({ id: g.id, volumeIds: [] });
    expect(await a.conn.listCgSnapshots!('0', g.id, { start: 0 })).toEqual([s]);
    await a.conn.cgCondense!('0', g.id, { numberOfInstances: 0 });
    await expect(a.conn.getConsistencyGroup!('0', g.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('condense by age keeps young snapshots; without any limit it deletes nothing', async () => {
    const g = await group(1);
    const s = await a.conn.cgTakeSnapshot!('0', g.id, { prefix: 'young' });
    await a.conn.cgCondense!('0', g.id, { ageInDays: 1 });
    await a.conn.cgCondense!('0', g.id, {});
    expect(await a.conn.listCgSnapshots!('0', g.id, { start: 0 })).toEqual([s]);
  });

  it('a member snapshot may be deleted alone (deleteFromSnapshotGroup); the group snapshot keeps the others', async () => {
    const g = await group(2);
    const taken = await a.conn.cgTakeSnapshot!('0', g.id, {});
    const [member] = await a.conn.listSnapshots('0', g.vols[0], { start: 0 });
    await a.conn.deleteSnapshot('0', g.vols[0], member.id);
    expect(await a.conn.listCgSnapshots!('0', g.id, { start: 0 })).toEqual([taken]);
    expect((await a.conn.listSnapshots('0', g.vols[1], { start: 0 }))[0].consistencyGroupSnapshotId).toBe(taken.id);
  });
});
