// Seeds a fresh region: the demo objects (an NFS volume with content, a snapshot, an access rule for a VM), and
// extra empty volumes for scale tests and benchmarks.
import { createHash, randomUUID } from 'node:crypto';
import type { VolumeRecord } from './state/model';
import { RegionState, apiTime } from './state/region';
import { uniqueVolumeName } from './state/volumes';

export const DEMO_CONTENT = 'Hello from the SCP File Storage simulator: demo_fs1\n';
/** The VM the demo volume's access rule names. */
export const DEMO_VM_ID = '43fa3347-02a4-4aa8-8cf9-affe4917bb6f';

/** A region's mount address: a stable private address derived from its name. */
export function mountAddressOf(region: string): string {
  const h = createHash('sha256').update(region).digest();
  return `10.${h[0]}.${h[1]}.10`;
}

export function newRegion(name: string): RegionState {
  return new RegionState(name, mountAddressOf(name));
}

/** A volume that is already available (seeding needs no 202 round). */
export function seededVolume(state: RegionState, accountId: string, name: string, now: number): VolumeRecord {
  const v: VolumeRecord = {
    id: randomUUID(),
    name: uniqueVolumeName(name),
    account_id: accountId,
    protocol: 'NFS',
    type_name: 'HDD',
    purpose: 'NORMAL',
    state: 'available',
    created_at: apiTime(now),
    cifs_password: null,
    cifs_id: null,
    file_unit_recovery_enabled: false,
    encryption_enabled: true,
    tags: [],
    access_rules: [],
    source_snapshot_id: null,
    content: state.store.newMap(),
  };
  state.volumes.set(v.id, v);
  return v;
}

export function seedRegion(
  state: RegionState,
  opts: { accountId: string; demo: boolean; bulkVolumes: number; now: number },
): void {
  if (opts.demo) {
    const v = seededVolume(state, opts.accountId, 'demo_fs1', opts.now);
    state.store.prepareWrite(v.content, 0, Buffer.from(DEMO_CONTENT)).commit();
    v.access_rules.push({ object_type: 'VM', object_id: DEMO_VM_ID, access_rule_state: 'active' });
    const id = randomUUID();
    state.snapshots.set(id, {
      id,
      name: `${v.name}.${new Date(opts.now).toISOString().slice(0, 19).replace('T', '_').replace(/:/g, '')}`,
      volume_id: v.id,
      state: 'available',
      created_at: apiTime(opts.now),
      scheduled: false,
      content: state.store.share(v.content),
    });
  }
  for (let i = 1; i <= opts.bulkVolumes; i++)
    seededVolume(state, opts.accountId, `bulk_${String(i).padStart(6, '0')}`, opts.now + i);
}
