// Volume access groups (initiators + volumes = who may reach what), with their LUN assignments; at most 64 initiators
// each.
import { exceeded, invalid } from '../errors';
import type { VolumeAccessGroupRecord } from '../state/model';
import { type Params, bool, int, intList, optAttributes, optInt, optIntList, optStr, optStrList, str } from '../params';
import type { ElementState } from '../state/state';
import { volumeAccessGroupView } from '../views';
import { checkInitiatorName, initiatorNamed } from './initiators';
import type { MethodTable } from './types';

export const MAX_INITIATORS_PER_GROUP = 64;
export const MAX_VOLUMES_PER_GROUP = 2000;
const MAX_LUN = 16383;

function checkGroupName(name: string): string {
  if (name.length < 1 || name.length > 64) throw invalid('Volume access group names are 1 to 64 characters long');
  return name;
}

/** Refuses more than 64 distinct initiators, counted before any initiator object is created. */
function assertInitiatorRoom(state: ElementState, ids: number[], names: string[]): void {
  names.forEach(checkInitiatorName);
  const keys = new Set(ids.map((id) => `#${id}`));
  for (const n of names) {
    const found = state.initiatorByName(n);
    keys.add(found ? `#${found.initiatorID}` : n.toLowerCase());
  }
  if (keys.size > MAX_INITIATORS_PER_GROUP) {
    throw exceeded(
      `A volume access group holds at most ${MAX_INITIATORS_PER_GROUP} initiators; this one would have ${keys.size}`,
    );
  }
}

function setInitiators(group: VolumeAccessGroupRecord, ids: number[]): void {
  group.initiatorIDs = [...new Set(ids)];
}

/** Adds volumes, giving each new one the lowest LUN number free in the group. */
function addVolumes(state: ElementState, group: VolumeAccessGroupRecord, volumeIDs: number[]): void {
  const volumes = volumeIDs.map((id) => state.volume(id).volumeID);
  const added = [...new Set(volumes)].filter((id) => !group.volumes.includes(id));
  if (group.volumes.length + added.length > MAX_VOLUMES_PER_GROUP)
    throw exceeded(`A volume access group holds at most ${MAX_VOLUMES_PER_GROUP} volumes`);
  for (const id of added) {
    group.volumes.push(id);
    const used = new Set(group.lunAssignments.map((l) => l.lun));
    let lun = 0;
    while (used.has(lun)) lun++;
    group.lunAssignments.push({ volumeID: id, lun });
  }
}

function removeVolumes(group: VolumeAccessGroupRecord, volumeIDs: number[]): void {
  for (const id of volumeIDs) {
    if (!group.volumes.includes(id) && !group.deletedVolumes.includes(id))
      throw invalid(`Volume ${id} is not in volume access group ${group.volumeAccessGroupID}`);
  }
  group.volumes = group.volumes.filter((id) => !volumeIDs.includes(id));
  group.deletedVolumes = group.deletedVolumes.filter((id) => !volumeIDs.includes(id));
  group.lunAssignments = group.lunAssignments.filter((l) => !volumeIDs.includes(l.volumeID));
}

function dropOrphans(state: ElementState, initiatorIDs: number[]): void {
  for (const id of initiatorIDs) {
    if (![...state.volumeAccessGroups.values()].some((g) => g.initiatorIDs.includes(id))) state.initiators.delete(id);
  }
}

const view = (state: ElementState, g: VolumeAccessGroupRecord) => ({
  volumeAccessGroup: volumeAccessGroupView(state, g),
});
const lunView = (g: VolumeAccessGroupRecord) => ({
  volumeAccessGroupID: g.volumeAccessGroupID,
  lunAssignments: g.lunAssignments.filter((l) => g.volumes.includes(l.volumeID)).map((l) => ({ ...l })),
  deletedLunAssignments: g.lunAssignments.filter((l) => g.deletedVolumes.includes(l.volumeID)).map((l) => ({ ...l })),
});

export const accessMethods: MethodTable = {
  CreateVolumeAccessGroup: {
    run: ({ state }, p) => {
      const group: VolumeAccessGroupRecord = {
        volumeAccessGroupID: 0,
        name: checkGroupName(str(p, 'name')),
        initiatorIDs: [],
        volumes: [],
        deletedVolumes: [],
        lunAssignments: [],
        attributes: optAttributes(p) ?? {},
      };
      // Validate everything before the group exists, so a refused call leaves nothing behind.
      const names = optStrList(p, 'initiators') ?? [];
      assertInitiatorRoom(state, [], names);
      for (const id of optIntList(p, 'volumes') ?? []) state.volume(id);
      group.volumeAccessGroupID = state.nextId('volumeAccessGroup');
      setInitiators(
        group,
        names.map((n) => initiatorNamed(state, n).initiatorID),
      );
      addVolumes(state, group, optIntList(p, 'volumes') ?? []);
      state.volumeAccessGroups.set(group.volumeAccessGroupID, group);
      state.changed();
      return { volumeAccessGroupID: group.volumeAccessGroupID, ...view(state, group) };
    },
  },
  ListVolumeAccessGroups: {
    run: ({ state }, p) => {
      const ids = optIntList(p, 'volumeAccessGroups');
      const start = optInt(p, 'startVolumeAccessGroupID') ?? 0;
      const limit = optInt(p, 'limit');
      const all = [...state.volumeAccessGroups.values()]
        .filter((g) => (ids === undefined ? g.volumeAccessGroupID >= start : ids.includes(g.volumeAccessGroupID)))
        .sort((a, b) => a.volumeAccessGroupID - b.volumeAccessGroupID)
        .slice(0, limit);
      const notFound = (ids ?? []).filter((id) => !state.volumeAccessGroups.has(id));
      return {
        volumeAccessGroups: all.map((g) => volumeAccessGroupView(state, g)),
        ...(ids ? { volumeAccessGroupsNotFound: notFound } : {}),
      };
    },
  },
  ModifyVolumeAccessGroup: {
    run: ({ state }, p) => {
      const group = state.volumeAccessGroup(int(p, 'volumeAccessGroupID'));
      const name = optStr(p, 'name');
      const names = optStrList(p, 'initiators');
      const volumes = optIntList(p, 'volumes');
      for (const id of volumes ?? []) state.volume(id);
      if (names) assertInitiatorRoom(state, [], names);
      if (name !== undefined) group.name = checkGroupName(name);
      group.attributes = optAttributes(p) ?? group.attributes;
      const before = group.initiatorIDs;
      if (names)
        setInitiators(
          group,
          names.map((n) => initiatorNamed(state, n).initiatorID),
        );
      if (volumes) {
        removeVolumes(
          group,
          group.volumes.filter((id) => !volumes.includes(id)),
        );
        addVolumes(state, group, volumes);
      }
      if (p.deleteOrphanInitiators === true) dropOrphans(state, before);
      state.changed();
      return view(state, group);
    },
  },
  AddVolumesToVolumeAccessGroup: {
    run: ({ state }, p) => {
      const group = state.volumeAccessGroup(int(p, 'volumeAccessGroupID'));
      addVolumes(state, group, intList(p, 'volumes'));
      state.changed();
      return view(state, group);
    },
  },
  RemoveVolumesFromVolumeAccessGroup: {
    run: ({ state }, p) => {
      const group = state.volumeAccessGroup(int(p, 'volumeAccessGroupID'));
      removeVolumes(group, intList(p, 'volumes'));
      state.changed();
      return view(state, group);
    },
  },
  AddInitiatorsToVolumeAccessGroup: {
    run: ({ state }, p) => {
      const group = state.volumeAccessGroup(int(p, 'volumeAccessGroupID'));
      const names = optStrList(p, 'initiators') ?? [];
      const ids = optIntList(p, 'initiatorIDs') ?? [];
      for (const id of ids) if (!state.initiators.has(id)) throw invalid(`Initiator ${id} does not exist`);
      // Count before creating anything, so a refused call leaves no stray initiators.
      assertInitiatorRoom(state, [...group.initiatorIDs, ...ids], names);
      setInitiators(group, [...group.initiatorIDs, ...ids, ...names.map((n) => initiatorNamed(state, n).initiatorID)]);
      state.changed();
      return view(state, group);
    },
  },
  RemoveInitiatorsFromVolumeAccessGroup: {
    run: ({ state }, p) => {
      const group = state.volumeAccessGroup(int(p, 'volumeAccessGroupID'));
      const names = (optStrList(p, 'initiators') ?? []).map((n) => n.toLowerCase());
      const removed = group.initiatorIDs.filter((id) =>
        names.includes(state.initiators.get(id)?.initiatorName.toLowerCase() ?? ''),
      );
      group.initiatorIDs = group.initiatorIDs.filter((id) => !removed.includes(id));
      if (p.deleteOrphanInitiators === true) dropOrphans(state, removed);
      state.changed();
      return view(state, group);
    },
  },
  DeleteVolumeAccessGroup: {
    run: ({ state }, p) => {
      const group = state.volumeAccessGroup(int(p, 'volumeAccessGroupID'));
      if (group.volumes.length > 0 && !(p.force === undefined ? false : bool(p, 'force'))) {
        throw invalid(
          `Volume access group ${group.volumeAccessGroupID} still has volumes: remove them or send force: true`,
        );
      }
      state.volumeAccessGroups.delete(group.volumeAccessGroupID);
      if (p.deleteOrphanInitiators === true) dropOrphans(state, group.initiatorIDs);
      state.changed();
      return {};
    },
  },
  GetVolumeAccessGroupLunAssignments: {
    since: 7.0,
    run: ({ state }, p) => ({
      volumeAccessGroupLunAssignments: lunView(state.volumeAccessGroup(int(p, 'volumeAccessGroupID'))),
    }),
  },
  ModifyVolumeAccessGroupLunAssignments: {
    since: 7.0,
    run: ({ state }, p) => {
      const group = state.volumeAccessGroup(int(p, 'volumeAccessGroupID'));
      const raw = p.lunAssignments;
      if (!Array.isArray(raw)) throw invalid("Parameter 'lunAssignments' must be an array of {volumeID, lun}");
      const changes = (raw as Params[]).map((a) => ({ volumeID: int(a, 'volumeID'), lun: int(a, 'lun') }));
      for (const c of changes) {
        if (!group.volumes.includes(c.volumeID))
          throw invalid(`Volume ${c.volumeID} is not in volume access group ${group.volumeAccessGroupID}`);
        if (c.lun < 0 || c.lun > MAX_LUN) throw invalid(`LUN ${c.lun} is out of range 0-${MAX_LUN}`);
      }
      const next = group.lunAssignments.map((l) => changes.find((c) => c.volumeID === l.volumeID) ?? l);
      if (new Set(next.map((l) => l.lun)).size !== next.length)
        throw invalid(`Duplicate LUN in volume access group ${group.volumeAccessGroupID}`);
      group.lunAssignments = next.map((l) => ({ ...l }));
      state.changed();
      return { volumeAccessGroupLunAssignments: lunView(group) };
    },
  },
};
