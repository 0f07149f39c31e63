// Replication relationships (seed 13): created on the primary with the replica volume made on the partner, known on
// both sides, deleted together.
import type { SimContext } from '../context';
import { VsnapError, exists, inUse, invalid, notFound } from '../errors';
import type { RelationshipRecord, VolumeRecord } from './model';
import { partnerAuth, newRelationshipId } from './replication';
import { byId, nowSeconds, type VsnapState } from './state';
import { checkDatasetName, optBool, optString, requireId, requireString, type Body } from '../validate';
import { createVolume, deleteVolume } from './volumes';

function newRecord(
  fields: Omit<
    RelationshipRecord,
    | 'last_sync_status'
    | 'last_attempt_snap_id'
    | 'last_success_snap_id'
    | 'synced_snap_id'
    | 'time_created'
    | 'time_updated'
  >,
): RelationshipRecord {
  const time = nowSeconds();
  return {
    ...fields,
    last_sync_status: null,
    last_attempt_snap_id: null,
    last_success_snap_id: null,
    synced_snap_id: null,
    time_created: time,
    time_updated: time,
  };
}

/** POST /api/volume/<id>/relationship on the primary. */
export async function createRelationship(
  ctx: SimContext,
  volume: VolumeRecord,
  body: Body,
): Promise<RelationshipRecord> {
  const { state, peers } = ctx;
  if (!volume.content) throw invalid(`Volume ${volume.id} is a filebackedlun: replicate its parent filesystem`);
  const partner = state.partner(requireId(body, 'partner_id'));
  const mine = state.relationshipsOf(volume.id);
  if (mine.some((r) => r.local_role === 'replica'))
    throw invalid(`Volume ${volume.name} is a replica: it cannot be the primary of another relationship`);
  const twin = mine.find((r) => r.partner_id === partner.id);
  if (twin) throw exists(`Volume ${volume.name} already replicates to partner ${partner.id} (relationship ${twin.id})`);
  const remoteName = checkDatasetName(optString(body, 'remote_vol_name') ?? volume.name, 'volume');
  const remotePool =
    body.remote_pool_id === undefined || body.remote_pool_id === null ? null : requireId(body, 'remote_pool_id');
  const id = newRelationshipId();
  const replica = await peers.call<{ vol_id: string; pool_id: string; vol_name: string }>(
    partner,
    partnerAuth(partner),
    {
      method: 'POST',
      path: '/api/peer/relationship',
      body: {
        id,
        vol_id: volume.id,
        vol_name: volume.name,
        pool_id: volume.pool_id,
        volume_type: volume.volume_type,
        size_total: volume.size_total === null ? null : String(volume.size_total),
        size_block: volume.size_block === null ? null : String(volume.size_block),
        remote_pool_id: remotePool,
        remote_vol_name: remoteName,
        reuse: optBool(body, 'reuse') ?? false,
      },
    },
  );
  const rel = newRecord({
    id,
    local_role: 'primary',
    local_vol_id: volume.id,
    partner_id: partner.id,
    remote_pool_id: replica.pool_id,
    remote_vol_id: replica.vol_id,
    remote_vol_name: replica.vol_name,
  });
  state.relationships.set(id, rel);
  state.changed();
  return rel;
}

/** POST /api/peer/relationship on the partner: make (or, with reuse, adopt) the replica volume. */
export function acceptRelationship(
  state: VsnapState,
  partnerId: string,
  body: Body,
): { vol_id: string; pool_id: string; vol_name: string } {
  const id = requireString(body, 'id');
  if (state.relationships.has(id)) throw exists(`Relationship ${id} already exists`);
  const poolId =
    body.remote_pool_id === undefined || body.remote_pool_id === null ? undefined : requireId(body, 'remote_pool_id');
  const pool = poolId !== undefined ? state.pool(poolId) : [...state.pools.values()].sort(byId)[0];
  if (!pool) throw invalid('The partner has no pool for the replica volume');
  const name = requireString(body, 'remote_vol_name');
  const type = requireString(body, 'volume_type');
  let volume = state.volumesIn(pool.id).find((v) => v.name === name);
  if (volume) {
    if (!optBool(body, 'reuse'))
      throw exists(
        `Volume ${name} already exists in pool ${pool.name}: send reuse: true to re-establish the relationship with it`,
      );
    if (volume.volume_type !== type) throw invalid(`Volume ${name} is a ${volume.volume_type}, the primary a ${type}`);
    if (state.relationshipsOf(volume.id).length > 0)
      throw inUse(`Volume ${name} is already in a replication relationship`);
  } else {
    volume = createVolume(state, {
      name,
      volume_type: type,
      pool_id: pool.id,
      size_total: body.size_total ?? undefined,
      size_block: body.size_block ?? undefined,
    });
  }
  const rel = newRecord({
    id,
    local_role: 'replica',
    local_vol_id: volume.id,
    partner_id: partnerId,
    remote_pool_id: requireId(body, 'pool_id'),
    remote_vol_id: requireId(body, 'vol_id'),
    remote_vol_name: requireString(body, 'vol_name'),
  });
  state.relationships.set(id, rel);
  state.changed();
  return { vol_id: volume.id, pool_id: pool.id, vol_name: volume.name };
}

/** The local half of a delete: sessions stop, the replica volume goes unless preserved (its clones block that). */
function dropLocal(ctx: SimContext, rel: RelationshipRecord, preserveReplica: boolean, why: string): void {
  const { state } = ctx;
  ctx.replication.cancelAll(rel.id, why);
  ctx.replication.receiver.dropRelationship(rel.id);
  state.relationships.delete(rel.id);
  if (rel.local_role === 'replica' && !preserveReplica) {
    const volume = state.volumes.get(rel.local_vol_id);
    try {
      if (volume) deleteVolume(state, volume);
    } catch (err) {
      state.relationships.set(rel.id, rel);
      throw err;
    }
  }
  state.changed();
}

/**
 * DELETE /api/relationship/<id>[?preserve_replica=true|1][&force=true] from either side. The partner is told
 * first (it deletes the replica when it holds it); `force` (a simulator extension) deletes the local
 * half even when the partner cannot be reached.
 */
export async function deleteRelationship(
  ctx: SimContext,
  rel: RelationshipRecord,
  preserveReplica: boolean,
  force: boolean,
): Promise<void> {
  const { state, peers } = ctx;
  if (rel.local_role === 'primary') ctx.replication.assertIdle(rel);
  const partner = state.partners.get(rel.partner_id);
  if (partner) {
    try {
      await peers.call(partner, partnerAuth(partner), {
        method: 'DELETE',
        path: `/api/peer/relationship/${rel.id}`,
        query: { preserve_replica: String(preserveReplica) },
      });
    } catch (err) {
      const gone = err instanceof VsnapError && err.status === 404;
      const unreachable = err instanceof VsnapError && err.type === 'ConnectionError';
      if (!gone && !(unreachable && force)) throw err;
    }
  }
  dropLocal(ctx, state.relationship(rel.id), preserveReplica, 'Relationship deleted');
}

/** DELETE /api/peer/relationship/<id>: the other side deleted the relationship. */
export function relationshipLeft(ctx: SimContext, partnerId: string, relId: string, preserveReplica: boolean): void {
  const rel = ctx.state.relationships.get(relId);
  if (!rel || rel.partner_id !== partnerId) throw notFound(`Relationship ID ${relId} not found`);
  dropLocal(ctx, rel, preserveReplica, 'Relationship deleted on the partner');
}

export const truthy = (v: string | undefined): boolean => v === '1' || v?.toLowerCase() === 'true';
