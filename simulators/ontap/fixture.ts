/**
 * Test fixture hook for ONTAP: volumes, LUNs and consistency groups made through the REST API; content through the
 * simulator's data plane.
 */
import type { ArrayFixture } from '../kit';
import { adminApi, peerLocally, protectVolume } from './pairing';
import { DR_SVM_NAME, SVM_UUID } from './demo';

/** ONTAP's smallest FlexVol volume. */
const MIN_VOLUME = 20 * 1024 * 1024;
/** Room a LUN's volume keeps beyond the LUN for the blocks its snapshots pin. */
const LUN_HEADROOM = 1.25;
/** The NAS file the data plane reads and writes as "the volume's content". */
export const DATA_FILE = 'data';

export function ontapFixture(
  url: string,
  username = 'admin',
  password = 'simulator',
  serverId = SVM_UUID,
): ArrayFixture {
  const admin = adminApi(url, username, password);
  const json = <T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> =>
    admin.call(method, path, body) as Promise<T>;
  const call = admin.raw;
  const mutate = '?return_timeout=10&return_records=true';

  /** The file a volume's content lives in: its LUN's file when it holds one, else the NAS file `data`. */
  const lunOf = async (volumeId: string): Promise<{ uuid: string; file: string } | undefined> => {
    const luns = await json<{ records: { uuid: string; location: { logical_unit: string } }[] }>(
      'GET',
      `/api/storage/luns?location.volume.uuid=${encodeURIComponent(volumeId)}&fields=uuid,location`,
    );
    const lun = luns.records[0];
    return lun && { uuid: lun.uuid, file: lun.location.logical_unit };
  };

  return {
    serverId,
    async createVolume({ name, type, sizeBytes }) {
      const size = Math.max(
        MIN_VOLUME,
        type === 'lun' ? Math.ceil((sizeBytes * LUN_HEADROOM) / 4096) * 4096 : sizeBytes,
      );
      const body = {
        name,
        svm: { uuid: serverId },
        size,
        guarantee: { type: 'none' },
        space: { snapshot: { reserve_percent: type === 'lun' ? 0 : 5 } },
      };
      const made = await json<{ records: { uuid: string }[] }>('POST', `/api/storage/volumes${mutate}`, body);
      const id = made.records[0].uuid;
      if (type === 'lun') {
        await json('POST', `/api/storage/luns${mutate}`, {
          svm: { uuid: serverId },
          location: { volume: { uuid: id }, logical_unit: name },
          os_type: 'linux',
          space: { size: sizeBytes },
        });
      }
      return { id };
    },
    async deleteVolume(id) {
      const lun = await lunOf(id);
      if (lun) await call('DELETE', `/api/storage/luns/${lun.uuid}?allow_delete_while_mapped=true`);
      await json('DELETE', `/api/storage/volumes/${encodeURIComponent(id)}?return_timeout=10`);
    },
    async write(volumeId, data, offset = 0) {
      const lun = await lunOf(volumeId);
      const path = lun
        ? `/sim/luns/${lun.uuid}/data`
        : `/sim/volumes/${encodeURIComponent(volumeId)}/files/${DATA_FILE}`;
      await call('PUT', `${path}?offset=${offset}`, data, 'application/octet-stream');
    },
    async read(volumeId) {
      const lun = await lunOf(volumeId);
      return (
        await call(
          'GET',
          lun ? `/sim/luns/${lun.uuid}/data` : `/sim/volumes/${encodeURIComponent(volumeId)}/files/${DATA_FILE}`,
        )
      ).buf;
    },
    async readSnapshot(volumeId, snapshotId) {
      const file = (await lunOf(volumeId))?.file ?? DATA_FILE;
      return (
        await call(
          'GET',
          `/sim/volumes/${encodeURIComponent(volumeId)}/snapshots/${encodeURIComponent(snapshotId)}/files/${encodeURIComponent(file)}`,
        )
      ).buf;
    },
    async createConsistencyGroup(name, volumeIds) {
      const body = {
        svm: { uuid: serverId },
        name,
        volumes: volumeIds.map((uuid) => ({ uuid, provisioning_options: { action: 'add' } })),
      };
      const made = await json<{ records: { uuid: string }[] }>(
        'POST',
        `/api/application/consistency-groups${mutate}`,
        body,
      );
      return { id: made.records[0].uuid };
    },
    async protect(volumeId, partnerUrl) {
      if (partnerUrl !== url) return { replicaVolumeId: await protectVolume(url, volumeId, partnerUrl) };
      // The array's own URL: intra-cluster SnapMirror to the DR SVM (the replica is a volume of server DR_SVM_UUID).
      await peerLocally(url);
      return { replicaVolumeId: await protectVolume(url, volumeId, url, DR_SVM_NAME) };
    },
    close: () => admin.close(),
  };
}
