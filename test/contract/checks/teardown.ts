/** The end of a run: undo what the suite made (newest first) where the contract or the fixture allows, then log out. */
import { ContractFailure, expectError, expectStatus, fail, group } from '../check';
import { type Created, type SuiteContext, enc } from '../context';

/** Undoes one thing; answers what could not be undone, or undefined. */
async function undo(ctx: SuiteContext, c: Created): Promise<string | undefined> {
  const srv = ctx.srv;
  switch (c.kind) {
    case 'mapping': {
      const res = await ctx.api.post(`${srv}/host/${enc(c.hostId)}?action=unmap`, { lunId: c.lunId });
      return [200, 404].includes(res.status)
        ? undefined
        : `mapping of LUN ${c.lunId} to host ${c.hostId} (unmap answered ${res.status})`;
    }
    case 'snapshot': {
      const res = await ctx.api.del(`${srv}/volume/${enc(c.volumeId)}/snapshot/${enc(c.id)}`);
      return [204, 404].includes(res.status)
        ? undefined
        : `snapshot ${c.id} of volume ${c.volumeId} (DELETE answered ${res.status})`;
    }
    case 'volume': {
      const path = `${srv}/volume/${enc(c.id)}`;
      let res = await ctx.api.del(path);
      if (res.status === 409) {
        // Snapshots the array made on its own (group snapshots) may hold it: remove them and try again.
        const snaps = await ctx.api.get(`${path}/snapshot`);
        for (const s of (snaps.json as { snapshots?: { id: string }[] } | undefined)?.snapshots ?? [])
          await ctx.api.del(`${path}/snapshot/${enc(s.id)}`);
        res = await ctx.api.del(path);
      }
      if ([200, 404].includes(res.status)) return undefined;
      if (ctx.keptByGroup.includes(c.id))
        return `volume ${c.name} (${c.id}): the contract has no group delete, and it is the group's last volume`;
      // A volume still held by something the contract cannot undo (a group, a host group mapping): the fixture may.
      if (ctx.fixture) {
        try {
          await ctx.fixture.deleteVolume(c.id);
          return undefined;
        } catch {
          /* reported below */
        }
      }
      return `volume ${c.name} (${c.id}): DELETE answered ${res.status}`;
    }
    case 'host':
      return `host ${c.name} (${c.id}): the contract has no host delete`;
    case 'group': {
      // The group itself stays, but its volumes are let go so that they can be deleted next.
      const path = `${srv}/consistencygroup/${enc(c.id)}`;
      const cg = await ctx.api.get(path);
      const members = (cg.json as { volumeIds?: string[] } | undefined)?.volumeIds ?? [];
      if (cg.status !== 200 || !members.length)
        return `consistency group ${c.name} (${c.id}): the contract has no group delete`;
      let res = await ctx.api.post(`${path}?action=remove-volume`, { volumeIds: members });
      if (res.status === 200) return `consistency group ${c.name} (${c.id}): the contract has no group delete`;
      // Arrays that keep at least one volume in a group (ONTAP) answer 400: the last volume stays with the group.
      if (res.status === 400 && members.length > 1)
        res = await ctx.api.post(`${path}?action=remove-volume`, { volumeIds: members.slice(1) });
      if (res.status !== 200 && res.status !== 400)
        return `the volumes of consistency group ${c.name} (${c.id}): remove-volume answered ${res.status}`;
      const kept = res.status === 200 ? [members[0]] : members;
      ctx.keptByGroup.push(...kept);
      return `consistency group ${c.name} (${c.id}) with volume(s) ${kept.join(', ')}: the contract has no group delete, and the array keeps a volume in a group`;
    }
  }
}

export const cleanupChecks = group('cleanup', [
  [
    'deletes what the suite made: mappings, snapshots and volumes, newest first',
    async (ctx) => {
      void ctx.srv;
      const left: string[] = [];
      let broken: ContractFailure | undefined;
      for (const c of [...ctx.created].reverse()) {
        try {
          const why = await undo(ctx, c);
          if (why) left.push(why);
        } catch (err) {
          // Keep cleaning; an answer outside the spec is reported once everything was tried.
          if (err instanceof ContractFailure) broken ??= err;
          else left.push(`${c.kind} ${'id' in c ? c.id : ''}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
      ctx.created.length = 0;
      for (const l of left) ctx.note(`left behind: ${l}`);
      if (broken) throw broken;
      const stuck = left.filter((l) => !/the contract has no/.test(l));
      if (stuck.length) fail(`could not delete ${stuck.length} thing(s) the suite made: ${stuck.join('; ')}`);
    },
  ],
]);

export const logoutChecks = group('logout', [
  [
    'DELETE /session answers 204, and the session id answers 401 afterwards',
    async (ctx) => {
      const sid = ctx.sid;
      expectStatus(await ctx.api.del('/session'), 204);
      ctx.api.sid = undefined;
      expectError(await ctx.api.get('/storage', { session: sid }), 401, 'UNAUTHORIZED');
      expectError(await ctx.api.del('/session', { session: sid }), 401, 'UNAUTHORIZED');
    },
  ],
]);
