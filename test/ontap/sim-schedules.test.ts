// Job schedules and the SnapMirror updates they drive: /api/cluster/schedules CRUD, the in-use refusal, interval and
// cron schedules starting transfers on the destination by themselves.
import { randomBytes } from 'node:crypto';
import { runDue } from '../../simulators/ontap/state/scheduler';
import { cronMatches, intervalMs, isDue } from '../../simulators/ontap/state/schedule-time';
import { type Json, type TestSim, startSim, uniq } from './sim-helpers';
import { type Pair, follow, relationship, settled, startPair } from './replication-helpers';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function createSchedule(sim: TestSim, body: Json): Promise<Json> {
  const res = await sim.post('/api/cluster/schedules?return_records=true', body);
  if (res.status !== 201) throw new Error(`schedule create: ${res.status} ${res.raw.toString()}`);
  return res.body.records[0];
}

const transfersOf = async (sim: TestSim, rel: string): Promise<Json[]> =>
  (await sim.get(`/api/snapmirror/relationships/${rel}/transfers?fields=*`)).body.records;

/** Polls until `check` holds (content arrives on a schedule, not on a call). */
async function until(what: string, check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('cron and interval timing (units)', () => {
  // Dates are built in local time: the scheduler reads wall-clock fields in the process's time zone.
  it('a cron spec is due in the minutes it names; absent fields mean every', () => {
    const daily = { minutes: [10], hours: [0] };
    expect(cronMatches(daily, new Date(2024, 0, 1, 0, 10, 30))).toBe(true);
    expect(cronMatches(daily, new Date(2024, 0, 1, 0, 11))).toBe(false);
    expect(cronMatches(daily, new Date(2024, 0, 1, 1, 10))).toBe(false);
    expect(cronMatches({ minutes: [0, 30] }, new Date(2024, 5, 9, 17, 30))).toBe(true);
    expect(cronMatches({}, new Date(2024, 5, 9, 17, 31))).toBe(true);
    // Months are 1-12 in the REST API; weekdays 0 = Sunday.
    expect(cronMatches({ minutes: [0], months: [2] }, new Date(2024, 1, 3, 5, 0))).toBe(true);
    expect(cronMatches({ minutes: [0], months: [2] }, new Date(2024, 0, 3, 5, 0))).toBe(false);
    expect(cronMatches({ minutes: [15], hours: [0], weekdays: [0] }, new Date(2024, 0, 7, 0, 15))).toBe(true); // a Sunday
    expect(cronMatches({ minutes: [15], hours: [0], weekdays: [0] }, new Date(2024, 0, 8, 0, 15))).toBe(false);
  });

  it('days of the month and days of the week are independent when both are given (every Friday and every 13th)', () => {
    const spec = { minutes: [0], hours: [9], days: [13], weekdays: [5] };
    expect(cronMatches(spec, new Date(2024, 8, 13, 9, 0))).toBe(true); // Friday the 13th
    expect(cronMatches(spec, new Date(2024, 8, 6, 9, 0))).toBe(true); // a Friday
    expect(cronMatches(spec, new Date(2024, 7, 13, 9, 0))).toBe(true); // Tuesday the 13th
    expect(cronMatches(spec, new Date(2024, 8, 10, 9, 0))).toBe(false); // Tuesday the 10th
  });

  it('a cron schedule fires once per matching minute; an interval counts from the last run, without making up missed runs', () => {
    const cron = { type: 'cron' as const, cron: { minutes: [10] } };
    const at = new Date(2024, 0, 1, 3, 10, 0).getTime();
    expect(isDue(cron, at - 30_000, at)).toBe(true);
    expect(isDue(cron, at, at + 20_000)).toBe(false); // already ran in this minute
    expect(isDue(cron, at - 3_600_000, at + 60_000)).toBe(false); // 03:11 does not match
    expect(isDue(cron, at, at + 3_600_000)).toBe(true); // 04:10

    const every5 = { type: 'interval' as const, interval: 'PT5M' };
    expect(isDue(every5, 0, 299_999)).toBe(false);
    expect(isDue(every5, 0, 300_000)).toBe(true);
    // An hour late is one run: the runner then counts from that run, so the next is five minutes on.
    expect(isDue(every5, 0, 3_600_000)).toBe(true);
    expect(isDue(every5, 3_600_000, 3_600_200)).toBe(false);
    expect([
      intervalMs('PT1S'),
      intervalMs('P1DT2H3M4S'),
      intervalMs('P2W'),
      intervalMs('P1M'),
      intervalMs('PT'),
    ]).toEqual([1000, 93_784_000, 1_209_600_000, undefined, undefined]);
  });
});

describe('/api/cluster/schedules', () => {
  let sim: TestSim;
  beforeAll(async () => {
    sim = await startSim();
  });
  afterAll(() => sim.close());

  it('creates cron and interval schedules in the ONTAP shapes, reads them back, changes and deletes them', async () => {
    const cronName = uniq('nightly');
    const cron = await createSchedule(sim, { name: cronName, cron: { minutes: [30, 0], hours: [1] } });
    expect(cron).toMatchObject({
      uuid: expect.any(String),
      name: cronName,
      type: 'cron',
      cron: { minutes: [0, 30], hours: [1] },
    });
    const interval = await createSchedule(sim, { name: uniq('every_2s'), type: 'interval', interval: 'PT2S' });
    expect(interval).toMatchObject({ type: 'interval', interval: 'PT2S' });
    expect(interval.cron).toBeUndefined();

    const listed = (await sim.get(`/api/cluster/schedules?name=${cronName}&fields=*`)).body.records;
    expect(listed).toEqual([
      expect.objectContaining({ uuid: cron.uuid, type: 'cron', cron: { minutes: [0, 30], hours: [1] } }),
    ]);
    expect((await sim.get(`/api/cluster/schedules/${interval.uuid}`)).body).toMatchObject({
      name: interval.name,
      interval: 'PT2S',
    });
    // The seeded schedules are there too.
    expect((await sim.get('/api/cluster/schedules?name=daily&fields=cron')).body.records[0].cron).toEqual({
      minutes: [10],
      hours: [0],
    });

    // PATCH changes only the cron fields it names, as `job schedule cron modify` does.
    expect((await sim.patch(`/api/cluster/schedules/${cron.uuid}`, { cron: { hours: [2, 3] } })).status).toBe(200);
    expect((await sim.get(`/api/cluster/schedules/${cron.uuid}`)).body.cron).toEqual({
      minutes: [0, 30],
      hours: [2, 3],
    });
    expect((await sim.patch(`/api/cluster/schedules/${interval.uuid}`, { interval: 'PT1M' })).status).toBe(200);
    expect((await sim.patch(`/api/cluster/schedules/${interval.uuid}`, { cron: { minutes: [1] } })).status).toBe(400);

    for (const s of [cron, interval]) {
      expect((await sim.del(`/api/cluster/schedules/${s.uuid}`)).status).toBe(200);
      expect((await sim.get(`/api/cluster/schedules/${s.uuid}`)).status).toBe(404);
    }
    expect((await sim.del(`/api/cluster/schedules/${cron.uuid}`)).body.error.code).toBe('4');
  });

  it('refuses what is not a valid schedule', async () => {
    const codes = async (body: Json) => {
      const r = await sim.post('/api/cluster/schedules', { name: uniq('bad'), ...body });
      return [r.status, r.body?.error?.code];
    };
    expect(await codes({ cron: { minutes: [0] }, interval: 'PT1H' })).toEqual([400, '459760']);
    expect(await codes({})).toEqual([400, '459760']);
    expect(await codes({ cron: { hours: [1] } })).toEqual([400, '262186']);
    expect(await codes({ cron: { minutes: [60] } })).toEqual([400, '262197']);
    expect(await codes({ cron: { minutes: [0], months: [0] } })).toEqual([400, '262197']);
    expect(await codes({ interval: 'P1M' })).toEqual([400, '262197']);
    expect(await codes({ interval: 'PT0S' })).toEqual([400, '459760']);
    expect(await codes({ type: 'cron', interval: 'PT1H' })).toEqual([400, '262197']);
    expect(await codes({ interval: 'PT1H', color: 'red' })).toEqual([400, '262179']);
    const taken = await sim.post('/api/cluster/schedules', { name: 'daily', cron: { minutes: [1] } });
    expect([taken.status, taken.body.error.code]).toEqual([409, '1']);
  });
});

describe('SnapMirror transfer schedules', () => {
  let pair: Pair;
  beforeAll(async () => {
    pair = await startPair();
  });
  afterAll(() => pair?.close());

  /**
   * An initialized relationship whose policy makes a source snapshot on every update, holding `data` in its file
   * `data`.
   */
  async function mirrored(data: Buffer) {
    const r = await relationship(pair, 'MirrorAllSnapshots', data);
    await pair.dst.done('PATCH', `/api/snapmirror/relationships/${r.rel}`, { state: 'snapmirrored' });
    await settled(pair, r.rel);
    return r;
  }
  const onSchedule = (rel: string, schedule: Json) =>
    pair.dst.done('PATCH', `/api/snapmirror/relationships/${rel}`, {
      transfer_schedule: schedule === null ? null : { name: schedule.name },
    });
  const arrives = (dstVol: string, data: Buffer) =>
    until('the new content on the destination', async () => (await pair.dst.read(dstVol, 'data')).equals(data));

  it('deleting a schedule a policy or a relationship uses is refused (459758), and allowed once nothing does', async () => {
    const schedule = await createSchedule(pair.dst, { name: uniq('in_use'), cron: { minutes: [7], hours: [3] } });
    const policy = uniq('scheduled');
    await pair.dst.done('POST', '/api/snapmirror/policies', {
      name: policy,
      create_snapshot_on_source: false,
      retention: [{ label: 'daily', count: 7 }],
      transfer_schedule: { name: schedule.name },
    });
    const { rel } = await relationship(pair, policy);
    await onSchedule(rel, schedule);
    expect(
      (await pair.dst.get(`/api/snapmirror/relationships/${rel}?fields=transfer_schedule`)).body.transfer_schedule,
    ).toEqual({ uuid: schedule.uuid, name: schedule.name });

    const refused = await pair.dst.del(`/api/cluster/schedules/${schedule.uuid}`);
    expect([refused.status, refused.body.error.code]).toEqual([409, '459758']);
    expect(refused.body.error.message).toMatch(new RegExp(`policy "${policy}".*relationship "svm1:`));

    await onSchedule(rel, null);
    const byPolicy = await pair.dst.del(`/api/cluster/schedules/${schedule.uuid}`);
    expect(byPolicy.body.error.message).not.toMatch(/relationship/);
    const uuid = (await pair.dst.get(`/api/snapmirror/policies?name=${policy}`)).body.records[0].uuid;
    await pair.dst.done('PATCH', `/api/snapmirror/policies/${uuid}`, { transfer_schedule: null });
    expect((await pair.dst.del(`/api/cluster/schedules/${schedule.uuid}`)).status).toBe(200);
  });

  it('an interval schedule updates the relationship by itself: what the source writes between runs arrives on the destination', async () => {
    const schedule = await createSchedule(pair.dst, { name: uniq('every_1s'), interval: 'PT1S' });
    const { rel, srcVol, dstVol } = await mirrored(randomBytes(64 * 1024));
    const before = (await transfersOf(pair.dst, rel)).length;
    await onSchedule(rel, schedule);

    const second = randomBytes(64 * 1024);
    await pair.src.write(srcVol, 'data', second);
    await arrives(dstVol, second);
    const third = randomBytes(64 * 1024);
    await pair.src.write(srcVol, 'data', third);
    await arrives(dstVol, third);

    // No POST .../transfers was made: the schedule started them, as updates under the policy's rules.
    const runs = (await transfersOf(pair.dst, rel)).slice(before);
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(runs.every((t) => t.state !== 'failed')).toBe(true);
    expect(runs.filter((t) => t.state === 'success').map((t) => t.snapshot)).toEqual(
      expect.arrayContaining([expect.stringMatching(new RegExp(`^snapmirror\\.${rel}_\\d+\\.`))]),
    );
    await onSchedule(rel, null);
  });

  it('a paused or broken-off relationship is not updated on schedule; resume and resync bring the schedule back', async () => {
    const schedule = await createSchedule(pair.dst, { name: uniq('every_1s'), interval: 'PT1S' });
    const { rel, srcVol, dstVol } = await mirrored(randomBytes(32 * 1024));
    await onSchedule(rel, schedule);
    const path = `/api/snapmirror/relationships/${rel}`;

    // Quiesced: runs come due and are skipped.
    await pair.dst.done('PATCH', path, { state: 'paused' });
    await settled(pair, rel, 'paused');
    const held = await pair.dst.read(dstVol, 'data');
    const count = (await transfersOf(pair.dst, rel)).length;
    const whilePaused = randomBytes(32 * 1024);
    await pair.src.write(srcVol, 'data', whilePaused);
    await sleep(2500);
    expect((await transfersOf(pair.dst, rel)).length).toBe(count);
    expect((await pair.dst.read(dstVol, 'data')).equals(held)).toBe(true);
    await pair.dst.done('PATCH', path, { state: 'snapmirrored' });
    await arrives(dstVol, whilePaused);

    // Broken off (quiesce first, as ONTAP wants): no runs either; resync transfers once, then the schedule carries on.
    await pair.dst.done('PATCH', path, { state: 'paused' });
    await settled(pair, rel, 'paused');
    await pair.dst.done('PATCH', path, { state: 'broken_off' });
    const brokenCount = (await transfersOf(pair.dst, rel)).length;
    await sleep(2500);
    expect((await transfersOf(pair.dst, rel)).length).toBe(brokenCount);
    await pair.dst.done('PATCH', path, { state: 'snapmirrored' });
    await settled(pair, rel);
    const afterResync = randomBytes(32 * 1024);
    await pair.src.write(srcVol, 'data', afterResync);
    await arrives(dstVol, afterResync);
    await onSchedule(rel, null);
  }, 30_000);

  it('an uninitialized relationship is not initialized by its schedule', async () => {
    const schedule = await createSchedule(pair.dst, { name: uniq('every_1s'), interval: 'PT1S' });
    const { rel } = await relationship(pair, 'MirrorAllSnapshots', randomBytes(4096));
    await onSchedule(rel, schedule);
    await sleep(1800);
    expect(await transfersOf(pair.dst, rel)).toEqual([]);
    expect((await pair.dst.get(`/api/snapmirror/relationships/${rel}?fields=state`)).body.state).toBe('uninitialized');
    await onSchedule(rel, null);
  });
});

describe('a cron transfer schedule, run at a chosen wall-clock time', () => {
  let pair: Pair;
  beforeAll(async () => {
    pair = await startPair();
  });
  afterAll(() => pair?.close());

  it("the policy's cron schedule starts an update in a matching minute, once, sending the snapshots the policy's labels pick", async () => {
    // A minute half an hour away: the real clock cannot reach it while the test runs; runDue is given that time.
    const at = new Date(Date.now() + 30 * 60_000);
    at.setSeconds(5, 0);
    const schedule = await createSchedule(pair.dst, { name: uniq('cron'), cron: { minutes: [at.getMinutes()] } });
    const policy = uniq('hourly_vault');
    await pair.dst.done('POST', '/api/snapmirror/policies', {
      name: policy,
      create_snapshot_on_source: false,
      retention: [{ label: 'hourly', count: 5 }],
      transfer_schedule: { name: schedule.name },
    });
    const { rel, srcVol, dstVol } = await relationship(pair, policy, randomBytes(16 * 1024));
    await pair.dst.done('PATCH', `/api/snapmirror/relationships/${rel}`, { state: 'snapmirrored' });
    await settled(pair, rel);
    await pair.src.done('POST', `/api/storage/volumes/${srcVol}/snapshots`, { name: 'h1', snapmirror_label: 'hourly' });

    const ctx = pair.dst.sim.context;
    // The schedule takes effect (the runner's own timer may have done this already): nothing is due now.
    expect(runDue(ctx, Date.now())).toEqual([]);
    const before = (await transfersOf(pair.dst, rel)).length;
    expect(runDue(ctx, at.getTime() - 60_000)).toEqual([]);
    expect(runDue(ctx, at.getTime()).map((r) => r.uuid)).toEqual([rel]);
    // Later in the same minute, and in the next minute (which does not match): nothing more.
    expect(runDue(ctx, at.getTime() + 20_000)).toEqual([]);
    expect(runDue(ctx, at.getTime() + 60_000)).toEqual([]);

    await until('the scheduled transfer', async () => (await transfersOf(pair.dst, rel)).length > before);
    const runs = (await transfersOf(pair.dst, rel)).slice(before);
    expect(runs).toHaveLength(1);
    expect((await follow(pair.dst, rel, runs[0].uuid)).pop()).toMatchObject({ state: 'success', snapshot: 'h1' });
    const names = (await pair.dst.get(`/api/storage/volumes/${dstVol}/snapshots?fields=name`)).body.records.map(
      (s: Json) => s.name,
    );
    expect(names).toContain('h1');
  });
});
