// Wire shapes of seed sections 12-14 (partners, relationships, sessions): ids, ports, sizes and times as strings.
import type { PartnerRecord, RelationshipRecord, SessionRecord } from './state/model';
import type { VsnapState } from './state/state';

const str = (n: number): string => String(n);
const strOrNull = (n: number | null): string | null => (n === null ? null : String(n));

/** Seed 12: the replication account the partner gave us is never shown. */
export function partnerView(p: PartnerRecord): Record<string, unknown> {
  return {
    id: p.id,
    address: p.address,
    api_port: str(p.api_port),
    ssh_port: str(p.ssh_port),
    time_created: str(p.time_created),
    time_updated: str(p.time_updated),
  };
}

/** Seed 13: the same relationship reads as primary on one side and replica on the other. */
export function relationshipView(state: VsnapState, r: RelationshipRecord): Record<string, unknown> {
  const volume = state.volumes.get(r.local_vol_id);
  return {
    id: r.id,
    local_pool_id: volume?.pool_id ?? null,
    local_role: r.local_role,
    local_vol_id: r.local_vol_id,
    local_vol_name: volume?.name ?? null,
    partner_id: r.partner_id,
    remote_pool_id: r.remote_pool_id,
    remote_vol_id: r.remote_vol_id,
    remote_vol_name: r.remote_vol_name,
    last_sync_status: r.last_sync_status,
    last_attempt_snap_id: r.last_attempt_snap_id,
    last_success_snap_id: r.last_success_snap_id,
    time_created: str(r.time_created),
    time_updated: str(r.time_updated),
  };
}

/**
 * Seed 14, plus one simulator extension: `size_total`, the bytes the session has to send (the whole
 * snapshot, or the blocks changed since the last synced one), null until the session knows it.
 */
export function sessionView(s: SessionRecord): Record<string, unknown> {
  return {
    id: s.id,
    rel_id: s.rel_id,
    local_snap_id: s.local_snap_id,
    remote_snap_id: s.remote_snap_id,
    local_snap_name: s.local_snap_name,
    remote_snap_name: s.remote_snap_name,
    repl_address: s.repl_address,
    size_sent: strOrNull(s.size_sent),
    size_total: strOrNull(s.size_total),
    status: s.status,
    time_queued: str(s.time_queued),
    time_started: strOrNull(s.time_started),
    time_ended: strOrNull(s.time_ended),
    message: s.message,
  };
}
