// /api/cluster/peers: one side generates a passphrase, the other creates the peer with it; the two simulators then
// share a token for intercluster calls.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Router } from 'express';
import type { SimContext } from '../context';
import { ONTAP_ERROR, OntapError, conflict, duplicate, invalid, invalidValue } from '../errors';
import { callAddress, ownPort, reachable } from '../state/intercluster-client';
import type { ClusterPeerRecord } from '../state/model';
import { type Json, answerCollection, answerRecord, fieldsOf, queryOf } from '../query';
import { sorted } from '../state/state';
import { allowOnly, bodyOf, optBool, optObject, optString, param } from '../validate';
import { CLUSTER_PEER_DOCUMENTED, withDocumented } from '../documented';

const sha = (s: string): Buffer => createHash('sha256').update(s).digest();
const isoMs = (ms: number): string => new Date(ms).toISOString();
/** A generated passphrase is good for an hour, as ONTAP's default. */
const OFFER_MS = 60 * 60 * 1000;

/** `host` and `port` of `host:port` or `[v6]:port`; a bare address has no port. */
export function splitHostPort(address: string): { host: string; port?: number } {
  const m = /^\[([^\]]+)\]:(\d{1,5})$/.exec(address) ?? /^([^:]+):(\d{1,5})$/.exec(address);
  return m ? { host: m[1], port: Number(m[2]) } : { host: address.replace(/^\[(.*)\]$/, '$1') };
}

/**
 * `remote.ip_addresses` as ONTAP takes them: bare addresses, where the remote cluster answers on the port this one
 * does (real clusters all answer on 443). `host:port` is the simulators' shorthand for a partner on another port of a
 * shared address: the port is kept for intercluster calls and never shown.
 */
function addressList(value: unknown): { hosts: string[]; port?: number } {
  if (value === undefined) return { hosts: [] };
  if (!Array.isArray(value) || value.some((a) => typeof a !== 'string' || !/^[A-Za-z0-9.\-[\]:]+$/.test(a)))
    throw invalidValue('remote.ip_addresses', value);
  const parsed = (value as string[]).map(splitHostPort);
  const ports = new Set(parsed.map((p) => p.port));
  if (ports.size > 1) throw invalidValue('remote.ip_addresses', value);
  return { hosts: parsed.map((p) => p.host), port: parsed[0]?.port };
}

export function peerView(p: ClusterPeerRecord, status?: 'available' | 'unavailable'): Json {
  return {
    uuid: p.uuid,
    name: p.name,
    remote: { name: p.name, ip_addresses: p.ip_addresses },
    status: {
      state: p.authentication === 'pending' ? 'pending' : (status ?? 'available'),
      update_time: isoMs(Date.now()),
    },
    authentication: { state: p.authentication, ...(p.expiry_time ? { expiry_time: isoMs(p.expiry_time) } : {}) },
    ...(p.remote_uuid ? { remote_uuid: p.remote_uuid } : {}),
    _links: { self: { href: `/api/cluster/peers/${p.uuid}` } },
  };
}

const FIELDS = withDocumented(
  fieldsOf({
    uuid: '',
    name: '',
    remote: { name: '', ip_addresses: [''] },
    status: { state: '', update_time: '' },
    authentication: { state: '', expiry_time: '' },
    remote_uuid: '',
    _links: { self: { href: '' } },
  }),
  CLUSTER_PEER_DOCUMENTED,
);

/** Probe peers only when the answer shows their status: a probe costs a round trip. */
function wantsStatus(req: Parameters<typeof queryOf>[0]): boolean {
  const q = queryOf(req);
  const fields = q.get('fields') ?? '';
  return /(^|,)\s*(\*|\*\*|status)/.test(fields) || [...q.keys()].some((k) => k.startsWith('status'));
}

async function statuses(
  ctx: SimContext,
  peers: ClusterPeerRecord[],
): Promise<Map<string, 'available' | 'unavailable'>> {
  const out = await Promise.all(
    peers.map(async (p) => [p.uuid, (await reachable(ctx, p)) ? 'available' : 'unavailable'] as const),
  );
  return new Map(out);
}

export function clusterPeerRoutes(ctx: SimContext): Router {
  const { state } = ctx;
  const router = Router();
  const peerOf = (uuid: string): ClusterPeerRecord => {
    const p = state.clusterPeers.get(uuid);
    if (!p) throw new OntapError(404, ONTAP_ERROR.ENTRY_DOESNT_EXIST, `Cluster peer "${uuid}" not found`, 'uuid');
    return p;
  };

  router.get('/cluster/peers', async (req, res) => {
    const peers = sorted(state.clusterPeers.values());
    const status = wantsStatus(req) ? await statuses(ctx, peers) : new Map();
    answerCollection(
      req,
      res,
      {
        href: '/api/cluster/peers',
        records: () => peers,
        view: (p) => peerView(p, status.get(p.uuid)),
        fields: FIELDS,
        keys: ['uuid', 'name'],
      },
      ctx.settings,
    );
  });

  router.get('/cluster/peers/:uuid', async (req, res) => {
    const p = peerOf(param(req, 'uuid'));
    answerRecord(req, res, peerView(p, (await reachable(ctx, p)) ? 'available' : 'unavailable'), FIELDS, [
      'uuid',
      'name',
    ]);
  });

  router.post('/cluster/peers', async (req, res) => {
    const body = bodyOf(req);
    allowOnly(body, [
      'name',
      'remote.ip_addresses',
      'authentication.passphrase',
      'authentication.generate_passphrase',
      'authentication.expiry_time',
      'encryption.proposed',
      'initial_allowed_svms',
      'ipspace.name',
    ]);
    const auth = optObject(body, 'authentication') ?? {};
    const { hosts: addresses, port } = addressList((optObject(body, 'remote') ?? {}).ip_addresses);
    const generate = optBool(auth, 'generate_passphrase') === true;
    const passphrase = optString(auth, 'passphrase');
    if (generate === (passphrase !== undefined))
      throw invalid(
        'Give either "authentication.passphrase" or "authentication.generate_passphrase": true',
        'authentication',
      );
    if (generate) {
      // The offer: a passphrase the administrator carries to the other cluster; only its hash is kept.
      const phrase = randomBytes(18).toString('base64url');
      const offer: ClusterPeerRecord = {
        uuid: state.newUuid(),
        seq: state.nextSeq(),
        name: optString(body, 'name') ?? '',
        remote_uuid: '',
        ip_addresses: addresses,
        ...(port !== undefined ? { api_port: port } : {}),
        authentication: 'pending',
        passphrase_hash: sha(phrase).toString('hex'),
        expiry_time: Date.now() + OFFER_MS,
        token: '',
        create_time: Date.now(),
      };
      state.clusterPeers.set(offer.uuid, offer);
      state.changed();
      res.status(201).json({
        num_records: 1,
        records: [
          {
            uuid: offer.uuid,
            name: offer.name,
            authentication: { passphrase: phrase, expiry_time: isoMs(offer.expiry_time!) },
            ip_address: splitHostPort(ctx.address).host,
            _links: { self: { href: `/api/cluster/peers/${offer.uuid}` } },
          },
        ],
      });
      return;
    }
    if (addresses.length === 0)
      throw invalid('"remote.ip_addresses" names the cluster that generated the passphrase', 'remote.ip_addresses');
    const at = addresses[0].includes(':') ? `[${addresses[0]}]` : addresses[0];
    const answer = await callAddress<{ uuid: string; name: string; token: string }>(
      ctx,
      `${at}:${port ?? ownPort(ctx)}`,
      {
        method: 'POST',
        path: '/intercluster/peer/accept',
        body: { passphrase, cluster: { uuid: state.cluster.uuid, name: state.cluster.name, address: ctx.address } },
      },
    ).catch((err: unknown) => {
      if (err instanceof OntapError && err.code === ONTAP_ERROR.PEER_AUTH_FAILED)
        throw new OntapError(
          400,
          err.code,
          err.message.replace(/^Cluster peer at [^:]+:\d+: /, ''),
          'authentication.passphrase',
        );
      if (err instanceof OntapError) throw new OntapError(400, err.code, err.message);
      throw err;
    });
    if ([...state.clusterPeers.values()].some((p) => p.remote_uuid === answer.uuid))
      throw duplicate(`Cluster "${answer.name}" is already a peer`, 'remote');
    const peer: ClusterPeerRecord = {
      uuid: state.newUuid(),
      seq: state.nextSeq(),
      name: answer.name,
      remote_uuid: answer.uuid,
      ip_addresses: addresses,
      ...(port !== undefined ? { api_port: port } : {}),
      authentication: 'ok',
      token: answer.token,
      create_time: Date.now(),
    };
    state.clusterPeers.set(peer.uuid, peer);
    state.changed();
    res.status(201).json({
      num_records: 1,
      records: [{ uuid: peer.uuid, name: peer.name, _links: { self: { href: `/api/cluster/peers/${peer.uuid}` } } }],
    });
  });

  router.delete('/cluster/peers/:uuid', (req, res) => {
    const p = peerOf(param(req, 'uuid'));
    const used = [...state.svmPeers.values()].filter((s) => s.peer === p.uuid);
    if (used.length)
      throw conflict(
        ONTAP_ERROR.PEER_IN_USE,
        `Cluster peer "${p.name}" has ${used.length} SVM peer relationship(s): delete them first`,
        'uuid',
      );
    state.clusterPeers.delete(p.uuid);
    state.changed();
    res.json({});
  });

  return router;
}

/** The accepting side of the passphrase exchange (called by the other simulator, authenticated by the passphrase). */
export function acceptPeer(ctx: SimContext, body: Json): { uuid: string; name: string; token: string } {
  const { state } = ctx;
  const phrase = typeof body.passphrase === 'string' ? body.passphrase : '';
  const cluster = (body.cluster ?? {}) as { uuid?: string; name?: string; address?: string };
  const given = sha(phrase);
  const offer = [...state.clusterPeers.values()].find(
    (p) =>
      p.authentication === 'pending' &&
      p.passphrase_hash &&
      timingSafeEqual(Buffer.from(p.passphrase_hash, 'hex'), given) &&
      (p.expiry_time ?? 0) > Date.now(),
  );
  if (!offer)
    throw new OntapError(
      403,
      ONTAP_ERROR.PEER_AUTH_FAILED,
      'Authentication failed: the passphrase is wrong or has expired',
      'authentication.passphrase',
    );
  const caller = splitHostPort(cluster.address ?? '');
  if (offer.ip_addresses.length && cluster.address && !offer.ip_addresses.includes(caller.host)) {
    throw new OntapError(
      403,
      ONTAP_ERROR.PEER_AUTH_FAILED,
      `The passphrase was generated for ${offer.ip_addresses.join(', ')}, not ${caller.host}`,
      'remote.ip_addresses',
    );
  }
  if (!cluster.uuid || !cluster.name || !cluster.address)
    throw invalid('The peering cluster must give its uuid, name and address');
  Object.assign(offer, {
    name: cluster.name,
    remote_uuid: cluster.uuid,
    ip_addresses: offer.ip_addresses.length ? offer.ip_addresses : [caller.host],
    // The caller said where it answers: intercluster calls go there whatever the administrator typed.
    api_port: caller.port,
    authentication: 'ok',
    token: randomBytes(32).toString('base64url'),
    passphrase_hash: undefined,
    expiry_time: undefined,
  });
  state.changed();
  return { uuid: state.cluster.uuid, name: state.cluster.name, token: offer.token };
}
