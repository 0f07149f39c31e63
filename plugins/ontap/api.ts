/** Typed ONTAP calls with ONTAP errors translated to domain errors: cluster, SVMs and services, aggregates, volumes, snapshots, files. */
import { notFound } from '../../src/domain/errors';
import type { Page } from '../../src/domain/types';
import type { OntapClient, Query } from './client';
import { isNotFound } from './errors';
import { type What, fromOntap } from './mapper-errors';
import type { OntapAggregate, OntapCluster, OntapFile, OntapNode, OntapService, OntapSnapshot, OntapSvm, OntapVolume } from './types';

export const seg = encodeURIComponent;

export const SVM_FIELDS = 'uuid,name,subtype,state';
export const AGGREGATE_FIELDS = 'uuid,name,space.block_storage,space.efficiency.ratio,block_storage.primary.raid_type';
export const VOLUME_FIELDS = 'uuid,name,svm,aggregates,size,type,is_svm_root,create_time,guarantee.type,space.size,space.available,space.used,space.snapshot,nas.path,clone';
export const SNAPSHOT_FIELDS = 'uuid,name,create_time';

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
  nodes = () => this.run(() => this.client.all<OntapNode>('/cluster/nodes', { fields: 'uuid,name,serial_number,model' }));

  svms = () => this.run(() => this.client.all<OntapSvm>('/svm/svms', { fields: SVM_FIELDS }));
  svm = (uuid: string) => this.run(() => this.client.get<OntapSvm>(`/svm/svms/${seg(uuid)}`, { fields: `${SVM_FIELDS},aggregates` }), { kind: 'server', id: uuid });

  /** A protocol service of an SVM; an SVM that never had it configured has none (not an error). */
  async service(protocol: 'nfs' | 'san/iscsi' | 'san/fcp', svm: string): Promise<OntapService | undefined> {
    try {
      return await this.client.get<OntapService>(`/protocols/${protocol}/services/${seg(svm)}`, { fields: protocol === 'nfs' ? 'svm,enabled,state' : 'svm,enabled,target' });
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw fromOntap(err);
    }
  }

  aggregatesPage = (uuids: string[] | undefined, page: Page) =>
    this.run(() => this.client.page<OntapAggregate>('/storage/aggregates', { fields: AGGREGATE_FIELDS, uuid: uuids?.join('|') }, page));
  aggregate = (uuid: string) => this.run(() => this.client.get<OntapAggregate>(`/storage/aggregates/${seg(uuid)}`, { fields: AGGREGATE_FIELDS }), { kind: 'pool', id: uuid });

  volumesPage = (svm: string, page: Page) =>
    this.run(() => this.client.page<OntapVolume>('/storage/volumes', { ...DATA_VOLUMES, 'svm.uuid': svm, fields: VOLUME_FIELDS }, page));
  volumesAll = (svm: string, fields = VOLUME_FIELDS) => this.run(() => this.client.all<OntapVolume>('/storage/volumes', { ...DATA_VOLUMES, 'svm.uuid': svm, fields }));
  /** The volume, checked to be a data volume of the SVM (a volume of another SVM is "not found" here). */
  volume = (svm: string, uuid: string) => this.one<OntapVolume>('/storage/volumes', { ...DATA_VOLUMES, 'svm.uuid': svm, uuid, fields: VOLUME_FIELDS }, { kind: 'volume', id: uuid });
  volumeNamed = (svm: string, name: string) => this.one<OntapVolume>('/storage/volumes', { 'svm.uuid': svm, name, fields: VOLUME_FIELDS }, { kind: 'volume named', id: name });

  async createVolume(body: Record<string, unknown>): Promise<string> {
    const res = await this.run(() => this.client.post<{ uuid: string }>('/storage/volumes', body));
    return res.records?.[0]?.uuid ?? (await this.volumeNamed((body.svm as { uuid: string }).uuid, body.name as string)).uuid;
  }
  patchVolume = (uuid: string, body: Record<string, unknown>) => this.run(() => this.client.patch(`/storage/volumes/${seg(uuid)}`, body), { kind: 'volume', id: uuid });
  deleteVolume = (uuid: string) => this.run(() => this.client.delete(`/storage/volumes/${seg(uuid)}`), { kind: 'volume', id: uuid });

  snapshotsPage = (volume: string, page: Page) =>
    this.run(() => this.client.page<OntapSnapshot>(`/storage/volumes/${seg(volume)}/snapshots`, { fields: SNAPSHOT_FIELDS }, page), { kind: 'volume', id: volume });
  snapshot = (volume: string, uuid: string) =>
    this.run(() => this.client.get<OntapSnapshot>(`/storage/volumes/${seg(volume)}/snapshots/${seg(uuid)}`, { fields: SNAPSHOT_FIELDS }), { kind: `snapshot of volume '${volume}'`, id: uuid });
  snapshotNamed = (volume: string, name: string) =>
    this.one<OntapSnapshot>(`/storage/volumes/${seg(volume)}/snapshots`, { name, fields: SNAPSHOT_FIELDS }, { kind: `snapshot of volume '${volume}' named`, id: name });

  async createSnapshot(volume: string, name: string): Promise<OntapSnapshot> {
    const res = await this.run(() => this.client.post<{ uuid: string }>(`/storage/volumes/${seg(volume)}/snapshots`, { name }), { kind: 'volume', id: volume });
    const uuid = res.records?.[0]?.uuid;
    return uuid ? this.snapshot(volume, uuid) : this.snapshotNamed(volume, name);
  }
  deleteSnapshot = (volume: string, uuid: string) =>
    this.run(() => this.client.delete(`/storage/volumes/${seg(volume)}/snapshots/${seg(uuid)}`), { kind: `snapshot of volume '${volume}'`, id: uuid });

  /** Entries of a directory of the volume: `/`, or `.snapshot/<name>`. */
  files = (volume: string, path: string) =>
    this.run(() => this.client.all<OntapFile>(`/storage/volumes/${seg(volume)}/files/${seg(path)}`, { fields: 'name,path,type,size' }), { kind: 'volume', id: volume });
  deleteFile = (volume: string, path: string) => this.run(() => this.client.delete(`/storage/volumes/${seg(volume)}/files/${seg(path)}`), { kind: 'file', id: path });

  /** Copies files (LUN files too) between volumes, from a snapshot's directory when the source path says so. */
  copyFiles = (svm: string, copies: { from: { volume: string; path: string }; to: { volume: string; path: string } }[]) =>
    this.run(() =>
      this.client.post('/storage/file/copy', {
        overwrite_destination: true,
        files_to_copy: copies.map((c) => ({
          source_path: { svm: { uuid: svm }, volume: { uuid: c.from.volume }, path: c.from.path },
          destination_path: { svm: { uuid: svm }, volume: { uuid: c.to.volume }, path: c.to.path },
        })),
      }),
    );
}
