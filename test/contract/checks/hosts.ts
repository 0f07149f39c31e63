/** Hosts: create (201 + Location), get, list, Fibre Channel, LUN list, map and unmap (by volume and by LUN), paging. */
import {
  expectError,
  expectSame,
  expectStatus,
  expectUnsupported,
  fail,
  firstDifference,
  group,
  isUnsupported,
  ok,
  skip,
} from '../check';
import { type SuiteContext, enc } from '../context';
import { checkPaging } from './paging';

interface HostJson {
  id: string;
  name: string;
  iqns: string[];
  wwns: string[];
  mappedLunIds: string[];
  config: { fc: boolean; iscsi: boolean };
}

interface MappingJson {
  name: string;
  volumeId: string;
  hostId: string | null;
  lunId: string;
  lunNumber: number;
}

const hostPath = (ctx: SuiteContext) => {
  const h = ctx.host ?? skip('needs the host of the create check');
  return `${ctx.srv}/host/${enc(h.id)}`;
};

/** Two LUNs of the suite's own to map; the array's LUNs are left alone. */
function twoLuns(ctx: SuiteContext) {
  ctx.requireFeature('host mapping');
  if (ctx.luns.length < 2)
    skip(
      `needs two LUNs of the suite's own: ${ctx.features.get('LUNs')?.supported === false ? 'LUNs are not served' : ctx.fixtureNote}`,
    );
  return ctx.luns.slice(0, 2);
}

async function mappings(ctx: SuiteContext): Promise<MappingJson[]> {
  const res = await ctx.api.get(`${hostPath(ctx)}/lun`);
  expectStatus(res, 200);
  return (res.json as { luns: MappingJson[] }).luns;
}

export const hostChecks = group('hosts', [
  [
    'POST /host answers 201 with the host and a Location header that reads back the same host (or 501 where hosts are made outside the storage; its hosts then list and read back)',
    async (ctx) => {
      const name = ctx.name('host');
      const iqn = `iqn.1994-05.com.example:${name.replace(/_/g, '-')}`;
      const res = await ctx.api.post(`${ctx.srv}/host`, { name, iqns: [iqn] });
      if (isUnsupported(res)) {
        ctx.setFeature('host creation', false, `${res.endpoint} answered 501`);
        // The checks that follow use a host the storage has.
        const list = await ctx.api.get(`${ctx.srv}/host`);
        expectStatus(list, 200);
        const first = (list.json as { hosts: HostJson[] }).hosts[0];
        if (!first) return skip('hosts are not created through the plugin, and the storage lists none');
        const back = await ctx.api.get(`${ctx.srv}/host/${enc(first.id)}`);
        expectStatus(back, 200);
        expectSame(back.json, first, 'the host read back differs from the one listed', back);
        ctx.host = first;
        return;
      }
      ctx.setFeature('host creation', true, `${res.endpoint} answered ${res.status}`);
      expectStatus(res, 201);
      const host = res.json as HostJson;
      ctx.created.push({ kind: 'host', id: host.id, name });
      expectSame(
        {
          name: host.name,
          iqns: host.iqns,
          wwns: host.wwns,
          mappedLunIds: host.mappedLunIds,
          iscsi: host.config.iscsi,
        },
        { name, iqns: [iqn], wwns: [], mappedLunIds: [], iscsi: true },
        'the new host',
        res,
      );
      const where = ctx.api.relative(res.headers.location);
      expectSame(where, `${ctx.srv}/host/${enc(host.id)}`, 'Location must name the new host', res, 'header Location');
      const back = await ctx.api.get(where as string);
      expectStatus(back, 200);
      expectSame(back.json, host, 'the host at Location differs from the one created', back);
      ctx.host = host;
    },
  ],
  [
    'repeating a host create with the same name and initiators answers the same host; other initiators answer 409',
    async (ctx) => {
      ctx.requireFeature('host creation');
      const h = ctx.host ?? skip('needs the host of the create check');
      const again = await ctx.api.post(`${ctx.srv}/host`, { name: h.name, iqns: h.iqns });
      expectStatus(again, 201);
      expectSame((again.json as HostJson).id, h.id, 'a repeated host create answered another host', again, '$.id');
      const other = await ctx.api.post(`${ctx.srv}/host`, { name: h.name, iqns: [`${h.iqns[0]}-other`] });
      if (other.status === 201) ctx.created.push({ kind: 'host', id: (other.json as HostJson).id, name: h.name });
      expectError(other, 409, 'CONFLICT');
    },
  ],
  [
    'the new host is listed',
    async (ctx) => {
      void hostPath(ctx);
      const res = await ctx.api.get(`${ctx.srv}/host`);
      expectStatus(res, 200);
      ok(
        (res.json as { hosts: HostJson[] }).hosts.some((h) => h.id === ctx.host!.id),
        'the new host is not listed',
        res,
        '$.hosts',
      );
    },
  ],
  [
    'a host with Fibre Channel WWNs is created as an FC host, or answers 501 UNSUPPORTED',
    async (ctx) => {
      const name = ctx.name('fchost');
      const res = await ctx.api.post(`${ctx.srv}/host`, { name, wwns: ['10:00:00:00:c9:12:34:56'] });
      if (isUnsupported(res)) return ctx.setFeature('Fibre Channel hosts', false, `${res.endpoint} answered 501`);
      expectStatus(res, 201);
      const host = res.json as HostJson;
      ctx.created.push({ kind: 'host', id: host.id, name });
      expectSame(host.config.fc, true, 'a host with WWNs is an FC host', res, '$.config.fc');
      ok(
        host.wwns.length === 1 && host.wwns[0].replace(/:/g, '').toLowerCase() === '10000000c9123456',
        'the WWN does not come back',
        res,
        '$.wwns',
      );
    },
  ],
  [
    'GET /host/{id}/lun lists the mappings of a host: none for a new one (where mapping is not served, the list is empty and map and unmap answer 501)',
    async (ctx) => {
      const res = await ctx.api.get(`${hostPath(ctx)}/lun`);
      if (isUnsupported(res))
        fail('a collection the array does not have is an empty list (200, []), not 501', res, 'status');
      expectStatus(res, 200);
      expectSame((res.json as { luns: unknown[] }).luns, [], 'a new host has no mappings', res, '$.luns');
      // Whether mapping is served shows in the action: unmap of a LUN the host does not have is 404, or 501.
      const probe = await ctx.api.post(`${hostPath(ctx)}?action=unmap`, { lunId: ctx.name('lun') });
      if (isUnsupported(probe)) {
        ctx.setFeature('host mapping', false, `${probe.endpoint} answered 501`);
        expectUnsupported(
          await ctx.api.post(`${hostPath(ctx)}?action=map`, { volumeId: ctx.existingVolume ?? 'x' }),
          'host mapping is not served',
        );
        return;
      }
      ctx.setFeature('host mapping', true, `${probe.endpoint} answered ${probe.status}`);
    },
  ],
  [
    'map by volume id and by LUN id answers each mapping with distinct LUN numbers; the host lists both',
    async (ctx) => {
      const [l1, l2] = twoLuns(ctx);
      const m1res = await ctx.api.post(`${hostPath(ctx)}?action=map`, { volumeId: l1.volumeId });
      expectStatus(m1res, 200);
      ctx.created.push({ kind: 'mapping', hostId: ctx.host!.id, lunId: l1.id });
      const m2res = await ctx.api.post(`${hostPath(ctx)}?action=map`, { lunId: l2.id });
      expectStatus(m2res, 200);
      ctx.created.push({ kind: 'mapping', hostId: ctx.host!.id, lunId: l2.id });
      const [m1, m2] = [m1res.json as MappingJson, m2res.json as MappingJson];
      expectSame(
        [m1.volumeId, m1.lunId, m1.hostId],
        [l1.volumeId, l1.id, ctx.host!.id],
        'the mapping by volume id',
        m1res,
      );
      expectSame(
        [m2.volumeId, m2.lunId, m2.hostId],
        [l2.volumeId, l2.id, ctx.host!.id],
        'the mapping by LUN id',
        m2res,
      );
      ok(m1.lunNumber !== m2.lunNumber, 'two LUNs mapped to one host share a LUN number', m2res, '$.lunNumber');
      const listed = await mappings(ctx);
      for (const m of [m1, m2])
        ok(
          listed.some((x) => firstDifference(x, m) === undefined),
          `mapping of LUN ${m.lunId} is not listed as answered`,
          undefined,
          '$.luns',
        );
      const host = await ctx.api.get(hostPath(ctx));
      expectStatus(host, 200);
      const ids = (host.json as HostJson).mappedLunIds;
      ok(ids.includes(l1.id) && ids.includes(l2.id), 'mappedLunIds lacks the mapped LUNs', host, '$.mappedLunIds');
    },
  ],
  [
    'mapping the same volume again changes nothing: the same LUN number (or 409 CONFLICT)',
    async (ctx) => {
      const [l1] = twoLuns(ctx);
      const before = await mappings(ctx);
      const res = await ctx.api.post(`${hostPath(ctx)}?action=map`, { volumeId: l1.volumeId });
      if (res.status === 409) expectError(res, 409, 'CONFLICT');
      else {
        expectStatus(res, 200);
        expectSame(
          (res.json as MappingJson).lunNumber,
          before.find((m) => m.lunId === l1.id)?.lunNumber,
          'mapping again gave another LUN number',
          res,
          '$.lunNumber',
        );
      }
      expectSame((await mappings(ctx)).length, before.length, 'mapping again added a mapping');
    },
  ],
  [
    'GET /host/{id}/lun pages with limit and start',
    async (ctx) => {
      ctx.requireFeature('host mapping');
      await checkPaging(ctx, `${hostPath(ctx)}/lun`, 'luns');
    },
  ],
  [
    'unmap answers 200 with no body and the mapping is gone; unmapping it again answers 404',
    async (ctx) => {
      const [l1, l2] = twoLuns(ctx);
      expectStatus(await ctx.api.post(`${hostPath(ctx)}?action=unmap`, { lunId: l1.id }), 200);
      const left = await mappings(ctx);
      expectSame(
        left.map((m) => m.lunId),
        [l2.id],
        'after unmap the host should keep only the other LUN',
      );
      const host = await ctx.api.get(hostPath(ctx));
      ok(
        !(host.json as HostJson).mappedLunIds.includes(l1.id),
        'mappedLunIds still has the unmapped LUN',
        host,
        '$.mappedLunIds',
      );
      expectError(await ctx.api.post(`${hostPath(ctx)}?action=unmap`, { lunId: l1.id }), 404, 'NOT_FOUND');
      expectStatus(await ctx.api.post(`${hostPath(ctx)}?action=unmap`, { lunId: l2.id }), 200);
    },
  ],
  [
    'a map body naming neither a volume nor a LUN answers 400; a volume and a LUN that disagree answer 400',
    async (ctx) => {
      ctx.requireFeature('host mapping');
      expectError(await ctx.api.post(`${hostPath(ctx)}?action=map`, {}), 400, 'BAD_REQUEST');
      const [l1, l2] = twoLuns(ctx);
      expectError(await ctx.api.post(`${hostPath(ctx)}?action=map`, { volumeId: l1.volumeId, lunId: l2.id }), 400, [
        'BAD_REQUEST',
        'INVALID_ARGUMENT',
      ]);
    },
  ],
  [
    "every host's mappedLunIds are LUNs of the server, listed in its LUN list",
    async (ctx) => {
      ctx.requireFeature('host mapping');
      const res = await ctx.api.get(`${ctx.srv}/host`);
      expectStatus(res, 200);
      for (const [i, h] of (res.json as { hosts: HostJson[] }).hosts.slice(0, 10).entries()) {
        const listed = await ctx.api.get(`${ctx.srv}/host/${enc(h.id)}/lun`);
        expectStatus(listed, 200);
        const lunIds = (listed.json as { luns: MappingJson[] }).luns.map((m) => m.lunId);
        expectSame(
          [...h.mappedLunIds].sort(),
          [...lunIds].sort(),
          `host ${h.id}: mappedLunIds and GET /host/${h.id}/lun disagree`,
          res,
          `$.hosts[${i}].mappedLunIds`,
        );
        for (const l of h.mappedLunIds)
          ok(
            (await ctx.api.get(`${ctx.srv}/lun/${enc(l)}`)).status === 200,
            `host ${h.id} maps LUN ${l}, which GET /lun/${l} does not answer`,
            res,
            `$.hosts[${i}].mappedLunIds`,
          );
      }
    },
  ],
  ['GET /host pages with limit and start', async (ctx) => checkPaging(ctx, `${ctx.srv}/host`, 'hosts')],
]);
