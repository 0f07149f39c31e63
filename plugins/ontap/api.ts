/**
 * Typed ONTAP calls with ONTAP errors translated to domain errors: cluster, SVMs, aggregates, volumes, snapshots,
 * files, SAN, networks, groups, peers and SnapMirror.
 */
import { notFound } from '../../src/domain/errors';
import type { Page } from '../../src/domain/types';
import type { OntapClient, Query } from './client';
import { isNotFound } from './errors';
import { type What, fromOntap } from './mapper';
import type {
  OntapAggregate,
  OntapCgSnapshot,
  OntapCluster,
  OntapClusterPeer,
  OntapConsistencyGroup,
  OntapFcInterface,
  OntapFile,
  OntapIgroup,
  OntapIpInterface,
  OntapLun,
  OntapLunMap,
  OntapNode,
  OntapRelationship,
  OntapService,
  OntapSnapshot,
  OntapSvm,
  OntapSvmPeer,
  OntapTransfer,
  OntapVolume,
} from './types';

export const seg = encodeURIComponent;

export const SVM_FIELDS = 'uuid,name,subtype,state';
export const AGGREGATE_FIELDS = 'uuid,name,space.block_storage,space.efficiency.ratio,block_storage.primary.raid_type';
export const VOLUME_FIELDS =
  'uuid,name,svm,aggregates,size,type,is_svm_root,create_time,guarantee.type,space.size,space.available,space.used,space.snapshot,nas.path,clone';
export const SNAPSHOT_FIELDS = 'uuid,name,create_time';
export const LUN_FIELDS = 'uuid,name,svm,location,os_type,serial_number,enabled,space.size,status.state';
export const IGROUP_FIELDS = 'uuid,name,svm,protocol,os_type,initiators,igroups,parent_igroups,lun_maps';
const IP_FIELDS = 'uuid,name,ip.address,svm,services';
const FC_FIELDS = 'uuid,name,wwpn,svm';
export const CG_FIELDS = 'uuid,name,svm,create_time,volumes';
export const CG_SNAPSHOT_FIELDS = 'uuid,name,create_time,snapshot_volumes';
const PEER_FIELDS = 'uuid,name,remote,authentication';
const RELATIONSHIP_FIELDS = 'uuid,source,destination,state,healthy,transfer';
const TRANSFER_FIELDS =
  'uuid,state,snapshot,bytes_transferred,total_bytes,total_duration,end_time,last_updated_time,error_info';

/** Volumes CDM manages: not the SVM root volumes. */
const DATA_VOLUMES = { is_svm_root: false };

export class OntapApi {
  constructor(readonly client: OntapClient) {}

  async run<T>(fn: () => Promise<T>, what?: What): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw fromOntap(err, what);
    }
  }

  /** The first record of a filtered collection, or NOT_FOUND naming `what`. */
  async one<T>(path: string, query: Query, what: What): Promise<T> {
    const page = await this.run(() => this.client.list<T>(path, { ...query, max_records: 1 }), what);
    const hit = page.records?.[0];
    if (!hit) throw notFound(what.kind, what.id);
    return hit;
  }

  cluster = () => this.run(() => this.client.get<OntapCluster>('/cluster', { fields: 'uuid,name,version' }));
  nodes = () =>
    this.run(() => this.client.all<OntapNode>('/cluster/nodes', { fields: 'uuid,name,serial_number,model' }));

  svms = () => this.run(() => this.client.all<OntapSvm>('/svm/svms', { fields: SVM_FIELDS }));
  svm = (uuid: string) =>
    this.run(() => this.client.get<OntapSvm>(`/svm/svms/${seg(uuid)}`, { fields: `${SVM_FIELDS},aggregates` }), {
      kind: 'server',
      id: uuid,
    });

  /** A protocol service of an SVM; an SVM that never had it configured has none (not an error). */
  async service(protocol: 'nfs' | 'san/iscsi' | 'san/fcp', svm: string): Promise<OntapService | undefined> {
    try {
      return await this.client.get<OntapService>(`/protocols/${protocol}/services/${seg(svm)}`, {
        fields: protocol === 'nfs' ? 'svm,enabled,state' : 'svm,enabled,target',
      });
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw fromOntap(err);
    }
  }

  aggregatesPage = (uuids: string[] | undefined, page: Page) =>
    this.run(() =>
      this.client.page<OntapAggregate>(
        '/storage/aggregates',
        { fields: AGGREGATE_FIELDS, uuid: uuids?.join('|') },
        page,
      ),
    );
  aggregate = (uuid: string) =>
    this.run(() => this.client.get<OntapAggregate>(`/storage/aggregates/${seg(uuid)}`, { fields: AGGREGATE_FIELDS }), {
      kind: 'pool',
      id: uuid,
    });

  volumesPage = (svm: string, page: Page) =>
    this.run(() =>
      this.client.page<OntapVolume>(
        '/storage/volumes',
        { ...DATA_VOLUMES, 'svm.uuid': svm, fields: VOLUME_FIELDS },
        page,
      ),
    );
  volumesAll = (svm: string, fields = VOLUME_FIELDS) =>
    this.run(() => this.client.all<OntapVolume>('/storage/volumes', { ...DATA_VOLUMES, 'svm.uuid': svm, fields }));
  /**
   * The volume, checked to be a data volume of the SVM (a volume of another SVM, or an SVM root, is "not found" here).
   * One record GET, the cheapest call the cluster answers for a volume.
   */
  async volume(svm: string, uuid: string): Promise<OntapVolume> {
    const what = { kind: 'volume', id: uuid };
    const v = await this.run(
      () => this.client.get<OntapVolume>(`/storage/volumes/${seg(uuid)}`, { fields: VOLUME_FIELDS }),
      what,
    );
    if (v.svm?.uuid !== svm || v.is_svm_root) throw notFound(what.kind, what.id);
    return v;
  }
  volumeNamed = (svm: string, name: string) =>
    this.one<OntapVolume>(
      '/storage/volumes',
      { 'svm.uuid': svm, name, fields: VOLUME_FIELDS },
      { kind: 'volume named', id: name },
    );

  async createVolume(body: Record<string, unknown>): Promise<string> {
    const res = await this.run(() => this.client.post<{ uuid: string }>('/storage/volumes', body));
    return (
      res.records?.[0]?.uuid ?? (await this.volumeNamed((body.svm as { uuid: string }).uuid, body.name as string)).uuid
    );
  }
  patchVolume = (uuid: string, body: Record<string, unknown>) =>
    this.run(() => this.client.patch(`/storage/volumes/${seg(uuid)}`, body), { kind: 'volume', id: uuid });
  deleteVolume = (uuid: string) =>
    this.run(() => this.client.delete(`/storage/volumes/${seg(uuid)}`), { kind: 'volume', id: uuid });

  snapshotsPage = (volume: string, page: Page) =>
    this.run(
      () =>
        this.client.page<OntapSnapshot>(`/storage/volumes/${seg(volume)}/snapshots`, { fields: SNAPSHOT_FIELDS }, page),
      { kind: 'volume', id: volume },
    );
  snapshot = (volume: string, uuid: string) =>
    this.run(
      () =>
        this.client.get<OntapSnapshot>(`/storage/volumes/${seg(volume)}/snapshots/${seg(uuid)}`, {
          fields: SNAPSHOT_FIELDS,
        }),
      { kind: `snapshot of volume '${volume}'`, id: uuid },
    );
  snapshotNamed = (volume: string, name: string) =>
    this.one<OntapSnapshot>(
      `/storage/volumes/${seg(volume)}/snapshots`,
      { name, fields: SNAPSHOT_FIELDS },
      { kind: `snapshot of volume '${volume}' named`, id: name },
    );

  async createSnapshot(volume: string, name: string): Promise<OntapSnapshot> {
    const res = await this.run(
      () => this.client.post<{ uuid: string }>(`/storage/volumes/${seg(volume)}/snapshots`, { name }),
      { kind: 'volume', id: volume },
    );
    const uuid = res.records?.[0]?.uuid;
    return uuid ? this.snapshot(volume, uuid) : this.snapshotNamed(volume, name);
  }
  deleteSnapshot = (volume: string, uuid: string) =>
    this.run(() => this.client.delete(`/storage/volumes/${seg(volume)}/snapshots/${seg(uuid)}`), {
      kind: `snapshot of volume '${volume}'`,
      id: uuid,
    });

  /** Entries of a directory of the volume: `/`, or `.snapshot/<name>`. */
  files = (volume: string, path: string) =>
    this.run(
      () =>
        this.client.all<OntapFile>(`/storage/volumes/${seg(volume)}/files/${seg(path)}`, {
          fields: 'name,path,type,size',
        }),
      { kind: 'volume', id: volume },
    );
  deleteFile = (volume: string, path: string) =>
    this.run(() => this.client.delete(`/storage/volumes/${seg(volume)}/files/${seg(path)}`), {
      kind: 'file',
      id: path,
    });

  /** Copies files (LUN files too) between volumes, from a snapshot's directory when the source path says so. */
  copyFiles = (
    svm: string,
    copies: { from: { volume: string; path: string }; to: { volume: string; path: string } }[],
  ) =>
    this.run(() =>
      this.client.post('/storage/file/copy', {
        overwrite_destination: true,
        files_to_copy: copies.map((c) => ({
          source_path: { svm: { uuid: svm }, volume: { uuid: c.from.volume }, path: c.from.path },
          destination_path: { svm: { uuid: svm }, volume: { uuid: c.to.volume }, path: c.to.path },
        })),
      }),
    );

  // SAN, networks and consistency groups.

  lunsPage = (svm: string, page: Page) =>
    this.run(() => this.client.page<OntapLun>('/storage/luns', { 'svm.uuid': svm, fields: LUN_FIELDS }, page));
  lun = (svm: string, uuid: string) =>
    this.one<OntapLun>('/storage/luns', { 'svm.uuid': svm, uuid, fields: LUN_FIELDS }, { kind: 'LUN', id: uuid });
  /** LUNs of these volumes, in one call. */
  lunsOf = (volumes: string[]) =>
    volumes.length === 0
      ? Promise.resolve([])
      : this.run(() =>
          this.client.all<OntapLun>('/storage/luns', { 'location.volume.uuid': volumes.join('|'), fields: LUN_FIELDS }),
        );
  lunsById = (uuids: string[]) =>
    uuids.length === 0
      ? Promise.resolve([])
      : this.run(() => this.client.all<OntapLun>('/storage/luns', { uuid: uuids.join('|'), fields: LUN_FIELDS }));
  patchLun = (uuid: string, body: Record<string, unknown>) =>
    this.run(() => this.client.patch(`/storage/luns/${seg(uuid)}`, body), { kind: 'LUN', id: uuid });

  igroupsPage = (svm: string, page: Page, query: Record<string, string> = {}) =>
    this.run(() =>
      this.client.page<OntapIgroup>(
        '/protocols/san/igroups',
        { 'svm.uuid': svm, fields: IGROUP_FIELDS, ...query },
        page,
      ),
    );
  igroup = (svm: string, uuid: string, kind = 'host') =>
    this.one<OntapIgroup>(
      '/protocols/san/igroups',
      { 'svm.uuid': svm, uuid, fields: IGROUP_FIELDS },
      { kind, id: uuid },
    );

  async createIgroup(body: Record<string, unknown>): Promise<string> {
    const res = await this.run(() => this.client.post<{ uuid: string }>('/protocols/san/igroups', body));
    const uuid = res.records?.[0]?.uuid;
    if (uuid) return uuid;
    const svm = (body.svm as { uuid: string }).uuid;
    return (
      await this.one<OntapIgroup>(
        '/protocols/san/igroups',
        { 'svm.uuid': svm, name: String(body.name), fields: 'uuid' },
        { kind: 'host named', id: String(body.name) },
      )
    ).uuid;
  }

  lunMapsOf = (igroups: string[]) =>
    igroups.length === 0
      ? Promise.resolve([])
      : this.run(() =>
          this.client.all<OntapLunMap>('/protocols/san/lun-maps', {
            'igroup.uuid': igroups.join('|'),
            fields: 'svm,lun,igroup,logical_unit_number',
          }),
        );
  async createLunMap(lun: string, igroup: string, number?: number): Promise<void> {
    await this.run(() =>
      this.client.post('/protocols/san/lun-maps', {
        lun: { uuid: lun },
        igroup: { uuid: igroup },
        ...(number === undefined ? {} : { logical_unit_number: number }),
      }),
    );
  }
  deleteLunMap = (lun: string, igroup: string) =>
    this.run(() => this.client.delete(`/protocols/san/lun-maps/${seg(lun)}/${seg(igroup)}`), {
      kind: `mapping of LUN '${lun}' to host`,
      id: igroup,
    });

  ipInterfaceCount = (svm: string) => this.run(() => this.client.count('/network/ip/interfaces', { 'svm.uuid': svm }));
  ipInterfacesPage = (svm: string, page: Page) =>
    this.run(() =>
      this.client.page<OntapIpInterface>('/network/ip/interfaces', { 'svm.uuid': svm, fields: IP_FIELDS }, page),
    );
  fcInterfacesPage = (svm: string, page: Page) =>
    this.run(() =>
      this.client.page<OntapFcInterface>('/network/fc/interfaces', { 'svm.uuid': svm, fields: FC_FIELDS }, page),
    );
  ipInterface = async (svm: string, uuid: string) =>
    (
      await this.run(() =>
        this.client.list<OntapIpInterface>('/network/ip/interfaces', { 'svm.uuid': svm, uuid, fields: IP_FIELDS }),
      )
    ).records?.[0];
  fcInterface = async (svm: string, uuid: string) =>
    (
      await this.run(() =>
        this.client.list<OntapFcInterface>('/network/fc/interfaces', { 'svm.uuid': svm, uuid, fields: FC_FIELDS }),
      )
    ).records?.[0];

  cgsPage = (svm: string, page: Page) =>
    this.run(() =>
      this.client.page<OntapConsistencyGroup>(
        '/application/consistency-groups',
        { 'svm.uuid': svm, fields: CG_FIELDS },
        page,
      ),
    );
  cg = (svm: string, uuid: string) =>
    this.one<OntapConsistencyGroup>(
      '/application/consistency-groups',
      { 'svm.uuid': svm, uuid, fields: CG_FIELDS },
      { kind: 'consistency group', id: uuid },
    );
  cgOfVolume = async (svm: string, volume: string): Promise<OntapConsistencyGroup | undefined> =>
    (
      await this.run(() =>
        this.client.list<OntapConsistencyGroup>('/application/consistency-groups', {
          'svm.uuid': svm,
          'volumes.uuid': volume,
          fields: CG_FIELDS,
        }),
      )
    ).records?.[0];
  patchCg = (uuid: string, body: Record<string, unknown>) =>
    this.run(() => this.client.patch(`/application/consistency-groups/${seg(uuid)}`, body), {
      kind: 'consistency group',
      id: uuid,
    });

  cgSnapshotsPage = (cg: string, page: Page) =>
    this.run(
      () =>
        this.client.page<OntapCgSnapshot>(
          `/application/consistency-groups/${seg(cg)}/snapshots`,
          { fields: CG_SNAPSHOT_FIELDS },
          page,
        ),
      { kind: 'consistency group', id: cg },
    );
  cgSnapshotsAll = (cg: string, query: Record<string, string> = {}) =>
    this.run(
      () =>
        this.client.all<OntapCgSnapshot>(`/application/consistency-groups/${seg(cg)}/snapshots`, {
          fields: CG_SNAPSHOT_FIELDS,
          ...query,
        }),
      { kind: 'consistency group', id: cg },
    );
  async createCgSnapshot(cg: string, name: string): Promise<string> {
    const res = await this.run(
      () => this.client.post<{ uuid: string }>(`/application/consistency-groups/${seg(cg)}/snapshots`, { name }),
      { kind: 'consistency group', id: cg },
    );
    return res.records?.[0]?.uuid ?? (await this.cgSnapshotsAll(cg, { name }))[0]?.uuid ?? '';
  }
  deleteCgSnapshot = (cg: string, uuid: string) =>
    this.run(() => this.client.delete(`/application/consistency-groups/${seg(cg)}/snapshots/${seg(uuid)}`), {
      kind: 'consistency group snapshot',
      id: uuid,
    });

  // Peers, SnapMirror relationships and their transfers.

  clusterPeers = () => this.run(() => this.client.all<OntapClusterPeer>('/cluster/peers', { fields: PEER_FIELDS }));
  /** SVM peers of a local SVM with SVMs of the named cluster (this cluster's own name: its local SVM peers). */
  svmPeers = (svm: string, cluster: string) =>
    this.run(() =>
      this.client.all<OntapSvmPeer>('/svm/peers', {
        'svm.uuid': svm,
        'peer.cluster.name': cluster,
        fields: 'uuid,name,svm,peer,state,applications',
      }),
    );

  /**
   * The local name this cluster's SVM `svm` knows SVM `peerSvm` of cluster `cluster` by: what SnapMirror paths on this
   * cluster call it (a peer SVM with the name of a local one has a name of its own).
   */
  peerLocalName = async (svm: string, peerSvm: string, cluster: string): Promise<string | undefined> =>
    (
      await this.run(() =>
        this.client.all<OntapSvmPeer>('/svm/peers', {
          'svm.name': svm,
          'peer.svm.name': peerSvm,
          'peer.cluster.name': cluster,
          fields: 'name',
        }),
      )
    )[0]?.name;

  /** Relationships whose source is on this cluster (`svm:volume` paths), as the source cluster lists them. */
  outgoing = (paths: string[]) =>
    paths.length === 0
      ? Promise.resolve([])
      : this.run(() =>
          this.client.all<OntapRelationship>('/snapmirror/relationships', {
            list_destinations_only: true,
            'source.path': paths.join('|'),
            fields: RELATIONSHIP_FIELDS,
          }),
        );
  /** Relationships this (destination) cluster holds toward one of its volumes. */
  incoming = (path: string) =>
    this.run(() =>
      this.client.all<OntapRelationship>('/snapmirror/relationships', {
        'destination.path': path,
        fields: RELATIONSHIP_FIELDS,
      }),
    );
  relationship = (uuid: string) =>
    this.run(
      () =>
        this.client.get<OntapRelationship>(`/snapmirror/relationships/${seg(uuid)}`, { fields: RELATIONSHIP_FIELDS }),
      { kind: 'SnapMirror relationship', id: uuid },
    );

  async createRelationship(body: Record<string, unknown>): Promise<string> {
    const res = await this.run(() => this.client.post<{ uuid: string }>('/snapmirror/relationships', body));
    const uuid =
      res.records?.[0]?.uuid ?? (await this.incoming(String((body.destination as { path: string }).path)))[0]?.uuid;
    if (!uuid) throw new Error('the array did not report the relationship it made');
    return uuid;
  }
  patchRelationship = (uuid: string, body: Record<string, unknown>) =>
    this.run(() => this.client.patch(`/snapmirror/relationships/${seg(uuid)}`, body), {
      kind: 'SnapMirror relationship',
      id: uuid,
    });

  /** Transfers of a relationship that carried (or carry) the named snapshot, oldest first. */
  transfersOf = (relationship: string, snapshot: string) =>
    this.run(
      () =>
        this.client.all<OntapTransfer>(`/snapmirror/relationships/${seg(relationship)}/transfers`, {
          snapshot,
          fields: TRANSFER_FIELDS,
        }),
      { kind: 'SnapMirror relationship', id: relationship },
    );
  async startTransfer(relationship: string, sourceSnapshot: string): Promise<string | undefined> {
    const res = await this.run(
      () =>
        this.client.post<{ uuid: string }>(`/snapmirror/relationships/${seg(relationship)}/transfers`, {
          source_snapshot: sourceSnapshot,
        }),
      { kind: 'SnapMirror relationship', id: relationship },
    );
    return res.records?.[0]?.uuid;
  }
}
