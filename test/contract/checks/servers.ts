/**
 * Storage, servers and system: the array the session names, its servers with their supports/config flags, and their
 * figures.
 */
import { expectSame, expectStatus, group, ok } from '../check';
import { type ServerFlags, enc } from '../context';
import { checkPaging } from './paging';

export const storageChecks = group('storage', [
  [
    "GET /storage describes the session's array: its id is the session's storage id, its port the session's, its pluginId /info's id",
    async (ctx) => {
      const res = await ctx.api.get('/storage', { session: ctx.sid });
      expectStatus(res, 200);
      const s = res.json as { id: string; pluginId: string; serverIds: string[]; port: number };
      expectSame(s.id, ctx.storageId, 'the storage id must be the one POST /session answered', res, '$.id');
      expectSame(s.port, ctx.opts.array.port, 'the port must be the one the session was opened on', res, '$.port');
      if (ctx.info) expectSame(s.pluginId, ctx.info.id, "pluginId must be /info's id", res, '$.pluginId');
      ok(
        s.serverIds.length > 0,
        'a storage has at least one server ("0" when it has no virtual servers)',
        res,
        '$.serverIds',
      );
    },
  ],
]);

export const serverChecks = group('servers', [
  [
    'GET /server lists exactly the servers /storage names; the server under test and its flags are read',
    async (ctx) => {
      const storage = await ctx.api.get('/storage', { session: ctx.sid });
      expectStatus(storage, 200);
      const ids = (storage.json as { serverIds: string[] }).serverIds;
      const res = await ctx.api.get('/server');
      expectStatus(res, 200);
      const servers = (res.json as { servers: ServerFlags[] }).servers;
      expectSame(
        servers.map((s) => s.id).sort(),
        [...ids].sort(),
        'the listed servers differ from /storage serverIds',
        res,
        '$.servers',
      );
      // The fixture's server when there is one (its volumes are made there), else the first one.
      const wanted = ctx.fixture?.serverId ?? ids[0];
      const server = servers.find((s) => s.id === wanted);
      ok(server, `server ${wanted} is not listed`, res, '$.servers');
      ctx.server = server;
      const on = (flags: Record<string, boolean>) =>
        Object.keys(flags)
          .filter((k) => flags[k])
          .join(', ') || 'none';
      ctx.note(`server ${server.id} (${server.name}); supports: ${on(server.supports)}; config: ${on(server.config)}`);
    },
  ],
  [
    'GET /server/{id} answers each listed server as listed',
    async (ctx) => {
      void ctx.serverId;
      const list = await ctx.api.get('/server');
      expectStatus(list, 200);
      for (const s of (list.json as { servers: ServerFlags[] }).servers) {
        const res = await ctx.api.get(`/server/${enc(s.id)}`);
        expectStatus(res, 200);
        expectSame(res.json, s, `server ${s.id} reads differently from its list entry`, res);
      }
    },
  ],
  [
    "every server's replication flags agree: no kind of replication is claimed without replication",
    async (ctx) => {
      const kinds = [
        'volumeReplication',
        'consistencyGroupReplication',
        'newSnapshotReplication',
        'existingSnapshotReplication',
        'replicationToItself',
      ];
      const res = await ctx.api.get('/server');
      expectStatus(res, 200);
      for (const [i, s] of (res.json as { servers: ServerFlags[] }).servers.entries()) {
        if (s.supports.replication)
          ok(
            kinds.some((k) => s.supports[k]),
            `server ${s.id} claims replication, but no kind of it`,
            res,
            `$.servers[${i}].supports.replication`,
          );
        else
          for (const k of kinds)
            ok(
              !s.supports[k],
              `server ${s.id} says ${k} while replication is false`,
              res,
              `$.servers[${i}].supports.${k}`,
            );
      }
    },
  ],
  [
    'every server answers its collections, and the ones its flags promise (consistency groups, remote arrays) are served',
    async (ctx) => {
      void ctx.sid;
      const res = await ctx.api.get('/server');
      expectStatus(res, 200);
      for (const s of (res.json as { servers: ServerFlags[] }).servers) {
        const base = `/server/${enc(s.id)}`;
        expectStatus(await ctx.api.get(`${base}/system`), 200);
        for (const c of ['volume', 'pool', 'network', 'host'])
          expectStatus(await ctx.api.get(`${base}/${c}?limit=5`), 200);
        // Each of these answers its list or the 501 (the spec checks either); the flags may demand the list.
        for (const c of ['lun', 'hostgroup']) expectStatus(await ctx.api.get(`${base}/${c}?limit=5`), 200, 501);
        expectStatus(
          await ctx.api.get(`${base}/consistencygroup?limit=5`),
          ...(s.supports.persistentConsistencyGroup ? [200] : [200, 501]),
        );
        expectStatus(
          await ctx.api.get(`${base}/remotearray?limit=5`),
          ...(s.supports.replication ? [200] : [200, 501]),
        );
      }
    },
  ],
  [
    'GET /server/{id}/system answers the system figures',
    async (ctx) => {
      const res = await ctx.api.get(`${ctx.srv}/system`);
      expectStatus(res, 200);
      const sys = res.json as { capacityInBytes: number; totalSizeInBytes: number };
      ok(sys.capacityInBytes > 0, 'a system has some capacity', res, '$.capacityInBytes');
    },
  ],
  ['GET /server pages with limit and start', async (ctx) => checkPaging(ctx, '/server', 'servers')],
]);
