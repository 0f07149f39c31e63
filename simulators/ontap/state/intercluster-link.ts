// How one end of a relationship reaches the other: the intercluster endpoints of a peered cluster, or direct calls when
// both ends are on this cluster (intra-cluster SnapMirror), so the send and receive logic is the same either way.
import type { SimContext } from '../context';
import { ONTAP_ERROR, conflict } from '../errors';
import type { RelationshipRecord, TransferRecord } from './model';
import { isLocal, peerOf } from './relationships';
import type { Manifest, SendRequest } from './transfer-send';
import { type PeerCall, callPeer } from './intercluster-client';

/** What the source answers when asked to send: the snapshots it picked and their bytes. */
export interface SendAnswer {
  snapshots: string[];
  total_bytes: number;
  state: TransferRecord['state'];
}

export const sendAnswer = (t: TransferRecord): SendAnswer => ({
  snapshots: t.snapshots,
  total_bytes: t.total_bytes,
  state: t.state,
});

export interface Link {
  /** Destination → source: pick and start sending (the destination already holds its transfer record). */
  send(req: SendRequest): Promise<SendAnswer>;
  /** Destination → source: stop sending. */
  abort(uuid: string): Promise<void>;
  /** Destination → source: forget the source side of the relationship. */
  release(): Promise<void>;
  /** Source → destination: one snapshot's worth of change, its bytes, its commit, and the transfer's end. */
  begin(uuid: string, segment: number, manifest: Manifest, signal?: AbortSignal): Promise<void>;
  data(uuid: string, segment: number, offset: number, chunk: Buffer, signal?: AbortSignal): Promise<void>;
  commit(uuid: string, segment: number, signal?: AbortSignal): Promise<void>;
  end(uuid: string, outcome: TransferRecord['state'], message: string | null, bytes: number): Promise<void>;
}

/**
 * The receiving and sending ends of this cluster, called directly by a local link. The server wires
 * them in (SimContext.localEnds), so this module needs neither engine and they may both use links.
 */
export interface LocalEnds {
  startSending(ctx: SimContext, rel: RelationshipRecord, req: SendRequest): TransferRecord;
  abortSending(ctx: SimContext, uuid: string, why: string): void;
  beginSegment(ctx: SimContext, uuid: string, segment: number, manifest: Manifest): void;
  receiveChunk(ctx: SimContext, uuid: string, segment: number, offset: number, chunk: Buffer): void;
  commitSegment(ctx: SimContext, uuid: string, segment: number): void;
  finish(
    ctx: SimContext,
    t: TransferRecord,
    outcome: TransferRecord['state'],
    message: string | null,
    bytes: number,
  ): void;
}

export function linkOf(ctx: SimContext, rel: RelationshipRecord): Link {
  return isLocal(rel) ? localLink(ctx, rel) : remoteLink(ctx, rel);
}

function remoteLink(ctx: SimContext, rel: RelationshipRecord): Link {
  // The peer is looked up at each call: a peer deleted meanwhile fails that call, not the caller's setup.
  const call = async <T>(c: PeerCall): Promise<T> => callPeer<T>(ctx, peerOf(ctx.state, rel), c);
  const transfer = (uuid: string) => `/intercluster/transfers/${uuid}`;
  return {
    send: (req) =>
      call<SendAnswer>({ method: 'POST', path: `/intercluster/relationships/${rel.uuid}/transfers`, body: req }),
    abort: (uuid) => call({ method: 'POST', path: `${transfer(uuid)}/abort` }),
    release: () => call({ method: 'DELETE', path: `/intercluster/relationships/${rel.uuid}` }),
    begin: (uuid, segment, manifest, signal) =>
      call({ method: 'POST', path: `${transfer(uuid)}/begin`, body: { segment, manifest }, signal }),
    data: (uuid, segment, offset, raw, signal) =>
      call({ method: 'PUT', path: `${transfer(uuid)}/data?segment=${segment}&offset=${offset}`, raw, signal }),
    commit: (uuid, segment, signal) =>
      call({ method: 'POST', path: `${transfer(uuid)}/commit`, body: { segment }, signal }),
    end: (uuid, state, message, bytes) =>
      call({ method: 'POST', path: `${transfer(uuid)}/end`, body: { state, message, bytes } }),
  };
}

/**
 * Both ends here: the calls the intercluster routes would make, made directly. The relationship and
 * its transfer records are the destination's (listed once); the sending engine keeps its own copy.
 */
function localLink(ctx: SimContext, rel: RelationshipRecord): Link {
  const { state, localEnds: ends } = ctx;
  return {
    send: async (req) => sendAnswer(ends.startSending(ctx, rel, req)),
    abort: async (uuid) => ends.abortSending(ctx, uuid, 'the destination aborted it'),
    release: async () => {
      if (state.transfersOf(rel.uuid).some((t) => ctx.sending.has(t.uuid)))
        throw conflict(ONTAP_ERROR.TRANSFER_IN_PROGRESS, `A transfer is in progress on relationship "${rel.uuid}"`);
    },
    begin: async (uuid, segment, manifest) => ends.beginSegment(ctx, uuid, segment, manifest),
    data: async (uuid, segment, offset, chunk) => ends.receiveChunk(ctx, uuid, segment, offset, chunk),
    commit: async (uuid, segment) => ends.commitSegment(ctx, uuid, segment),
    end: async (uuid, outcome, message, bytes) => {
      const t = state.transfers.get(uuid);
      if (t) ends.finish(ctx, t, outcome, message, bytes);
    },
  };
}
