// Cluster identity, capacity, API discovery and tenant accounts: GetAPI, GetClusterInfo, GetClusterCapacity, accounts.
import { randomBytes } from 'node:crypto';
import { RpcError, X_ACCOUNT_HAS_VOLUMES, X_DUPLICATE_USERNAME, X_UNKNOWN_ACCOUNT, invalid } from '../errors';
import { int, oneOf, optAttributes, optBool, optInt, optStr, str } from '../params';
import type { ElementState } from '../state/state';
import { capacityView } from '../state/space';
import { accountView } from '../views';
import { NODE_ID, nodeCip } from './nodes';
import type { MethodTable } from './types';

/** Versions an endpoint path may name, oldest first; the last is the cluster's current version. */
export const API_VERSIONS = [
  '1.0',
  '2.0',
  '3.0',
  '4.0',
  '5.0',
  '6.0',
  '7.0',
  '7.1',
  '7.2',
  '7.3',
  '7.4',
  '8.0',
  '8.1',
  '8.2',
  '8.3',
  '8.4',
  '8.5',
  '8.6',
  '8.7',
  '9.0',
  '9.1',
  '9.2',
  '9.3',
  '9.4',
  '9.5',
  '9.6',
  '10.0',
  '10.1',
  '10.2',
  '10.3',
  '10.4',
  '10.5',
  '10.6',
  '10.7',
  '11.0',
  '11.1',
  '11.3',
  '11.5',
  '11.7',
  '11.8',
  '12.0',
  '12.2',
  '12.3',
];
export const CURRENT_API_VERSION = API_VERSIONS[API_VERSIONS.length - 1];

/** Secrets must be 12 to 16 characters (CHAP). */
const secret = (p: Record<string, unknown>, key: string): string => {
  const s = optStr(p, key) ?? randomBytes(9).toString('base64url').slice(0, 12);
  if (s.length < 12 || s.length > 16) throw invalid(`Parameter '${key}' must be 12 to 16 characters long`);
  return s;
};

export const clusterMethods: MethodTable = {
  GetAPI: {
    // Numbers, as Element answers them (the endpoint path spells them as strings).
    run: () => ({ currentVersion: Number(CURRENT_API_VERSION), supportedVersions: API_VERSIONS.map(Number) }),
  },
  GetClusterInfo: {
    run: ({ state }) => {
      const c = state.cluster;
      return {
        clusterInfo: {
          attributes: {},
          defaultProtectionScheme: 'doubleHelix',
          enableVirtualVolumes: false,
          enabledProtectionSchemes: ['doubleHelix'],
          encryptionAtRestState: 'disabled',
          softwareEncryptionAtRestState: 'disabled',
          // The ensemble is the nodes' cluster addresses (one node here).
          ensemble: [nodeCip(state)],
          mvip: c.mvip,
          mvipInterface: 'team1G',
          mvipNodeID: NODE_ID,
          mvipVlanTag: '0',
          name: c.name,
          repCount: c.repCount,
          supportedProtectionSchemes: ['doubleHelix'],
          svip: c.svip,
          svipInterface: 'team10G',
          svipNodeID: NODE_ID,
          svipVlanTag: '0',
          uniqueID: c.uniqueID,
          uuid: c.uuid,
        },
      };
    },
  },
  GetClusterVersionInfo: {
    run: ({ state }) => ({
      clusterAPIVersion: CURRENT_API_VERSION,
      clusterVersion: state.cluster.version,
      clusterVersionInfo: [
        { nodeID: NODE_ID, nodeInternalRevision: state.cluster.version, nodeVersion: state.cluster.version },
      ],
      pendingClusterVersion: state.cluster.version,
      softwareVersionInfo: {
        currentVersion: state.cluster.version,
        nodeID: 0,
        packageName: '',
        pendingVersion: state.cluster.version,
        startTime: '',
      },
    }),
  },
  GetClusterCapacity: {
    run: ({ state }) => ({ clusterCapacity: capacityView(state) }),
  },
  ListAccounts: {
    run: ({ state }, p) => {
      const start = optInt(p, 'startAccountID') ?? 0;
      const limit = optInt(p, 'limit');
      const all = [...state.accounts.values()]
        .filter((a) => a.accountID >= start)
        .sort((a, b) => a.accountID - b.accountID);
      return { accounts: all.slice(0, limit).map((a) => accountView(state, a)) };
    },
  },
  GetAccountByID: {
    run: ({ state }, p) => ({ account: accountView(state, state.account(int(p, 'accountID'))) }),
  },
  GetAccountByName: {
    run: ({ state }, p) => {
      const username = str(p, 'username');
      const a = [...state.accounts.values()].find((x) => x.username === username);
      if (!a) throw new RpcError(X_UNKNOWN_ACCOUNT, `Account ${username} does not exist`);
      return { account: accountView(state, a) };
    },
  },
  AddAccount: {
    run: ({ state }, p) => {
      const username = str(p, 'username');
      checkUsername(state, username);
      const account = {
        accountID: state.nextId('account'),
        username,
        initiatorSecret: secret(p, 'initiatorSecret'),
        targetSecret: secret(p, 'targetSecret'),
        attributes: optAttributes(p) ?? {},
        enableChap: optBool(p, 'enableChap') ?? true,
      };
      state.accounts.set(account.accountID, account);
      state.changed();
      return { accountID: account.accountID, account: accountView(state, account) };
    },
  },
  ModifyAccount: {
    run: ({ state }, p) => {
      const account = state.account(int(p, 'accountID'));
      const username = optStr(p, 'username');
      if (username !== undefined && username !== account.username) checkUsername(state, username);
      const initiatorSecret = optStr(p, 'initiatorSecret') === undefined ? undefined : secret(p, 'initiatorSecret');
      const targetSecret = optStr(p, 'targetSecret') === undefined ? undefined : secret(p, 'targetSecret');
      const status = oneOf(p, 'status', ['active', 'locked'] as const);
      const attributes = optAttributes(p);
      const enableChap = optBool(p, 'enableChap');
      Object.assign(account, {
        username: username ?? account.username,
        initiatorSecret: initiatorSecret ?? account.initiatorSecret,
        targetSecret: targetSecret ?? account.targetSecret,
        status: status ?? account.status,
        attributes: attributes ?? account.attributes,
        enableChap: enableChap ?? account.enableChap,
      });
      state.changed();
      return { account: accountView(state, account) };
    },
  },
  RemoveAccount: {
    run: ({ state }, p) => {
      const account = state.account(int(p, 'accountID'));
      // "You must delete and purge all volumes associated with the account" first: deleted ones count until purged.
      const owned = [...state.volumes.values()].filter((v) => v.accountID === account.accountID);
      if (owned.length > 0)
        throw new RpcError(
          X_ACCOUNT_HAS_VOLUMES,
          `Account ${account.accountID} still owns volume(s) ${owned.map((v) => v.volumeID).join(', ')}: DeleteVolume and PurgeDeletedVolume them first`,
        );
      state.accounts.delete(account.accountID);
      state.changed();
      return {};
    },
  },
};

/** Account usernames are 1 to 64 characters and unique on the cluster. */
function checkUsername(state: ElementState, username: string): void {
  if (username.length < 1 || username.length > 64) throw invalid('Parameter username must be 1 to 64 characters long');
  if ([...state.accounts.values()].some((a) => a.username === username))
    throw new RpcError(X_DUPLICATE_USERNAME, `Account ${username} already exists`);
}
