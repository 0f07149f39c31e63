// Seeds a fresh appliance: the demo objects, a clean initialized system, or an uninitialized one.
import { createHash, randomBytes } from 'node:crypto';
import { mapVolume, createHost } from './state/access';
import { writeVolume } from './state/content';
import { newDisk, createPool } from './state/pools';
import type { VsnapState } from './state/state';
import { createSnapshot, createVolume } from './state/volumes';

export const DEMO_POOL_BYTES = 100 * 1024 ** 3;
export const DEMO_LUN_BYTES = 10 * 1024 ** 3;
export const DEMO_FS_CONTENT = 'Hello from the vSnap simulator: demo_fs1\n';
const SPARE_DISK_BYTES = 16 * 1024 ** 3;

export interface SeedOptions {
  /** Demo objects (volumes, snapshot, host); otherwise one empty pool. */
  demo: boolean;
  /** false: a fresh appliance, "Not Initialized", no pool, three unused disks. */
  initialized: boolean;
  poolSizeBytes: number;
}

/** Disk uuids look like VMware's (36000c29 + 25 hex) and stay the same from run to run. */
const diskUuid = (n: number): string =>
  `36000c29${createHash('sha256').update(`vsnap-sim-disk-${n}`).digest('hex').slice(0, 25)}`;

export function seedState(state: VsnapState, options: SeedOptions): void {
  state.system = {
    // Every appliance has its own id (CDM's storageId; the target iqn derives from it); a state file keeps it.
    id: randomBytes(16).toString('hex'),
    hostname: 'vsnap-sim',
    fqdn: 'vsnap-sim',
    init_status: options.initialized ? 'Ready' : 'Not Initialized',
    // Seeded systems allow several pools, so tests can create their own next to pool1.
    multipool: options.initialized,
  };
  state.networks = [
    {
      id: '005056b45302',
      name: 'ens192',
      hw_addr: '005056b45302',
      ip4_addrs: ['127.0.0.1'],
      ip6_addrs: ['fe80::250:56ff:feb4:5302'],
      services: ['mgmt', 'nfs', 'smb', 'iscsi'],
    },
  ];
  // raid5 over three disks of half the pool size gives the requested capacity.
  const half = Math.floor(options.poolSizeBytes / 2);
  const poolDisks = [1, 2, 3].map((n) => newDisk(state, half, true, diskUuid(n)));
  if (!options.initialized) return;
  newDisk(state, SPARE_DISK_BYTES, true, diskUuid(4));
  newDisk(state, SPARE_DISK_BYTES, true, diskUuid(5));
  createPool(state, {
    name: 'pool1',
    pool_type: 'raid5',
    disk_list: poolDisks.map((d) => d.uuid),
    compression: true,
    deduplication: false,
  });
  if (!options.demo) return;

  const fs = createVolume(state, { name: 'demo_fs1', volume_type: 'filesystem', pool_id: '1' });
  writeVolume(state, fs, 0, Buffer.from(DEMO_FS_CONTENT));
  createSnapshot(state, fs, 'demo_fs1_snap1');
  const lun = createVolume(state, {
    name: 'demo_lun1',
    volume_type: 'lun',
    pool_id: '1',
    size_total: String(DEMO_LUN_BYTES),
  });
  writeVolume(state, lun, 0, demoLunContent());
  const host = createHost(state, { name: 'demo-host', iqns: ['iqn.1994-05.com.redhat:demo-host'] });
  mapVolume(state, host, lun);
}

/** 64 KiB of a recognizable pattern: a boot sector-ish header then counting bytes. */
export function demoLunContent(): Buffer {
  const data = Buffer.alloc(64 * 1024);
  for (let i = 0; i < data.length; i++) data[i] = i % 251;
  data.write('VSNAPSIM', 0, 'ascii');
  return data;
}
