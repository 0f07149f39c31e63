/** Typed ONTAP calls for replication: cluster and SVM peers, SnapMirror relationships (either side) and their transfers. */
import { type OntapApi, seg } from './api';
import type { OntapClusterPeer, OntapRelationship, OntapSvmPeer, OntapTransfer } from './types';

const PEER_FIELDS = 'uuid,name,remote,authentication';
const RELATIONSHIP_FIELDS = 'uuid,source,destination,state,healthy,transfer';
const TRANSFER_FIELDS = 'uuid,state,snapshot,bytes_transferred,total_bytes,total_duration,end_time,last_updated_time,error_info';

export class SnapMirrorApi {
  constructor(readonly api: OntapApi) {}

  private get client() {
    return this.api.client;
  }

  clusterPeers = () => this.api.run(() => this.client.all<OntapClusterPeer>('/cluster/peers', { fields: PEER_FIELDS }));
  /** SVM peers of a local SVM with SVMs of the named cluster (this cluster's own name: its local SVM peers). */
  svmPeers = (svm: string, cluster: string) =>
    this.api.run(() => this.client.all<OntapSvmPeer>('/svm/peers', { 'svm.uuid': svm, 'peer.cluster.name': cluster, fields: 'uuid,name,svm,peer,state,applications' }));

  /** Relationships whose source is on this cluster (`svm:volume` paths), as the source cluster lists them. */
  outgoing = (paths: string[]) =>
    paths.length === 0
      ? Promise.resolve([])
      : this.api.run(() => this.client.all<OntapRelationship>('/snapmirror/relationships', { list_destinations_only: true, 'source.path': paths.join('|'), fields: RELATIONSHIP_FIELDS }));
  /** Relationships this (destination) cluster holds toward one of its volumes. */
  incoming = (path: string) => this.api.run(() => this.client.all<OntapRelationship>('/snapmirror/relationships', { 'destination.path': path, fields: RELATIONSHIP_FIELDS }));
  relationship = (uuid: string) => this.api.run(() => this.client.get<OntapRelationship>(`/snapmirror/relationships/${seg(uuid)}`, { fields: RELATIONSHIP_FIELDS }), { kind: 'SnapMirror relationship', id: uuid });

  async createRelationship(body: Record<string, unknown>): Promise<string> {
    const res = await this.api.run(() => this.client.post<{ uuid: string }>('/snapmirror/relationships', body));
    const uuid = res.records?.[0]?.uuid ?? (await this.incoming(String((body.destination as { path: string }).path)))[0]?.uuid;
    if (!uuid) throw new Error('the array did not report the relationship it made');
    return uuid;
  }
  patchRelationship = (uuid: string, body: Record<string, unknown>) => this.api.run(() => this.client.patch(`/snapmirror/relationships/${seg(uuid)}`, body), { kind: 'SnapMirror relationship', id: uuid });

  /** Transfers of a relationship that carried (or carry) the named snapshot, oldest first. */
  transfersOf = (relationship: string, snapshot: string) =>
    this.api.run(() => this.client.all<OntapTransfer>(`/snapmirror/relationships/${seg(relationship)}/transfers`, { snapshot, fields: TRANSFER_FIELDS }), { kind: 'SnapMirror relationship', id: relationship });
  async startTransfer(relationship: string, sourceSnapshot: string): Promise<string | undefined> {
    const res = await this.api.run(() => this.client.post<{ uuid: string }>(`/snapmirror/relationships/${seg(relationship)}/transfers`, { source_snapshot: sourceSnapshot }), { kind: 'SnapMirror relationship', id: relationship });
    return res.records?.[0]?.uuid;
  }
}
