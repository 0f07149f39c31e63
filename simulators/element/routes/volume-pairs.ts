// Volume pairing: StartVolumePairing, CompleteVolumePairing, ListActivePairedVolumes, ModifyVolumePair,
// RemoveVolumePair, and the receiving side of transfers.
import { randomUUID } from 'node:crypto';
import { BLOCK_SIZE } from '../../shared/blocks';
import { RpcError, X_VOLUME_ALREADY_PAIRED, X_VOLUME_PAIR_DOES_NOT_EXIST, invalid } from '../errors';
import type { ReplicationMode, SnapshotRecord, VolumePairRecord, VolumeRecord } from '../state/model';
import { int, oneOf, oneOfAnyCase, optAttributes, optBool, str } from '../params';
import { decodeVolumeKey, encodeKey } from '../state/replication-keys';
import { ensureSpace } from '../state/space';
import type { ElementState } from '../state/state';
import { volumeView } from '../views';
import { callerPair } from './pairing';
import { assertSnapshotRoom } from './snapshots';
import type { MethodContext, MethodTable } from './types';

const PARTNER_EVENTS = ['deleted', 'restored', 'purged', 'removed'] as const;

export const MODES: readonly ReplicationMode[] = ['Async', 'Sync', 'SnapshotsOnly'];

function pairOf(state: ElementState, volume: VolumeRecord): VolumePairRecord {
  const pair = state.pairOfVolume(volume.volumeID);
  if (!pair) throw new RpcError(X_VOLUME_PAIR_DOES_NOT_EXIST, `Volume ${volume.volumeID} is not paired`);
  return pair;
}

/** The volume pair a paired cluster names, checked to run over that cluster's pair. */
function peerPair(ctx: MethodContext, uuid: string): VolumePairRecord {
  const cp = callerPair(ctx);
  const pair = ctx.state.volumePairs.get(uuid);
  if (!pair || pair.clusterPairID !== cp.clusterPairID)
    throw new RpcError(X_VOLUME_PAIR_DOES_NOT_EXIST, `Volume pair ${uuid} does not exist on this cluster`);
  return pair;
}

/**
 * Writes bytes into a replica's content as the target's own cluster would: copy-on-write, checked against free space.
 */
function writeInto(state: ElementState, map: VolumeRecord['content'], offset: number, data: Buffer): void {
  const change = state.store.prepareWrite(map, offset, data);
  ensureSpace(state, change.netBytes);
  change.commit();
}

function staged(ctx: MethodContext, transferID: string) {
  const s = ctx.replication.staging.get(transferID);
  if (!s) throw invalid(`Transfer ${transferID} is not open on this cluster`);
  peerPair(ctx, s.volumePairUUID);
  return s;
}

export const volumePairMethods: MethodTable = {
  StartVolumePairing: {
    since: 9.6,
    run: ({ state, replication }, p) => {
      const volume = state.volume(int(p, 'volumeID'));
      const mode = oneOfAnyCase(p, 'mode', MODES) ?? 'Async';
      if (volume.access === 'replicationTarget')
        throw invalid(
          `Volume ${volume.volumeID} has access replicationTarget: start the pairing on the source volume, complete it on the target`,
        );
      const existing = state.pairOfVolume(volume.volumeID);
      if (existing && existing.clusterPairID !== 0)
        throw new RpcError(
          X_VOLUME_ALREADY_PAIRED,
          `Volume ${volume.volumeID} is already paired (volume pair ${existing.volumePairUUID})`,
        );
      if (![...state.clusterPairs.values()].some((cp) => cp.remote))
        throw invalid(
          'This cluster is not paired with another cluster: StartClusterPairing here, CompleteClusterPairing there, first',
        );
      // A new key replaces a pairing started earlier and never completed.
      if (existing) state.volumePairs.delete(existing.volumePairUUID);
      const pair: VolumePairRecord = {
        volumePairUUID: randomUUID(),
        volumeID: volume.volumeID,
        role: 'source',
        mode,
        clusterPairID: 0,
        remoteVolumeID: 0,
        remoteVolumeName: '',
        pausedManual: false,
        stateDetails: '',
        createTime: state.now(),
      };
      state.volumePairs.set(pair.volumePairUUID, pair);
      state.changed();
      return {
        volumePairingKey: encodeKey({
          mvip: replication.endpoint,
          volumeID: volume.volumeID,
          volumeName: volume.name,
          volumePairUUID: pair.volumePairUUID,
        }),
      };
    },
  },
  CompleteVolumePairing: {
    since: 9.6,
    run: async ({ state, replication }, p) => {
      const volume = state.volume(int(p, 'volumeID'));
      const key = decodeVolumeKey(str(p, 'volumePairingKey'));
      if (volume.access !== 'replicationTarget') {
        throw invalid(
          `Volume ${volume.volumeID} has access ${volume.access}: set it to replicationTarget (ModifyVolume) before CompleteVolumePairing; only the target volume completes a pairing`,
        );
      }
      if (state.pairOfVolume(volume.volumeID))
        throw new RpcError(X_VOLUME_ALREADY_PAIRED, `Volume ${volume.volumeID} is already paired`);
      const cp = [...state.clusterPairs.values()].find((c) => c.remote?.mvip === key.mvip);
      if (!cp)
        throw invalid(
          `This cluster is not paired with the cluster at ${key.mvip} that made the key: pair the clusters first`,
        );
      // Recorded first so that the source's first writes find the pair; taken back if the source refuses.
      const pair: VolumePairRecord = {
        volumePairUUID: key.volumePairUUID,
        volumeID: volume.volumeID,
        role: 'target',
        mode: 'Async',
        clusterPairID: cp.clusterPairID,
        remoteVolumeID: key.volumeID,
        remoteVolumeName: key.volumeName,
        pausedManual: false,
        stateDetails: '',
        createTime: state.now(),
      };
      state.volumePairs.set(pair.volumePairUUID, pair);
      try {
        const answer = await replication.callPeer<{ mode: ReplicationMode }>(cp, 'PeerCompleteVolumePairing', {
          volumePairUUID: key.volumePairUUID,
          volumeID: key.volumeID,
          targetVolumeID: volume.volumeID,
          targetVolumeName: volume.name,
        });
        pair.mode = answer.mode;
      } catch (err) {
        state.volumePairs.delete(pair.volumePairUUID);
        throw err;
      }
      state.changed();
      return {};
    },
  },
  ListActivePairedVolumes: {
    since: 9.6,
    run: ({ state }) => {
      const ids = [...new Set([...state.volumePairs.values()].map((v) => v.volumeID))].sort((a, b) => a - b);
      return {
        volumes: ids
          .map((id) => state.volumes.get(id))
          .filter((v): v is VolumeRecord => v !== undefined)
          .map((v) => volumeView(state, v)),
      };
    },
  },
  ModifyVolumePair: {
    since: 9.6,
    run: async ({ state, replication }, p) => {
      const pair = pairOf(state, state.volume(int(p, 'volumeID')));
      if (pair.role !== 'source')
        throw invalid(
          `Volume ${pair.volumeID} is the replication target of its pair: ModifyVolumePair is set on the source (read/write) volume`,
        );
      const pausedManual = optBool(p, 'pausedManual');
      const mode = oneOfAnyCase(p, 'mode', MODES);
      replication.modify(pair, { pausedManual, mode });
      state.changed();
      const cp = state.clusterPairs.get(pair.clusterPairID);
      if (cp)
        await replication
          .callPeer(cp, 'PeerModifyVolumePair', {
            volumePairUUID: pair.volumePairUUID,
            pausedManual: pair.pausedManual,
            mode: pair.mode,
          })
          .catch(() => undefined);
      return {};
    },
  },
  RemoveVolumePair: {
    since: 9.6,
    run: async ({ state, replication }, p) => {
      const pair = pairOf(state, state.anyVolume(int(p, 'volumeID')));
      replication.removePair(pair, 'the volume pair was removed');
      state.changed();
      // Only this side goes ("use this method on both the source and target volumes"): the other side's pair
      // shows StoppedMisconfigured until RemoveVolumePair there removes it.
      if (!pair.partner) await replication.tellPartner(pair, 'removed');
      return {};
    },
  },

  PeerCompleteVolumePairing: {
    internal: true,
    run: (ctx, p) => {
      const cp = callerPair(ctx);
      const pair = ctx.state.volumePairs.get(str(p, 'volumePairUUID'));
      if (!pair || pair.role !== 'source' || pair.volumeID !== int(p, 'volumeID'))
        throw invalid(
          'The volume pairing key does not match a pairing started on this cluster (was StartVolumePairing called again?)',
        );
      if (pair.clusterPairID !== 0)
        throw new RpcError(X_VOLUME_ALREADY_PAIRED, 'The volume pairing key was used already');
      const source = ctx.state.volume(pair.volumeID);
      if (source.access === 'replicationTarget')
        throw invalid(`Volume ${source.volumeID} is a replication target too: only one volume of a pair is the target`);
      Object.assign(pair, {
        clusterPairID: cp.clusterPairID,
        remoteVolumeID: int(p, 'targetVolumeID'),
        remoteVolumeName: str(p, 'targetVolumeName'),
      });
      if (pair.mode !== 'SnapshotsOnly') ctx.replication.writes.fullSync(pair);
      ctx.state.changed();
      return { mode: pair.mode };
    },
  },
  PeerModifyVolumePair: {
    internal: true,
    run: (ctx, p) => {
      const pair = peerPair(ctx, str(p, 'volumePairUUID'));
      pair.pausedManual = optBool(p, 'pausedManual') ?? pair.pausedManual;
      pair.mode = oneOfAnyCase(p, 'mode', MODES) ?? pair.mode;
      ctx.state.changed();
      return {};
    },
  },
  /** The partner's side of a pair changed: its volume was deleted, restored or purged, or its half removed. */
  PeerPartnerChanged: {
    internal: true,
    run: (ctx, p) => {
      const pair = peerPair(ctx, str(p, 'volumePairUUID'));
      const event = oneOf(p, 'event', PARTNER_EVENTS) ?? (str(p, 'event') as never);
      ctx.replication.partnerChanged(pair, event);
      ctx.state.changed();
      return {};
    },
  },
  /** A write of the source (Async and Sync modes) onto the target volume, whose hosts cannot write it. */
  PeerWriteVolume: {
    internal: true,
    run: (ctx, p) => {
      const pair = peerPair(ctx, str(p, 'volumePairUUID'));
      const volume = ctx.state.volume(pair.volumeID);
      const data = Buffer.from(str(p, 'data'), 'base64');
      const offset = int(p, 'offset');
      if (offset + data.length > volume.totalSize)
        throw invalid(`A write of ${data.length} bytes at ${offset} goes past the end of volume ${volume.volumeID}`);
      writeInto(ctx.state, volume.content, offset, data);
      ctx.state.changed();
      return {};
    },
  },
  /** Opens a replica snapshot: a copy of the base replica (incremental) or empty (full). */
  PeerBeginSnapshot: {
    internal: true,
    run: (ctx, p) => {
      const { state } = ctx;
      const pair = peerPair(ctx, str(p, 'volumePairUUID'));
      const volume = state.volume(pair.volumeID);
      assertSnapshotRoom(state, volume);
      const baseID = p.baseSnapshotID === null || p.baseSnapshotID === undefined ? null : int(p, 'baseSnapshotID');
      const base = baseID === null ? undefined : state.snapshot(baseID);
      if (base && base.volumeID !== volume.volumeID)
        throw invalid(`Snapshot ${baseID} is not a snapshot of volume ${volume.volumeID}`);
      ctx.replication.staging.set(str(p, 'transferID'), {
        volumePairUUID: pair.volumePairUUID,
        volumeID: volume.volumeID,
        map: base ? state.store.share(base.content) : state.store.newMap(),
        name: str(p, 'name'),
        length: int(p, 'length'),
        totalSize: int(p, 'totalSize'),
        attributes: optAttributes(p) ?? {},
      });
      return {};
    },
  },
  PeerSnapshotBlocks: {
    internal: true,
    run: (ctx, p) => {
      const s = staged(ctx, str(p, 'transferID'));
      const blocks = p.blocks;
      if (!Array.isArray(blocks)) throw invalid("Parameter 'blocks' must be an array of [index, base64]");
      for (const b of blocks as unknown[]) {
        if (!Array.isArray(b) || typeof b[0] !== 'number' || typeof b[1] !== 'string')
          throw invalid("Parameter 'blocks' must be an array of [index, base64]");
        writeInto(ctx.state, s.map, b[0] * BLOCK_SIZE, Buffer.from(b[1], 'base64'));
      }
      return {};
    },
  },
  /** The replica snapshot appears on the target volume under the source snapshot's name. */
  PeerCommitSnapshot: {
    internal: true,
    run: (ctx, p) => {
      const { state } = ctx;
      const transferID = str(p, 'transferID');
      const s = staged(ctx, transferID);
      const volume = state.volume(s.volumeID);
      assertSnapshotRoom(state, volume);
      ctx.replication.staging.delete(transferID);
      s.map.length = s.length;
      const snapshot: SnapshotRecord = {
        snapshotID: state.nextId('snapshot'),
        volumeID: volume.volumeID,
        name: s.name,
        snapshotUUID: randomUUID(),
        groupID: 0,
        attributes: s.attributes,
        expirationTime: null,
        createTime: state.now(),
        totalSize: s.totalSize,
        content: s.map,
      };
      state.snapshots.set(snapshot.snapshotID, snapshot);
      state.changed();
      return { snapshotID: snapshot.snapshotID };
    },
  },
  PeerAbortSnapshot: {
    internal: true,
    run: (ctx, p) => {
      const transferID = str(p, 'transferID');
      const s = ctx.replication.staging.get(transferID);
      if (s) {
        ctx.state.store.release(s.map);
        ctx.replication.staging.delete(transferID);
      }
      return {};
    },
  },
};
