/** Typed ONTAP SAN and network calls: LUNs, igroups, LUN maps, IP and FC interfaces, consistency groups. */
import type { Page } from '../../src/domain/types';
import { type OntapApi, seg } from './api';
import type { OntapCgSnapshot, OntapConsistencyGroup, OntapFcInterface, OntapIgroup, OntapIpInterface, OntapLun, OntapLunMap } from './types';

export const LUN_FIELDS = 'uuid,name,svm,location,os_type,serial_number,enabled,space.size,status.state';
export const IGROUP_FIELDS = 'uuid,name,svm,protocol,os_type,initiators,igroups,parent_igroups,lun_maps';
const IP_FIELDS = 'uuid,name,ip.address,svm,services';
const FC_FIELDS = 'uuid,name,wwpn,svm';
export const CG_FIELDS = 'uuid,name,svm,create_time,volumes';
export const CG_SNAPSHOT_FIELDS = 'uuid,name,create_time,snapshot_volumes';

export class SanApi {
  constructor(private readonly api: OntapApi) {}

  private get client() {
    return this.api.client;
  }

  lunsPage = (svm: string, page: Page) => this.api.run(() => this.client.page<OntapLun>('/storage/luns', { 'svm.uuid': svm, fields: LUN_FIELDS }, page));
  lun = (svm: string, uuid: string) => this.api.one<OntapLun>('/storage/luns', { 'svm.uuid': svm, uuid, fields: LUN_FIELDS }, { kind: 'LUN', id: uuid });
  /** LUNs of these volumes, in one call. */
  lunsOf = (volumes: string[]) =>
    volumes.length === 0 ? Promise.resolve([]) : this.api.run(() => this.client.all<OntapLun>('/storage/luns', { 'location.volume.uuid': volumes.join('|'), fields: LUN_FIELDS }));
  lunsById = (uuids: string[]) => (uuids.length === 0 ? Promise.resolve([]) : this.api.run(() => this.client.all<OntapLun>('/storage/luns', { uuid: uuids.join('|'), fields: LUN_FIELDS })));
  patchLun = (uuid: string, body: Record<string, unknown>) => this.api.run(() => this.client.patch(`/storage/luns/${seg(uuid)}`, body), { kind: 'LUN', id: uuid });

  igroupsPage = (svm: string, page: Page, query: Record<string, string> = {}) =>
    this.api.run(() => this.client.page<OntapIgroup>('/protocols/san/igroups', { 'svm.uuid': svm, fields: IGROUP_FIELDS, ...query }, page));
  igroup = (svm: string, uuid: string, kind = 'host') =>
    this.api.one<OntapIgroup>('/protocols/san/igroups', { 'svm.uuid': svm, uuid, fields: IGROUP_FIELDS }, { kind, id: uuid });

  async createIgroup(body: Record<string, unknown>): Promise<string> {
    const res = await this.api.run(() => this.client.post<{ uuid: string }>('/protocols/san/igroups', body));
    const uuid = res.records?.[0]?.uuid;
    if (uuid) return uuid;
    const svm = (body.svm as { uuid: string }).uuid;
    return (await this.api.one<OntapIgroup>('/protocols/san/igroups', { 'svm.uuid': svm, name: String(body.name), fields: 'uuid' }, { kind: 'host named', id: String(body.name) })).uuid;
  }

  lunMapsOf = (igroups: string[]) =>
    igroups.length === 0
      ? Promise.resolve([])
      : this.api.run(() => this.client.all<OntapLunMap>('/protocols/san/lun-maps', { 'igroup.uuid': igroups.join('|'), fields: 'svm,lun,igroup,logical_unit_number' }));
  async createLunMap(lun: string, igroup: string, number?: number): Promise<void> {
    await this.api.run(() => this.client.post('/protocols/san/lun-maps', { lun: { uuid: lun }, igroup: { uuid: igroup }, ...(number === undefined ? {} : { logical_unit_number: number }) }));
  }
  deleteLunMap = (lun: string, igroup: string) =>
    this.api.run(() => this.client.delete(`/protocols/san/lun-maps/${seg(lun)}/${seg(igroup)}`), { kind: `mapping of LUN '${lun}' to host`, id: igroup });

  ipInterfaceCount = (svm: string) => this.api.run(() => this.client.count('/network/ip/interfaces', { 'svm.uuid': svm }));
  ipInterfacesPage = (svm: string, page: Page) => this.api.run(() => this.client.page<OntapIpInterface>('/network/ip/interfaces', { 'svm.uuid': svm, fields: IP_FIELDS }, page));
  fcInterfacesPage = (svm: string, page: Page) => this.api.run(() => this.client.page<OntapFcInterface>('/network/fc/interfaces', { 'svm.uuid': svm, fields: FC_FIELDS }, page));
  ipInterface = async (svm: string, uuid: string) =>
    (await this.api.run(() => this.client.list<OntapIpInterface>('/network/ip/interfaces', { 'svm.uuid': svm, uuid, fields: IP_FIELDS }))).records?.[0];
  fcInterface = async (svm: string, uuid: string) =>
    (await this.api.run(() => this.client.list<OntapFcInterface>('/network/fc/interfaces', { 'svm.uuid': svm, uuid, fields: FC_FIELDS }))).records?.[0];

  cgsPage = (svm: string, page: Page) => this.api.run(() => this.client.page<OntapConsistencyGroup>('/application/consistency-groups', { 'svm.uuid': svm, fields: CG_FIELDS }, page));
  cg = (svm: string, uuid: string) =>
    this.api.one<OntapConsistencyGroup>('/application/consistency-groups', { 'svm.uuid': svm, uuid, fields: CG_FIELDS }, { kind: 'consistency group', id: uuid });
  cgOfVolume = async (svm: string, volume: string): Promise<OntapConsistencyGroup | undefined> =>
    (await this.api.run(() => this.client.list<OntapConsistencyGroup>('/application/consistency-groups', { 'svm.uuid': svm, 'volumes.uuid': volume, fields: CG_FIELDS }))).records?.[0];
  patchCg = (uuid: string, body: Record<string, unknown>) =>
    this.api.run(() => this.client.patch(`/application/consistency-groups/${seg(uuid)}`, body), { kind: 'consistency group', id: uuid });

  cgSnapshotsPage = (cg: string, page: Page) =>
    this.api.run(() => this.client.page<OntapCgSnapshot>(`/application/consistency-groups/${seg(cg)}/snapshots`, { fields: CG_SNAPSHOT_FIELDS }, page), { kind: 'consistency group', id: cg });
  cgSnapshotsAll = (cg: string, query: Record<string, string> = {}) =>
    this.api.run(() => this.client.all<OntapCgSnapshot>(`/application/consistency-groups/${seg(cg)}/snapshots`, { fields: CG_SNAPSHOT_FIELDS, ...query }), { kind: 'consistency group', id: cg });
  async createCgSnapshot(cg: string, name: string): Promise<string> {
    const res = await this.api.run(() => this.client.post<{ uuid: string }>(`/application/consistency-groups/${seg(cg)}/snapshots`, { name }), { kind: 'consistency group', id: cg });
    return res.records?.[0]?.uuid ?? (await this.cgSnapshotsAll(cg, { name }))[0]?.uuid ?? '';
  }
  deleteCgSnapshot = (cg: string, uuid: string) =>
    this.api.run(() => this.client.delete(`/application/consistency-groups/${seg(cg)}/snapshots/${seg(uuid)}`), { kind: 'consistency group snapshot', id: uuid });
}
