// Seeds a fresh cluster: one node, two aggregates, two SVMs (one a DR destination), LIFs, schedules, built-in
// SnapMirror policies, and demo data.
import { v5 as uuidv5 } from 'uuid';
import { BlockStore } from '../shared/blocks';
import { planCgSnapshot, planCreateCg } from './state/cgs';
import { planCreateLun } from './state/luns';
import { planCreateSnapshot } from './state/snapshots';
import { planCreateVolume } from './state/volumes';
import type { PolicyRecord, ScheduleRecord, SvmRecord } from './state/model';
import type { OntapState } from './state/state';

const NAMESPACE = '6f3a1c52-0d4e-4b7a-9c1e-5a2b8d7e4f10';
/**
 * Stable uuids, so a fresh simulator always has the same cluster, SVMs and aggregates (tests and docs rely on them).
 */
export const stableUuid = (name: string): string => uuidv5(name, NAMESPACE);

export const CLUSTER_NAME = 'cluster1';
/** The port on which a fresh cluster keeps the name `cluster1` (elsewhere it is named after its port). */
export const ONTAP_SIM_DEFAULT_PORT_FOR_NAME = 8902;
export const SVM_NAME = 'svm1';
export const DR_SVM_NAME = 'svm1_dr';
/** The SVM volumes are made on by default: the first one, serving NFS, iSCSI and FC. */
export const SVM_UUID = stableUuid(`svm/${SVM_NAME}`);
export const DR_SVM_UUID = stableUuid(`svm/${DR_SVM_NAME}`);
const GiB = 1024 ** 3;
export const DEMO_NFS_CONTENT = 'Hello from the ONTAP simulator: demo_nfs\n';

export interface SeedOptions {
  demo: boolean;
}

function svm(
  state: OntapState,
  name: string,
  n: number,
  subtype: SvmRecord['subtype'],
  aggregates: string[],
  san: boolean,
): SvmRecord {
  const uuid = stableUuid(`svm/${name}`);
  const record: SvmRecord = {
    uuid,
    seq: state.nextSeq(),
    name,
    subtype,
    state: 'running',
    aggregates,
    language: 'c.utf_8',
    comment: '',
    nfs: { enabled: true },
    iscsi: {
      enabled: san,
      target_name: `iqn.1992-08.com.netapp:sn.${uuid.replace(/-/g, '')}:vs.${n}`,
      target_alias: name,
    },
    fcp: { enabled: san, target_wwnn: `20:00:00:50:56:bb:0${n}:00` },
  };
  state.svms.set(uuid, record);
  return record;
}

function schedules(state: OntapState): void {
  const every = (step: number, max: number) => Array.from({ length: max / step }, (_, i) => i * step);
  const list: Omit<ScheduleRecord, 'uuid' | 'seq'>[] = [
    { name: '5min', type: 'cron', cron: { minutes: every(5, 60) } },
    { name: '8hour', type: 'cron', cron: { minutes: [15], hours: [2, 10, 18] } },
    { name: 'hourly', type: 'cron', cron: { minutes: [5] } },
    { name: 'daily', type: 'cron', cron: { minutes: [10], hours: [0] } },
    { name: 'weekly', type: 'cron', cron: { minutes: [15], hours: [0], weekdays: [0] } },
    { name: 'monthly', type: 'cron', cron: { minutes: [20], hours: [0], days: [1] } },
    { name: 'every_4h', type: 'interval', interval: 'PT4H' },
    { name: 'every_30min', type: 'interval', interval: 'PT30M' },
  ];
  for (const s of list) {
    const uuid = stableUuid(`schedule/${s.name}`);
    state.schedules.set(uuid, { ...s, uuid, seq: state.nextSeq() });
  }
}

/** The cluster-scoped policies ONTAP ships. */
function builtinPolicies(state: OntapState): void {
  const rule = (label: string, count: number) => ({ label, count, preserve: false, warn: 0 });
  const list: Omit<
    PolicyRecord,
    'uuid' | 'seq' | 'scope' | 'builtin' | 'comment' | 'throttle' | 'network_compression_enabled'
  >[] = [
    {
      name: 'Asynchronous',
      type: 'async',
      create_snapshot_on_source: true,
      retention: [rule('sm_created', 1), rule('all_source_snapshots', 1)],
    },
    {
      name: 'MirrorAllSnapshots',
      type: 'async',
      copy_all_source_snapshots: true,
      create_snapshot_on_source: true,
      retention: [],
    },
    {
      name: 'MirrorLatest',
      type: 'async',
      copy_latest_source_snapshot: true,
      create_snapshot_on_source: true,
      retention: [],
    },
    {
      name: 'MirrorAndVault',
      type: 'async',
      create_snapshot_on_source: true,
      retention: [rule('sm_created', 1), rule('daily', 7), rule('weekly', 52)],
    },
    {
      name: 'XDPDefault',
      type: 'async',
      create_snapshot_on_source: false,
      retention: [rule('daily', 7), rule('weekly', 52)],
    },
    { name: 'DailyBackup', type: 'async', create_snapshot_on_source: false, retention: [rule('daily', 7)] },
    {
      name: 'Sync',
      type: 'sync',
      sync_type: 'sync',
      create_snapshot_on_source: true,
      retention: [rule('sm_created', 1)],
    },
    {
      name: 'StrictSync',
      type: 'sync',
      sync_type: 'strict_sync',
      create_snapshot_on_source: true,
      retention: [rule('sm_created', 1)],
    },
    {
      name: 'AutomatedFailOver',
      type: 'sync',
      sync_type: 'automated_failover',
      create_snapshot_on_source: true,
      retention: [rule('sm_created', 1)],
    },
    { name: 'Continuous', type: 'continuous', create_snapshot_on_source: true, retention: [], rpo: 3600 },
  ];
  for (const p of list) {
    const uuid = stableUuid(`policy/${p.name}`);
    state.policies.set(uuid, {
      ...p,
      uuid,
      seq: state.nextSeq(),
      scope: 'cluster',
      builtin: true,
      comment: '',
      throttle: 0,
      network_compression_enabled: false,
    });
  }
}

export function seedState(state: OntapState, options: SeedOptions): void {
  state.cluster = {
    ...state.cluster,
    uuid: stableUuid(`cluster/${CLUSTER_NAME}`),
    name: CLUSTER_NAME,
    location: 'lab',
    contact: 'storage-admins',
  };
  const node = stableUuid('node/cluster1-01');
  state.nodes.set(node, {
    uuid: node,
    seq: state.nextSeq(),
    name: 'cluster1-01',
    serial_number: '721819000123',
    model: 'AFF-A250',
    system_id: '0537123456',
  });
  schedules(state);
  const aggr = (name: string, size: number, raid: 'raid_dp' | 'raid_tec', disks: number) => {
    const uuid = stableUuid(`aggregate/${name}`);
    state.aggregates.set(uuid, {
      uuid,
      seq: state.nextSeq(),
      name,
      node,
      size,
      raid_type: raid,
      disk_count: disks,
      create_time: Date.UTC(2024, 0, 2),
      store: new BlockStore(),
    });
    return uuid;
  };
  const aggr1 = aggr('aggr1', 200 * GiB, 'raid_dp', 12);
  const aggr2 = aggr('aggr2', 100 * GiB, 'raid_tec', 8);
  const main = svm(state, SVM_NAME, 1, 'default', [aggr1, aggr2], true);
  const dr = svm(state, DR_SVM_NAME, 2, 'dp_destination', [aggr2], false);
  const lif = (name: string, owner: string, address: string, services: string[]) => {
    const uuid = stableUuid(`lif/${name}`);
    state.ipInterfaces.set(uuid, {
      uuid,
      seq: state.nextSeq(),
      name,
      svm: owner,
      address,
      netmask: '255.0.0.0',
      services,
      home_node: node,
      home_port: 'e0c',
      enabled: true,
    });
  };
  lif('svm1_data_nfs', main.uuid, '127.0.0.1', ['data_core', 'data_nfs', 'data_cifs']);
  lif('svm1_data_iscsi', main.uuid, '127.0.0.2', ['data_core', 'data_iscsi']);
  lif('svm1_dr_data_nfs', dr.uuid, '127.0.0.3', ['data_core', 'data_nfs']);
  const fc = stableUuid('lif/svm1_fc_1');
  state.fcInterfaces.set(fc, {
    uuid: fc,
    seq: state.nextSeq(),
    name: 'svm1_fc_1',
    svm: main.uuid,
    wwpn: '20:01:00:50:56:bb:01:01',
    wwnn: main.fcp.target_wwnn,
    home_node: node,
    home_port: '0c',
    enabled: true,
  });
  for (const s of [main, dr]) {
    planCreateVolume(state, {
      uuid: stableUuid(`volume/${s.name}_root`),
      name: `${s.name}_root`,
      svm: s,
      size: GiB,
      guarantee: 'none',
      nasPath: '/',
      type: s.subtype === 'dp_destination' ? 'dp' : 'rw',
      comment: 'SVM root volume',
    })().is_svm_root = true;
  }
  builtinPolicies(state);
  if (options.demo) seedDemo(state, main, dr);
  state.changed();
}

function seedDemo(state: OntapState, main: SvmRecord, dr: SvmRecord): void {
  const nfs = planCreateVolume(state, {
    uuid: stableUuid('volume/demo_nfs'),
    name: 'demo_nfs',
    svm: main,
    size: GiB / 2,
    guarantee: 'none',
    nasPath: '/demo_nfs',
    comment: 'demo NFS volume',
  })();
  const store = state.storeOf(nfs);
  const data = store.newMap();
  store.prepareWrite(data, 0, Buffer.from(DEMO_NFS_CONTENT)).commit();
  nfs.files.set('data', data);
  planCreateSnapshot(state, nfs, {
    uuid: stableUuid('snapshot/demo_nfs_snap1'),
    name: 'demo_nfs_snap1',
    comment: '',
    label: 'daily',
  })();
  const san = planCreateVolume(state, {
    uuid: stableUuid('volume/demo_san'),
    name: 'demo_san',
    svm: main,
    size: GiB,
    guarantee: 'none',
    snapshotReservePercent: 0,
    comment: 'demo SAN volume',
  })();
  const lun = planCreateLun(state, {
    uuid: stableUuid('lun/demo_san/lun1'),
    volume: san,
    file: 'lun1',
    size: GiB / 4,
    os_type: 'linux',
    comment: '',
  })();
  const pattern = Buffer.alloc(64 * 1024);
  for (let i = 0; i < pattern.length; i++) pattern[i] = i % 251;
  pattern.write('ONTAPSIM', 0, 'ascii');
  store.prepareWrite(san.files.get('lun1')!, 0, pattern).commit();
  const igroup = stableUuid('igroup/demo_host');
  state.igroups.set(igroup, {
    uuid: igroup,
    seq: state.nextSeq(),
    name: 'demo_host',
    svm: main.uuid,
    os_type: 'linux',
    protocol: 'iscsi',
    initiators: ['iqn.1994-05.com.redhat:demo-host'],
    igroups: [],
    comment: '',
  });
  state.lunMaps.set(`${lun.uuid}/${igroup}`, { seq: state.nextSeq(), lun: lun.uuid, igroup, logical_unit_number: 0 });
  // An FC host, and two host groups (parent igroups, ONTAP 9.9+) each holding one host.
  const fcHost = stableUuid('igroup/demo_fc_host');
  state.igroups.set(fcHost, {
    uuid: fcHost,
    seq: state.nextSeq(),
    name: 'demo_fc_host',
    svm: main.uuid,
    os_type: 'vmware',
    protocol: 'fcp',
    initiators: ['10:00:00:10:9b:1a:2b:3c'],
    igroups: [],
    comment: '',
  });
  for (const [name, child] of [
    ['demo_cluster', igroup],
    ['demo_esx_farm', fcHost],
  ]) {
    const uuid = stableUuid(`igroup/${name}`);
    state.igroups.set(uuid, {
      uuid,
      seq: state.nextSeq(),
      name,
      svm: main.uuid,
      os_type: 'linux',
      protocol: 'mixed',
      initiators: [],
      igroups: [child],
      comment: 'host group',
    });
  }
  const cg = stableUuid('cg/demo_cg');
  planCreateCg(state, cg, 'demo_cg', main, [nfs, san])();
  planCgSnapshot(state, state.cg(cg), stableUuid('cgsnapshot/demo_cg_snap1'), 'demo_cg_snap1', '', 'daily')();
  planCreateVolume(state, {
    uuid: stableUuid('volume/demo_nfs_dst'),
    name: 'demo_nfs_dst',
    svm: dr,
    size: GiB / 2,
    guarantee: 'none',
    type: 'dp',
    comment: 'SnapMirror destination (replication comes later)',
  })();
  const vault = stableUuid('policy/demo_vault');
  state.policies.set(vault, {
    uuid: vault,
    seq: state.nextSeq(),
    name: 'demo_vault',
    svm: main.uuid,
    scope: 'svm',
    type: 'async',
    comment: 'demo vault policy',
    builtin: false,
    create_snapshot_on_source: false,
    network_compression_enabled: false,
    throttle: 0,
    transfer_schedule: stableUuid('schedule/daily'),
    retention: [
      { label: 'daily', count: 14, preserve: false, warn: 0 },
      { label: 'weekly', count: 8, preserve: true, warn: 6, creation_schedule: stableUuid('schedule/weekly') },
    ],
  });
}
