// Initiator objects (Element 9+): ListInitiators, CreateInitiators, DeleteInitiators; access groups add them by name on
// the fly.
import { RpcError, X_INITIATOR_DOES_NOT_EXIST, X_INITIATOR_EXISTS, invalid } from '../errors';
import { INITIATOR_NAME } from '../state/ids';
import type { InitiatorRecord } from '../state/model';
import { type Params, intList, optAttributes, optInt, optIntList, optStr, str } from '../params';
import type { ElementState } from '../state/state';
import { initiatorView } from '../views';
import type { MethodTable } from './types';

export function checkInitiatorName(name: string): string {
  if (!INITIATOR_NAME.test(name))
    throw invalid(`Invalid initiator name '${name}': expected an iqn., eui. or naa. name or a WWPN`);
  return name.toLowerCase().startsWith('iqn.') || name.toLowerCase().startsWith('eui.') ? name : name.toLowerCase();
}

export function newInitiator(
  state: ElementState,
  name: string,
  alias = '',
  attributes: Record<string, unknown> = {},
): InitiatorRecord {
  const record = { initiatorID: state.nextId('initiator'), initiatorName: checkInitiatorName(name), alias, attributes };
  state.initiators.set(record.initiatorID, record);
  return record;
}

/** The initiator of that name, created when missing (as adding an IQN to an access group does on Element). */
export function initiatorNamed(state: ElementState, name: string): InitiatorRecord {
  return state.initiatorByName(checkInitiatorName(name)) ?? newInitiator(state, name);
}

function initiator(state: ElementState, id: number): InitiatorRecord {
  const i = state.initiators.get(id);
  if (!i) throw new RpcError(X_INITIATOR_DOES_NOT_EXIST, `Initiator ${id} does not exist`);
  return i;
}

export const initiatorMethods: MethodTable = {
  ListInitiators: {
    since: 9.0,
    run: ({ state }, p) => {
      const start = optInt(p, 'startInitiatorID') ?? 0;
      const limit = optInt(p, 'limit');
      const ids = optIntList(p, 'initiators');
      const all = ids
        ? ids.map((id) => initiator(state, id))
        : [...state.initiators.values()].filter((i) => i.initiatorID >= start);
      return {
        initiators: all
          .sort((a, b) => a.initiatorID - b.initiatorID)
          .slice(0, limit)
          .map((i) => initiatorView(state, i)),
      };
    },
  },
  CreateInitiators: {
    since: 9.0,
    run: ({ state }, p) => {
      const specs = p.initiators;
      if (!Array.isArray(specs) || specs.length === 0)
        throw invalid(
          "Parameter 'initiators' must be a non-empty array of {name, alias, attributes, volumeAccessGroupID}",
        );
      const parsed = (specs as Params[]).map((s) => ({
        name: checkInitiatorName(str(s, 'name')),
        alias: optStr(s, 'alias') ?? '',
        attributes: optAttributes(s) ?? {},
        vag: optInt(s, 'volumeAccessGroupID'),
      }));
      for (const s of parsed) {
        if (state.initiatorByName(s.name)) throw new RpcError(X_INITIATOR_EXISTS, `Initiator ${s.name} already exists`);
        if (s.vag !== undefined) state.volumeAccessGroup(s.vag);
      }
      const created = parsed.map((s) => {
        const record = newInitiator(state, s.name, s.alias, s.attributes);
        if (s.vag !== undefined) state.volumeAccessGroup(s.vag).initiatorIDs.push(record.initiatorID);
        return record;
      });
      state.changed();
      return { initiators: created.map((i) => initiatorView(state, i)) };
    },
  },
  DeleteInitiators: {
    since: 9.0,
    run: ({ state }, p) => {
      const ids = intList(p, 'initiators');
      for (const id of ids) initiator(state, id);
      for (const id of ids) {
        state.initiators.delete(id);
        for (const g of state.volumeAccessGroups.values()) g.initiatorIDs = g.initiatorIDs.filter((x) => x !== id);
      }
      state.changed();
      return {};
    },
  },
};
