// Volume snapshots: CreateSnapshot (copy-on-write, pins the blocks it shares), ListSnapshots, ModifySnapshot,
// DeleteSnapshot, RollbackToSnapshot.
import { randomUUID } from 'node:crypto';
import { exceeded, invalid } from '../errors';
import { iso } from '../state/ids';
import { assertIdle } from '../state/jobs';
import { removeSnapshot } from '../state/lifecycle';
import type { SnapshotRecord, VolumeRecord } from '../state/model';
import { type Params, bool, int, optAttributes, optBool, optInt, optStr } from '../params';
import type { ElementState } from '../state/state';
import { snapshotView } from '../views';
import type { MethodTable } from './types';

/** Element keeps at most 32 snapshots per volume. */
export const MAX_SNAPSHOTS_PER_VOLUME = 32;

/** `expirationTime` (ISO 8601) or `retention` (HH:mm:ss from now); neither means the snapshot never expires. */
export function expirationFrom(state: ElementState, p: Params): number | null {
  const at = optStr(p, 'expirationTime');
  if (at !== undefined) {
    const ms = Date.parse(at);
    if (Number.isNaN(ms)) throw invalid(`Parameter 'expirationTime' is not an ISO 8601 time: ${at}`);
    return ms;
  }
  const retention = optStr(p, 'retention');
  if (retention === undefined) return null;
  const m = /^(\d+):([0-5]\d):([0-5]\d)$/.exec(retention);
  if (!m) throw invalid(`Parameter 'retention' must be HH:mm:ss, got ${retention}`);
  return state.now() + ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1000;
}

export function assertSnapshotRoom(state: ElementState, volume: VolumeRecord): void {
  if (state.snapshotsOf(volume.volumeID).length >= MAX_SNAPSHOTS_PER_VOLUME) {
    throw exceeded(`Volume ${volume.volumeID} already has the maximum of ${MAX_SNAPSHOTS_PER_VOLUME} snapshots`);
  }
}

/** A new snapshot sharing every block of the volume's live content. */
export function takeSnapshot(
  state: ElementState,
  volume: VolumeRecord,
  name: string,
  groupID: number,
  attributes: Record<string, unknown>,
  expirationTime: number | null,
): SnapshotRecord {
  assertSnapshotRoom(state, volume);
  const snapshot: SnapshotRecord = {
    snapshotID: state.nextId('snapshot'),
    volumeID: volume.volumeID,
    name,
    snapshotUUID: randomUUID(),
    groupID,
    attributes,
    expirationTime,
    createTime: state.now(),
    totalSize: volume.totalSize,
    content: state.store.share(volume.content),
  };
  state.snapshots.set(snapshot.snapshotID, snapshot);
  return snapshot;
}

/** The volume's live content becomes the snapshot's again (blocks shared, no copy); other snapshots stay. */
export function rollback(state: ElementState, volume: VolumeRecord, snapshot: SnapshotRecord): void {
  // A copy still writing into the volume would be overwritten (and would overwrite the rollback).
  if (state.runningJobs().some((j) => j.method === 'CopyVolume' && j.volumeID === volume.volumeID)) {
    assertIdle(state, { volumeID: volume.volumeID }, `roll back volume ${volume.volumeID}`);
  }
  state.store.release(volume.content);
  volume.content = state.store.share(snapshot.content);
}

export const snapshotMethods: MethodTable = {
  CreateSnapshot: {
    run: ({ state, replication }, p) => {
      const volume = state.volume(int(p, 'volumeID'));
      const name = optStr(p, 'name') ?? iso(state.now());
      if (name.length > 255) throw invalid('Parameter name must be at most 255 characters');
      const replicate = optBool(p, 'enableRemoteReplication') ?? false;
      const snapshot = takeSnapshot(state, volume, name, 0, optAttributes(p) ?? {}, expirationFrom(state, p));
      // Sent to the volume's paired volume, if it is the source of a pair.
      if (replicate) replication.snapshotTaken(snapshot);
      state.changed();
      const view = snapshotView(state, snapshot);
      return { snapshotID: snapshot.snapshotID, checksum: view.checksum, snapshot: view };
    },
  },
  ListSnapshots: {
    run: ({ state }, p) => {
      const volumeID = optInt(p, 'volumeID');
      const snapshotID = optInt(p, 'snapshotID');
      // A volume that does not exist is an error; a deleted one still lists its snapshots until purged.
      if (volumeID !== undefined) state.anyVolume(volumeID);
      const all = [...state.snapshots.values()]
        .filter(
          (s) =>
            (volumeID === undefined || s.volumeID === volumeID) &&
            (snapshotID === undefined || s.snapshotID === snapshotID),
        )
        .sort((a, b) => a.snapshotID - b.snapshotID);
      return { snapshots: all.map((s) => snapshotView(state, s)) };
    },
  },
  ModifySnapshot: {
    run: ({ state, replication }, p) => {
      const snapshot = state.snapshot(int(p, 'snapshotID'));
      // Turning remote replication on for an existing snapshot sends it, as on Element.
      if (optBool(p, 'enableRemoteReplication') === true && !snapshot.enableRemoteReplication)
        replication.snapshotTaken(snapshot);
      if (p.expirationTime !== undefined || p.retention !== undefined)
        snapshot.expirationTime = expirationFrom(state, p);
      snapshot.name = optStr(p, 'name') ?? snapshot.name;
      snapshot.attributes = optAttributes(p) ?? snapshot.attributes;
      state.changed();
      return { snapshot: snapshotView(state, snapshot) };
    },
  },
  DeleteSnapshot: {
    run: ({ state }, p) => {
      const snapshot = state.snapshot(int(p, 'snapshotID'));
      assertIdle(state, { snapshotID: snapshot.snapshotID }, `delete snapshot ${snapshot.snapshotID}`);
      removeSnapshot(state, snapshot);
      state.changed();
      return {};
    },
  },
  RollbackToSnapshot: {
    run: ({ state }, p) => {
      const volume = state.volume(int(p, 'volumeID'));
      const snapshot = state.snapshot(int(p, 'snapshotID'));
      const save = bool(p, 'saveCurrentState');
      if (snapshot.volumeID !== volume.volumeID)
        throw invalid(`Snapshot ${snapshot.snapshotID} is not a snapshot of volume ${volume.volumeID}`);
      const saved = save
        ? takeSnapshot(state, volume, optStr(p, 'name') ?? iso(state.now()), 0, optAttributes(p) ?? {}, null)
        : undefined;
      rollback(state, volume, snapshot);
      state.changed();
      const view = saved ? snapshotView(state, saved) : undefined;
      return {
        snapshotID: saved?.snapshotID ?? 0,
        checksum: view?.checksum ?? '0x0',
        ...(view ? { snapshot: view } : {}),
      };
    },
  },
};
