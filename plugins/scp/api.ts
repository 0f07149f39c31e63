/**
 * Typed SCP File Storage calls with SCP errors translated to domain errors, and the bounded wait for a 202 operation
 * to settle: the vocabulary the SCP operations are written in.
 */
import { StorageError } from '../../src/domain/errors';
import type { ScpClient } from './client';
import { isNotFound } from './errors';
import { fromScp } from './mapper';
import type {
  ScpAccessRules,
  ScpEndpoint,
  ScpReplicationDetail,
  ScpReplication,
  ScpSnapshot,
  ScpSnapshotList,
  ScpVolumeCreateRequest,
  ScpVolumeCreated,
  ScpVolumeDetail,
  ScpVolumeList,
} from './types';

const seg = encodeURIComponent;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class ScpApi {
  constructor(
    readonly client: ScpClient,
    /** How long an operation may take before the answer gives up on it (the plugin's request budget), ms. */
    readonly budgetMs: number,
  ) {}

  private async run<T>(fn: () => Promise<T>, what?: { kind: string; id: string }): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw fromScp(err, what);
    }
  }

  /**
   * Polls `check` until it answers a value: a 202 operation settled. Past the budget (counted from `since`, when the
   * operation was asked for) the answer is a 504 saying the operation goes on in the service.
   */
  async settle<T>(what: string, since: number, check: () => Promise<T | undefined>): Promise<T> {
    for (let pause = 25; ; pause = Math.min(250, Math.round(pause * 1.5))) {
      const v = await check();
      if (v !== undefined) return v;
      if (Date.now() + pause > Math.min(since + this.budgetMs, this.client.deadline ?? Infinity))
        throw new StorageError(
          'BACKEND_TIMEOUT',
          `${what} has not settled after ${Date.now() - since} ms; the service goes on with it (ask again later)`,
        );
      await sleep(pause);
    }
  }

  volumes = (offset: number, limit: number, typeName?: string) =>
    this.run(() =>
      this.client.get<ScpVolumeList>('/v1/volumes', { offset, limit, sort: 'created_at:asc', type_name: typeName }),
    );
  volume = (id: string) =>
    this.run(() => this.client.get<ScpVolumeDetail>(`/v1/volumes/${seg(id)}`), { kind: 'volume', id });
  /** The volume, or undefined once it is gone. */
  async volumeIfAny(id: string): Promise<ScpVolumeDetail | undefined> {
    try {
      return await this.client.get<ScpVolumeDetail>(`/v1/volumes/${seg(id)}`);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw fromScp(err);
    }
  }
  createVolume = (body: ScpVolumeCreateRequest) =>
    this.run(() => this.client.post<ScpVolumeCreated>('/v1/volumes', body), {
      kind: 'snapshot',
      id: body.snapshot_id ?? '',
    });
  deleteVolume = (id: string) =>
    this.run(() => this.client.delete<unknown>(`/v1/volumes/${seg(id)}`), { kind: 'volume', id });
  accessRules = (id: string) =>
    this.run(() => this.client.get<ScpAccessRules>(`/v1/volumes/${seg(id)}/access-rules`), { kind: 'volume', id });

  snapshots = (volumeId: string) =>
    this.run(() => this.client.get<ScpSnapshotList>('/v1/snapshots', { volume_id: volumeId }), {
      kind: 'volume',
      id: volumeId,
    });
  createSnapshot = (volumeId: string) =>
    this.run(() => this.client.post<{ snapshot: ScpSnapshot }>('/v1/snapshots', { volume_id: volumeId }), {
      kind: 'volume',
      id: volumeId,
    });
  deleteSnapshot = (volumeId: string, id: string) =>
    this.run(() => this.client.delete<unknown>(`/v1/snapshots/${seg(id)}`, { volume_id: volumeId }), {
      kind: 'snapshot',
      id,
    });
  restoreSnapshot = (volumeId: string, id: string) =>
    this.run(() => this.client.put<unknown>(`/v1/snapshots/${seg(id)}/restore`, { volume_id: volumeId }), {
      kind: 'snapshot',
      id,
    });

  replications = async (volumeId: string) =>
    (
      await this.run(
        () => this.client.get<{ replications: ScpReplication[] }>('/v1/replications', { volume_id: volumeId }),
        { kind: 'volume', id: volumeId },
      )
    ).replications;
  replication = (volumeId: string, id: string) =>
    this.run(() => this.client.get<ScpReplicationDetail>(`/v1/replications/${seg(id)}`, { volume_id: volumeId }), {
      kind: 'replication',
      id,
    });
  setReplicationPolicy = (volumeId: string, id: string, policy: 'use' | 'paused') =>
    this.run(
      () =>
        this.client.put<unknown>(
          `/v1/replications/${seg(id)}`,
          { volume_id: volumeId },
          { replication_update_type: 'policy', replication_policy: policy },
        ),
      { kind: 'replication', id },
    );
  replicationRegions = async (typeName: string, sourceRegion: string) =>
    (
      await this.run(() =>
        this.client.get<{ regions: string[] }>('/v1/replications/regions', {
          type_name: typeName,
          source_region_name: sourceRegion,
          replication_type: 'replication',
        }),
      )
    ).regions;

  /** The account's endpoint catalog where this endpoint serves it (the simulator does), else undefined. */
  async endpoints(): Promise<ScpEndpoint[] | undefined> {
    try {
      return (await this.client.get<{ endpoints: ScpEndpoint[] }>('/iam/v1/endpoints')).endpoints;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw fromScp(err);
    }
  }
}
