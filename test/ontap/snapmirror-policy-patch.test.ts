// PATCH /snapmirror/policies/{uuid}: the examples, every rule and restriction, and every error code of the vendor
// document.
import { type Json, type TestSim, startSim, uniq } from './sim-helpers';

describe('PATCH /api/snapmirror/policies/{uuid}', () => {
  let sim: TestSim;
  beforeAll(async () => {
    sim = await startSim();
  });
  afterAll(() => sim.close());

  const path = (uuid: string) => `/api/snapmirror/policies/${uuid}`;
  const read = async (uuid: string): Promise<Json> => (await sim.get(`${path(uuid)}?fields=*`)).body;
  const rules = async (uuid: string) =>
    (await read(uuid)).retention.map((r: Json) => ({
      label: r.label,
      count: r.count,
      ...(r.creation_schedule ? { schedule: r.creation_schedule.name } : {}),
    }));
  const builtin = async (name: string): Promise<string> =>
    (await sim.get(`/api/snapmirror/policies?name=${name}`)).body.records[0].uuid;

  /** A new svm-scoped policy. */
  async function policy(body: Json = {}): Promise<string> {
    const res = await sim.done('POST', '/api/snapmirror/policies?return_records=true', {
      name: uniq('pol'),
      svm: { name: 'svm1' },
      ...body,
    });
    return res.body.records[0].uuid;
  }

  /** A relationship stand-in that uses the policy (relationships themselves come with the replication issue). */
  const use = async (policyUuid: string, extra: Json) =>
    (await sim.post('/sim/policy-uses', { policy: policyUuid, ...extra })).body.uuid as string;

  /** The PATCH is refused at once with this code, and the policy is left as it was. */
  async function refused(uuid: string, body: Json, code: string, target?: string): Promise<void> {
    const before = await read(uuid);
    const res = await sim.patch(path(uuid), body);
    expect([res.status, res.body?.error?.code]).toEqual([400, code]);
    if (target) expect(res.body.error.target).toBe(target);
    expect(await read(uuid)).toEqual(before);
  }

  const patched = (uuid: string, body: Json) => sim.done('PATCH', path(uuid), body);

  describe('the examples of the document', () => {
    it('adds rules to a policy without any rules', async () => {
      const p = await policy();
      await patched(p, {
        retention: [
          { label: 'newlabel', count: 2 },
          { label: 'weekly', count: 2, creation_schedule: { name: 'weekly' } },
          { label: 'daily', count: 14 },
        ],
      });
      expect(await rules(p)).toEqual([
        { label: 'newlabel', count: 2 },
        { label: 'weekly', count: 2, schedule: 'weekly' },
        { label: 'daily', count: 14 },
      ]);
    });

    it('adds rules to a policy with rules: the given list is the final list', async () => {
      const p = await policy({
        retention: [
          { label: 'oldLabel1', count: 2 },
          { label: 'oldLabel2', count: 5 },
        ],
      });
      await patched(p, {
        retention: [
          { label: 'oldLabel1', count: 2 },
          { label: 'oldLabel2', count: 5 },
          { label: 'newlabel', count: 3 },
          { label: 'weekly', count: 1 },
        ],
      });
      expect((await rules(p)).map((r: Json) => r.label)).toEqual(['oldLabel1', 'oldLabel2', 'newlabel', 'weekly']);
    });

    it('removes a rule and adds one in the same call: the list replaces the existing rules', async () => {
      const p = await policy({
        retention: [
          { label: 'oldLabel1', count: 2 },
          { label: 'oldLabel2', count: 3 },
        ],
      });
      await patched(p, {
        retention: [
          { label: 'oldLabel2', count: 3 },
          { label: 'newlabel', count: 2 },
        ],
      });
      expect(await rules(p)).toEqual([
        { label: 'oldLabel2', count: 3 },
        { label: 'newlabel', count: 2 },
      ]);
    });

    it('updates transfer_schedule (dotted key), throttle (as a string) and identity_preservation', async () => {
      const p = await policy();
      await patched(p, {
        'transfer_schedule.name': 'weekly',
        throttle: '100',
        identity_preservation: 'exclude_network_and_protocol_config',
      });
      expect(await read(p)).toMatchObject({
        transfer_schedule: { name: 'weekly' },
        throttle: 100,
        identity_preservation: 'exclude_network_and_protocol_config',
      });
    });

    it('removes the transfer schedule with {uuid: null, name: null}, on a path with a trailing slash, or with null', async () => {
      const p = await policy({ transfer_schedule: { name: 'daily' } });
      await sim.done('PATCH', `${path(p)}/`, { transfer_schedule: { uuid: null, name: null } });
      expect(await read(p)).not.toHaveProperty('transfer_schedule');
      await patched(p, { transfer_schedule: { name: 'hourly' } });
      expect((await read(p)).transfer_schedule.name).toBe('hourly');
      await patched(p, { transfer_schedule: null });
      expect(await read(p)).not.toHaveProperty('transfer_schedule');
    });

    it('sets retention.preserve and retention.warn on an existing rule', async () => {
      const p = await policy({ retention: [{ label: 'oldLabel1', count: 2 }] });
      await patched(p, { retention: [{ label: 'oldLabel1', count: 3, preserve: true, warn: 2 }] });
      expect((await read(p)).retention).toEqual([{ label: 'oldLabel1', count: 3, preserve: true, warn: 2 }]);
    });

    it('answers 202 with a job, or 200 when return_timeout lets the job end', async () => {
      const p = await policy();
      const queued = await sim.patch(path(p), { comment: 'async' });
      expect(queued.status).toBe(202);
      expect((await sim.job(queued.body.job.uuid)).state).toBe('success');
      expect((await sim.patch(`${path(p)}?return_timeout=5`, { comment: 'waited' })).status).toBe(200);
      expect((await read(p)).comment).toBe('waited');
    });

    it('takes retention.count as a string, as current client models send it', async () => {
      const p = await policy();
      await patched(p, { retention: [{ label: 'daily', count: '7' }] });
      expect((await read(p)).retention[0].count).toBe(7);
    });
  });

  describe('the rules and restrictions', () => {
    it('"retention.label" and "retention.count" are mandatory when "retention" is given (13303850)', async () => {
      const p = await policy();
      await refused(p, { retention: [{ count: 2 }] }, '13303850', 'retention.label');
      await refused(p, { retention: [{ label: 'daily' }] }, '13303850', 'retention.count');
    });

    it('identity_preservation cannot change while the relationships have different configurations (13303843)', async () => {
      const p = await policy({ identity_preservation: 'full' });
      await use(p, { endpoint: 'svm', identity_preservation: 'full' });
      await use(p, { endpoint: 'svm', identity_preservation: 'exclude_network_config' });
      await refused(p, { identity_preservation: 'exclude_network_config' }, '13303843', 'identity_preservation');
    });

    it('with matching relationships it goes down the threshold (full to exclude_network_config) but never up (13303843)', async () => {
      const p = await policy({ identity_preservation: 'full' });
      await use(p, { endpoint: 'svm', identity_preservation: 'full' });
      await patched(p, { identity_preservation: 'exclude_network_config' });
      expect((await read(p)).identity_preservation).toBe('exclude_network_config');
      const q = await policy({ identity_preservation: 'exclude_network_and_protocol_config' });
      await use(q, { endpoint: 'svm', identity_preservation: 'exclude_network_and_protocol_config' });
      await refused(q, { identity_preservation: 'exclude_network_config' }, '13303843');
      await refused(q, { identity_preservation: 'full' }, '13303843');
    });

    it('without relationships the threshold may go up as well', async () => {
      const p = await policy({ identity_preservation: 'exclude_network_config' });
      await patched(p, { identity_preservation: 'full' });
      expect((await read(p)).identity_preservation).toBe('full');
    });

    it('cannot go to exclude_network_and_protocol_config for an identity-preserving SVM DR (13303843)', async () => {
      const p = await policy({ identity_preservation: 'exclude_network_config' });
      await use(p, { endpoint: 'svm', identity_preservation: 'exclude_network_config' });
      await refused(p, { identity_preservation: 'exclude_network_and_protocol_config' }, '13303843');
    });

    it.each(['copy_all_source_snapshots', 'copy_latest_source_snapshot'])(
      '"%s" cannot be modified (13303850), though repeating its value is no change',
      async (flag) => {
        const mirror = await builtin(flag === 'copy_all_source_snapshots' ? 'MirrorAllSnapshots' : 'MirrorLatest');
        await refused(mirror, { [flag]: false }, '13303850', flag);
        await patched(mirror, { [flag]: true, comment: 'same value' });
        const plain = await policy();
        await refused(plain, { [flag]: true }, '13303850', flag);
      },
    );

    it('"create_snapshot_on_source" cannot be modified (13303850)', async () => {
      const p = await policy();
      await refused(p, { create_snapshot_on_source: false }, '13303850', 'create_snapshot_on_source');
      const vault = await policy({ create_snapshot_on_source: false, retention: [{ label: 'daily', count: 7 }] });
      await refused(vault, { create_snapshot_on_source: true }, '13303850');
    });

    it('no retention property can be modified when the policy copies all or the latest source snapshots (13303850)', async () => {
      await refused(
        await builtin('MirrorAllSnapshots'),
        { retention: [{ label: 'daily', count: 7 }] },
        '13303850',
        'retention',
      );
      await refused(await builtin('MirrorLatest'), { retention: [] }, '13303850', 'retention');
    });

    describe('a policy with create_snapshot_on_source false', () => {
      const vault = () =>
        policy({
          create_snapshot_on_source: false,
          retention: [
            { label: 'daily', count: 7 },
            { label: 'weekly', count: 4 },
          ],
        });

      it('cannot have all its rules deleted in one call (13304050)', async () => {
        await refused(await vault(), { retention: [] }, '13304050', 'retention');
      });

      it('cannot have all its rules replaced in one call (13303850)', async () => {
        const p = await vault();
        await refused(p, { retention: [{ label: 'monthly', count: 12 }] }, '13303850');
        const res = await sim.patch(path(p), { retention: [{ label: 'monthly', count: 12 }] });
        expect(res.body.error.message).toMatch(/^Replacing all retention rules/);
      });

      it('cannot have the label of every rule modified in one call (13303850)', async () => {
        const p = await vault();
        const res = await sim.patch(path(p), {
          retention: [
            { label: 'daily2', count: 7 },
            { label: 'weekly2', count: 4 },
          ],
        });
        expect([res.status, res.body.error.code, res.body.error.message]).toEqual([
          400,
          '13303850',
          expect.stringMatching(/^Modifying the property "retention.label" for all/),
        ]);
      });

      it('may change some of its rules as long as one stays', async () => {
        const p = await vault();
        await patched(p, {
          retention: [
            { label: 'daily', count: 14 },
            { label: 'monthly', count: 6 },
          ],
        });
        expect(await rules(p)).toEqual([
          { label: 'daily', count: 14 },
          { label: 'monthly', count: 6 },
        ]);
      });

      it('must keep one rule without a creation schedule (6621088)', async () => {
        await refused(
          await vault(),
          { retention: [{ label: 'daily', count: 7, creation_schedule: { name: 'daily' } }] },
          '6621088',
        );
      });
    });
  });

  describe('the error codes', () => {
    it('6619714: a transfer or creation schedule that is an interval schedule', async () => {
      const p = await policy();
      await refused(p, { transfer_schedule: { name: 'every_4h' } }, '6619714', 'transfer_schedule');
      await refused(
        p,
        { retention: [{ label: 'x', count: 1, creation_schedule: { name: 'every_30min' } }] },
        '6619714',
        'retention.creation_schedule',
      );
    });

    it('13303842: a property that does not apply to the policy type', async () => {
      const asyncPolicy = await policy();
      await refused(asyncPolicy, { rpo: 60 }, '13303842', 'rpo');
      await refused(asyncPolicy, { sync_common_snapshot_schedule: { name: 'hourly' } }, '13303842');
      const sync = await builtin('StrictSync');
      await refused(sync, { identity_preservation: 'full' }, '13303842');
      await refused(sync, { network_compression_enabled: true }, '13303842');
      await refused(sync, { transfer_schedule: { name: 'daily' } }, '13303842');
      await refused(await builtin('Continuous'), { retention: [{ label: 'x', count: 1 }] }, '13303842');
    });

    it('13303843: a throttle or transfer schedule that conflicts with a relationship of the policy', async () => {
      const p = await policy();
      await use(p, { endpoint: 'flexvol', throttle: 500, transfer_schedule: 'hourly' });
      await refused(p, { throttle: 100 }, '13303843', 'throttle');
      await refused(p, { transfer_schedule: { name: 'daily' } }, '13303843', 'transfer_schedule');
      await patched(p, { throttle: 500, transfer_schedule: { name: 'hourly' } });
    });

    it('13303850: fields the PATCH cannot take, fixed properties, and malformed values', async () => {
      const p = await policy();
      await refused(p, { colour: 'red' }, '13303850', 'colour');
      await refused(p, { type: 'sync' }, '13303850', 'type');
      await refused(p, { svm: { name: 'svm1' } }, '13303850', 'svm');
      await refused(p, { throttle: 'fast' }, '13303850', 'throttle');
      await refused(p, { transfer_schedule: { name: 'no-such-schedule' } }, '13303850', 'transfer_schedule.name');
      await refused(
        p,
        {
          retention: [
            { label: 'a', count: 1 },
            { label: 'a', count: 2 },
          ],
        },
        '13303850',
        'retention.label',
      );
    });

    it('13303887: more retention rules than a policy may hold', async () => {
      const eleven = Array.from({ length: 11 }, (_, i) => ({ label: `l${i}`, count: 1 }));
      await refused(await policy(), { retention: eleven }, '13303887', 'retention');
    });

    it('13304092: a retention period that is not an ISO-8601 duration or "infinite"', async () => {
      const p = await policy();
      await refused(p, { retention: [{ label: 'a', count: 1, period: '30 days' }] }, '13304092', 'retention.period');
      await patched(p, {
        retention: [
          { label: 'a', count: 1, period: 'P30D' },
          { label: 'b', count: 1, period: 'infinite' },
          { label: 'c', count: 1, period: 'P1Y2M3DT4H' },
        ],
      });
      expect((await read(p)).retention.map((r: Json) => r.period)).toEqual(['P30D', 'infinite', 'P1Y2M3DT4H']);
    });

    it('6621045: retention.warn without retention.preserve', async () => {
      await refused(await policy(), { retention: [{ label: 'a', count: 5, warn: 2 }] }, '6621045', 'retention.warn');
    });

    it('13304129: retention.warn not below retention.count', async () => {
      await refused(
        await policy(),
        { retention: [{ label: 'a', count: 3, preserve: true, warn: 3 }] },
        '13304129',
        'retention.warn',
      );
    });

    it('13304126: a retention.count out of range', async () => {
      const p = await policy();
      await refused(p, { retention: [{ label: 'a', count: 0 }] }, '13304126', 'retention.count');
      await refused(p, { retention: [{ label: 'a', count: 1020 }] }, '13304126', 'retention.count');
    });

    it('13304130: the total retention.count of all rules above the limit', async () => {
      await refused(
        await policy(),
        {
          retention: [
            { label: 'a', count: 400 },
            { label: 'b', count: 400 },
            { label: 'c', count: 400 },
          ],
        },
        '13304130',
      );
    });

    it('13304131: changing a creation schedule while a relationship has a FlexGroup endpoint', async () => {
      const p = await policy({ retention: [{ label: 'daily', count: 7 }] });
      await use(p, { endpoint: 'flexgroup' });
      await refused(p, { retention: [{ label: 'daily', count: 7, creation_schedule: { name: 'daily' } }] }, '13304131');
      await patched(p, { retention: [{ label: 'daily', count: 9 }] });
    });

    it('13304011: a retention.count above 1 in a synchronous policy', async () => {
      await refused(
        await builtin('Sync'),
        { retention: [{ label: 'sm_created', count: 2 }] },
        '13304011',
        'retention.count',
      );
    });

    it('6621091: a rule with preserve true in a synchronous policy', async () => {
      await refused(
        await builtin('Sync'),
        { retention: [{ label: 'sm_created', count: 1, preserve: true }] },
        '6621091',
      );
    });

    it('6621129: adding a creation schedule while a relationship has a consistency group endpoint', async () => {
      const p = await policy({ retention: [{ label: 'daily', count: 7 }] });
      await use(p, { endpoint: 'consistency_group' });
      await refused(
        p,
        {
          retention: [
            { label: 'daily', count: 7 },
            { label: 'weekly', count: 4, creation_schedule: { name: 'weekly' } },
          ],
        },
        '6621129',
      );
    });

    it('a policy that does not exist answers 404 with code "4"', async () => {
      const res = await sim.patch(path('00000000-0000-0000-0000-00000000dead'), { comment: 'x' });
      expect([res.status, res.body.error.code]).toEqual([404, '4']);
    });
  });
});
