// Group snapshots (one point in time across volumes): CreateGroupSnapshot, ListGroupSnapshots, ModifyGroupSnapshot,
// Delete and Rollback.
import { randomUUID } from 'node:crypto';
import { invalid } from '../errors';
import { iso } from '../state/ids';
import { assertIdle } from '../state/jobs';
import { removeSnapshot } from '../state/lifecycle';
import type { GroupSnapshotRecord } from '../state/model';
import { type Params, bool, int, intList, optAttributes, optBool, optIntList, optStr } from '../params';
import type { ElementState } from '../state/state';
import { groupSnapshotView, snapshotView } from '../views';
import { assertSnapshotRoom, expirationFrom, rollback, takeSnapshot } from './snapshots';
import type { MethodContext, MethodTable } from './types';

/** Snapshots every volume at the same instant (the simulator is single-threaded, so no write slips between them). */
function createGroup(
  state: ElementState,
  volumeIDs: number[],
  p: Params,
  replication?: MethodContext['replication'],
): GroupSnapshotRecord {
  if (volumeIDs.length === 0) throw invalid("Parameter 'volumes' must name at least one volume");
  if (new Set(volumeIDs).size !== volumeIDs.length) throw invalid("Parameter 'volumes' names a volume twice");
  const volumes = volumeIDs.map((id) => state.volume(id));
  // Check every limit before taking anything, so a refused group leaves no partial snapshots.
  for (const v of volumes) assertSnapshotRoom(state, v);
  const name = optStr(p, 'name') ?? iso(state.now());
  const expiration = expirationFrom(state, p);
  const attributes = optAttributes(p) ?? {};
  const group: GroupSnapshotRecord = {
    groupSnapshotID: state.nextId('groupSnapshot'),
    groupSnapshotUUID: randomUUID(),
    name,
    attributes,
    createTime: state.now(),
  };
  state.groupSnapshots.set(group.groupSnapshotID, group);
  const replicate = optBool(p, 'enableRemoteReplication') ?? false;
  for (const v of volumes) {
    const member = takeSnapshot(state, v, name, group.groupSnapshotID, attributes, expiration);
    // Each member goes to its own volume's paired volume.
    if (replicate) replication?.snapshotTaken(member);
  }
  return group;
}

function membersResult(state: ElementState, group: GroupSnapshotRecord) {
  return state.membersOf(group.groupSnapshotID).map((s) => ({
    volumeID: s.volumeID,
    snapshotID: s.snapshotID,
    snapshotUUID: s.snapshotUUID,
    checksum: snapshotView(state, s).checksum,
  }));
}

export const groupMethods: MethodTable = {
  CreateGroupSnapshot: {
    since: 7.0,
    run: ({ state, replication }, p) => {
      const group = createGroup(state, intList(p, 'volumes'), p, replication);
      state.changed();
      return {
        groupSnapshotID: group.groupSnapshotID,
        groupSnapshotUUID: group.groupSnapshotUUID,
        members: membersResult(state, group),
        groupSnapshot: groupSnapshotView(state, group),
      };
    },
  },
  ListGroupSnapshots: {
    since: 7.0,
    run: ({ state }, p) => {
      const volumes = optIntList(p, 'volumes');
      const id = p.groupSnapshotID === undefined ? undefined : int(p, 'groupSnapshotID');
      if (id !== undefined) state.groupSnapshot(id);
      const groups = [...state.groupSnapshots.values()]
        .filter(
          (g) =>
            (id === undefined || g.groupSnapshotID === id) &&
            (volumes === undefined || state.membersOf(g.groupSnapshotID).some((s) => volumes.includes(s.volumeID))),
        )
        .sort((a, b) => a.groupSnapshotID - b.groupSnapshotID);
      return { groupSnapshots: groups.map((g) => groupSnapshotView(state, g)) };
    },
  },
  ModifyGroupSnapshot: {
    since: 7.0,
    run: ({ state }, p) => {
      const group = state.groupSnapshot(int(p, 'groupSnapshotID'));
      if (p.expirationTime !== undefined || p.retention !== undefined) {
        const at = expirationFrom(state, p);
        for (const s of state.membersOf(group.groupSnapshotID)) s.expirationTime = at;
      }
      group.name = optStr(p, 'name') ?? group.name;
      state.changed();
      return { groupSnapshot: groupSnapshotView(state, group) };
    },
  },
  DeleteGroupSnapshot: {
    since: 7.0,
    run: ({ state }, p) => {
      const group = state.groupSnapshot(int(p, 'groupSnapshotID'));
      const saveMembers = bool(p, 'saveMembers');
      const members = state.membersOf(group.groupSnapshotID);
      if (saveMembers) {
        // The members become ordinary snapshots of their volumes.
        for (const s of members) s.groupID = 0;
        state.groupSnapshots.delete(group.groupSnapshotID);
      } else {
        for (const s of members)
          assertIdle(state, { snapshotID: s.snapshotID }, `delete group snapshot ${group.groupSnapshotID}`);
        for (const s of members) removeSnapshot(state, s);
        state.groupSnapshots.delete(group.groupSnapshotID);
      }
      state.changed();
      return {};
    },
  },
  RollbackToGroupSnapshot: {
    since: 7.0,
    run: ({ state }, p) => {
      const group = state.groupSnapshot(int(p, 'groupSnapshotID'));
      const save = bool(p, 'saveCurrentState');
      const members = state.membersOf(group.groupSnapshotID);
      const volumes = members.map((s) => state.volume(s.volumeID));
      const saved = save
        ? createGroup(
            state,
            volumes.map((v) => v.volumeID),
            { name: optStr(p, 'name'), attributes: optAttributes(p) },
          )
        : undefined;
      members.forEach((s, i) => rollback(state, volumes[i], s));
      state.changed();
      return saved
        ? {
            groupSnapshotID: saved.groupSnapshotID,
            groupSnapshotUUID: saved.groupSnapshotUUID,
            members: membersResult(state, saved),
            groupSnapshot: groupSnapshotView(state, saved),
          }
        : { groupSnapshotID: 0, members: [] };
    },
  },
};
