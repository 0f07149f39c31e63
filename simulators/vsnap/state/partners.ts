// Partner systems (seed 12): pairing over HTTP with a dedicated replication account on each side, removal, and the
// peer-account check.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { SimContext } from '../context';
import { AUTHENTICATION_ERROR, VsnapError, exists, inUse, invalid, sendError } from '../errors';
import type { PartnerRecord } from './model';
import type { PeerAuth, PeerTarget } from './peer-client';
import { partnerAuth } from './replication';
import { nowSeconds, type VsnapState } from './state';
import { optString, requireString, type Body } from '../validate';

export const DEFAULT_API_PORT = 8900;
export const DEFAULT_SSH_PORT = 22;

const sha256 = (s: string): Buffer => createHash('sha256').update(s).digest();

function optPort(body: Body, key: string, fallback: number): number {
  const v = body[key];
  if (v === undefined || v === null || v === '') return fallback;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw invalid(`Parameter ${key} must be a port number (1-65535)`);
  return n;
}

/** A new account for `partnerId` to call /api/peer here: the secret goes to the partner once, only its digest stays. */
function newAccount(state: VsnapState, partnerId: string): PeerAuth {
  const auth = {
    user: `vsnap_repl_${randomBytes(6).toString('hex')}`,
    password: randomBytes(24).toString('base64url'),
  };
  state.replicationAccounts.push({
    name: auth.user,
    password_sha256: sha256(auth.password).toString('hex'),
    partner_id: partnerId,
  });
  return auth;
}

function forgetPartner(state: VsnapState, partnerId: string): void {
  state.partners.delete(partnerId);
  state.replicationAccounts = state.replicationAccounts.filter((a) => a.partner_id !== partnerId);
}

function record(id: string, target: PeerTarget, sshPort: number, auth: PeerAuth): PartnerRecord {
  const time = nowSeconds();
  return {
    id,
    address: target.address,
    api_port: target.api_port,
    ssh_port: sshPort,
    user: auth.user,
    password: auth.password,
    time_created: time,
    time_updated: time,
  };
}

/**
 * POST /api/partner. The remote's admin credentials are used for two calls only (check them, and ask the
 * remote to register this system) and are never stored: each side creates a replication account for the
 * other and hands it over, so neither holds the other's admin password.
 */
export async function addPartner(ctx: SimContext, body: Body): Promise<PartnerRecord> {
  const { state, peers } = ctx;
  const remote: PeerTarget = {
    address: requireString(body, 'remote_addr'),
    api_port: optPort(body, 'remote_api_port', DEFAULT_API_PORT),
  };
  const admin: PeerAuth = {
    user: requireString(body, 'remote_user'),
    password: typeof body.remote_pass === 'string' ? body.remote_pass : '',
  };
  if (admin.password === '') throw invalid('Parameter remote_pass is required and must be a string');
  const remoteSsh = optPort(body, 'remote_ssh_port', DEFAULT_SSH_PORT);
  const local = {
    address: optString(body, 'local_addr') ?? ctx.self.address,
    api_port: optPort(body, 'local_api_port', ctx.self.port),
    ssh_port: optPort(body, 'local_ssh_port', DEFAULT_SSH_PORT),
  };

  let system: { id: string; hostname?: string };
  try {
    system = await peers.call(remote, admin, { method: 'GET', path: '/api/system' });
  } catch (err) {
    if (err instanceof VsnapError && err.type === AUTHENTICATION_ERROR) {
      throw new VsnapError(
        AUTHENTICATION_ERROR,
        `Authentication failed for user ${admin.user} on remote vSnap ${remote.address}:${remote.api_port}`,
      );
    }
    throw err;
  }
  if (typeof system?.id !== 'string' || system.id === '')
    throw invalid(`${remote.address}:${remote.api_port} does not answer as a vSnap system`);
  if (system.id === state.system.id) throw invalid('A system cannot be its own partner');
  if (state.partners.has(system.id))
    throw exists(`Partner ${system.id} (${remote.address}:${remote.api_port}) already exists`);

  // Our account for the remote exists before we ask it to register us: it calls us back with it to prove it can reach
  // us.
  const ours = newAccount(state, system.id);
  try {
    const theirs = await peers.call<{ id: string; user: string; password: string }>(remote, admin, {
      method: 'POST',
      path: '/api/peer/partner',
      body: {
        id: state.system.id,
        address: local.address,
        api_port: local.api_port,
        ssh_port: local.ssh_port,
        user: ours.user,
        password: ours.password,
      },
    });
    if (theirs.id !== system.id)
      throw invalid(`Remote ${remote.address}:${remote.api_port} changed identity during pairing`);
    const partner = record(system.id, remote, remoteSsh, { user: theirs.user, password: theirs.password });
    state.partners.set(partner.id, partner);
    state.changed();
    return partner;
  } catch (err) {
    state.replicationAccounts = state.replicationAccounts.filter((a) => a.name !== ours.user);
    throw err;
  }
}

/**
 * POST /api/peer/partner on the remote (admin credentials): register the caller, after calling it back with the account
 * it gave.
 */
export async function acceptPartner(
  ctx: SimContext,
  body: Body,
): Promise<{ id: string; user: string; password: string }> {
  const { state, peers } = ctx;
  const id = requireString(body, 'id');
  if (id === state.system.id) throw invalid('A system cannot be its own partner');
  const target: PeerTarget = {
    address: requireString(body, 'address'),
    api_port: optPort(body, 'api_port', DEFAULT_API_PORT),
  };
  const theirs: PeerAuth = { user: requireString(body, 'user'), password: requireString(body, 'password') };
  const hello = await peers
    .call<{ id: string }>(target, theirs, { method: 'GET', path: '/api/peer/hello' })
    .catch((err: unknown) => {
      throw new VsnapError(
        err instanceof VsnapError ? err.type : 'ConnectionError',
        `Cannot reach the new partner back at ${target.address}:${target.api_port} (set local_addr/local_api_port): ${(err as Error).message}`,
      );
    });
  if (hello.id !== id) throw invalid(`The system at ${target.address}:${target.api_port} is ${hello.id}, not ${id}`);
  // Pairing again (the other side lost us) refreshes the partner and its accounts; relationships stay.
  const previous = state.partners.get(id);
  forgetPartner(state, id);
  const ours = newAccount(state, id);
  const partner = record(id, target, optPort(body, 'ssh_port', DEFAULT_SSH_PORT), theirs);
  if (previous) partner.time_created = previous.time_created;
  state.partners.set(id, partner);
  state.changed();
  return { id: state.system.id, ...ours };
}

/**
 * DELETE /api/partner/<id>: refused while relationships use it; the partner is told (if it answers) to forget us too.
 */
export async function removePartner(ctx: SimContext, partner: PartnerRecord): Promise<void> {
  const { state, peers } = ctx;
  const used = [...state.relationships.values()].filter((r) => r.partner_id === partner.id);
  if (used.length > 0)
    throw inUse(
      `Partner ${partner.id} is used by relationships ${used.map((r) => r.id).join(', ')}: delete them first`,
    );
  await peers
    .call(partner, partnerAuth(partner), { method: 'DELETE', path: '/api/peer/partner', timeoutMs: 3000 })
    .catch(() => undefined);
  forgetPartner(state, partner.id);
  state.changed();
}

/** DELETE /api/peer/partner: the partner removed us. */
export function partnerLeft(state: VsnapState, partnerId: string): void {
  if ([...state.relationships.values()].some((r) => r.partner_id === partnerId))
    throw inUse(`Partner ${partnerId} still has relationships here`);
  forgetPartner(state, partnerId);
  state.changed();
}

/** /api/peer accepts only the replication accounts handed to partners; `res.locals.partnerId` names the caller. */
export function peerAuth(state: VsnapState): RequestHandler {
  return (req, res, next) => {
    const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(req.headers.authorization ?? '');
    const decoded = m ? Buffer.from(m[1], 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    const account = colon > 0 ? state.replicationAccounts.find((a) => a.name === decoded.slice(0, colon)) : undefined;
    if (!account || !timingSafeEqual(Buffer.from(account.password_sha256, 'hex'), sha256(decoded.slice(colon + 1)))) {
      sendError(res, 401, AUTHENTICATION_ERROR, 'Invalid replication credentials');
      return;
    }
    res.locals.partnerId = account.partner_id;
    next();
  };
}
