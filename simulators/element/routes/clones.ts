// CloneVolume and CopyVolume (asynchronous full copies), GetAsyncResult and ListAsyncResults that report them.
import { RpcError, X_ASYNC_HANDLE_DOES_NOT_EXIST, invalid } from '../errors';
import { asyncListView, asyncResultView, startJob } from '../state/jobs';
import type { SnapshotRecord, VolumeRecord } from '../state/model';
import { int, oneOf, optAttributes, optBool, optInt, optStrList, str } from '../params';
import { ensureProvisionable } from '../state/space';
import type { ElementState } from '../state/state';
import { QOS_CURVE, volumeView } from '../views';
import type { MethodTable } from './types';
import { checkSize, checkVolumeName, newVolume } from './volumes';

const RESULT_TYPES = ['DriveAdd', 'BulkVolume', 'Clone', 'DriveRemoval', 'RtfiPendingNode'];

/** The snapshot named by `snapshotID`, which must be of the source volume. */
function sourceSnapshot(
  state: ElementState,
  source: VolumeRecord,
  snapshotID: number | undefined,
): SnapshotRecord | undefined {
  if (snapshotID === undefined) return undefined;
  const snap = state.snapshot(snapshotID);
  if (snap.volumeID !== source.volumeID)
    throw invalid(`Snapshot ${snapshotID} is not a snapshot of volume ${source.volumeID}`);
  return snap;
}

export const cloneMethods: MethodTable = {
  CloneVolume: {
    run: ({ state }, p) => {
      const source = state.volume(int(p, 'volumeID'));
      const name = checkVolumeName(str(p, 'name'));
      const snap = sourceSnapshot(state, source, optInt(p, 'snapshotID'));
      const accountID = optInt(p, 'newAccountID');
      const account = accountID === undefined ? state.account(source.accountID) : state.account(accountID);
      const from = snap ?? source;
      const newSize = optInt(p, 'newSize');
      const totalSize = newSize === undefined ? from.totalSize : checkSize(newSize, 'newSize');
      if (totalSize < from.totalSize)
        throw invalid(`Parameter 'newSize' (${totalSize}) is smaller than the source (${from.totalSize} bytes)`);
      ensureProvisionable(state, totalSize);
      // Blocks are shared at once (the clone reads the source's data); the copy itself runs in the background.
      const content = state.store.share(snap ? snap.content : source.content);
      const volume = newVolume(state, {
        name,
        accountID: account.accountID,
        totalSize,
        enable512e: optBool(p, 'enable512e') ?? source.enable512e,
        access: oneOf(p, 'access', ['readWrite', 'readOnly', 'locked', 'replicationTarget'] as const) ?? 'readWrite',
        qos: { ...source.qos },
        // Element copies the source's attributes unless the call gives new ones.
        attributes: optAttributes(p) ?? structuredClone(source.attributes),
        content,
      });
      const job = startJob(state, {
        method: 'CloneVolume',
        volumeID: volume.volumeID,
        sourceVolumeID: source.volumeID,
        sourceSnapshotID: snap?.snapshotID ?? null,
        bytes: state.store.referencedBytes(content),
      });
      state.changed();
      return {
        cloneID: job.cloneID,
        volumeID: volume.volumeID,
        asyncHandle: job.asyncHandle,
        volume: volumeView(state, volume),
        curve: QOS_CURVE,
      };
    },
  },
  CopyVolume: {
    since: 9.0,
    run: ({ state }, p) => {
      const source = state.volume(int(p, 'volumeID'));
      const target = state.volume(int(p, 'dstVolumeID'));
      const snap = sourceSnapshot(state, source, optInt(p, 'snapshotID'));
      if (target.volumeID === source.volumeID)
        throw invalid('dstVolumeID must differ from volumeID: use RollbackToSnapshot');
      if (target.totalSize !== source.totalSize) {
        throw invalid(
          `Destination volume ${target.volumeID} (${target.totalSize} bytes) must be the same size as volume ${source.volumeID} (${source.totalSize} bytes)`,
        );
      }
      if (target.access !== 'readWrite') throw invalid(`Destination volume ${target.volumeID} is ${target.access}`);
      const from = snap ? snap.content : source.content;
      // Element deduplicates: the copied blocks are the source's, shared, so the copy takes no new space.
      state.store.release(target.content);
      target.content = state.store.share(from);
      const job = startJob(state, {
        method: 'CopyVolume',
        volumeID: target.volumeID,
        sourceVolumeID: source.volumeID,
        sourceSnapshotID: snap?.snapshotID ?? null,
        bytes: state.store.referencedBytes(from),
      });
      state.changed();
      return { cloneID: job.cloneID, asyncHandle: job.asyncHandle };
    },
  },
  GetAsyncResult: {
    run: ({ state }, p) => {
      const handle = int(p, 'asyncHandle');
      const job = state.asyncResults.get(handle);
      if (!job)
        throw new RpcError(
          X_ASYNC_HANDLE_DOES_NOT_EXIST,
          `Async handle ${handle} does not exist (a completed result is kept only when keepResult is true)`,
        );
      const view = asyncResultView(state, job);
      // Without keepResult a completed result is handed out once, then the handle is gone.
      if (job.status === 'complete' && optBool(p, 'keepResult') !== true) {
        state.asyncResults.delete(handle);
        state.changed();
      }
      return view;
    },
  },
  ListAsyncResults: {
    run: ({ state }, p) => {
      const types = optStrList(p, 'asyncResultTypes');
      for (const t of types ?? [])
        if (!RESULT_TYPES.includes(t)) throw invalid(`Unknown async result type ${t}: use ${RESULT_TYPES.join(', ')}`);
      const jobs = types === undefined || types.includes('Clone') ? [...state.asyncResults.values()] : [];
      return { asyncHandles: jobs.sort((a, b) => a.asyncHandle - b.asyncHandle).map((j) => asyncListView(state, j)) };
    },
  },
};
