// Simulator-only routes under /sim: volume and snapshot content, fault controls and timing settings. Not part of
// Element.
import { Router, type Request, type Response } from 'express';
import type { BlockMap } from '../shared/blocks';
import { type FaultController, faultRoutes } from '../shared/faults';
import { RpcError, X_CLONE_IN_PROGRESS, X_CLUSTER_FULL, invalid } from './errors';
import { readRaw } from './http';
import { tick } from './state/lifecycle';
import type { SimSettings } from './state/model';
import type { ReplicationEngine } from './state/replication-engine';
import { ensureSpace } from './state/space';
import type { ElementState } from './state/state';

/** Largest body one PUT .../data accepts. */
export const MAX_WRITE_BYTES = 16 * 1024 * 1024;

function nonNegativeInt(raw: unknown, key: string, def: number): number {
  if (raw === undefined) return def;
  const n = Number(raw);
  if (typeof raw !== 'string' || !/^\d+$/.test(raw) || !Number.isSafeInteger(n))
    throw invalid(`Query parameter ${key} must be a non-negative integer`);
  return n;
}

const idParam = (req: Request) => {
  const n = Number(req.params.id);
  if (!Number.isSafeInteger(n) || n < 1) throw invalid(`Not an Element id: ${String(req.params.id)}`);
  return n;
};

/** The simulator's own error body for /sim: the Element name, with an HTTP status that says what kind it is. */
function sendSimError(res: Response, err: RpcError): void {
  const status = /DoesNotExist$/.test(err.rpcName)
    ? 404
    : err.rpcName === X_CLUSTER_FULL
      ? 507
      : err.rpcName === X_CLONE_IN_PROGRESS
        ? 409
        : 400;
  res.status(status).json({ error: { name: err.rpcName, message: err.message } });
}

function sendContent(req: Request, res: Response, state: ElementState, map: BlockMap): void {
  const offset = nonNegativeInt(req.query.offset, 'offset', 0);
  const length = nonNegativeInt(req.query.length, 'length', Math.max(0, map.length - offset));
  res.type('application/octet-stream').send(state.store.read(map, offset, length));
}

export function dataPlaneRoutes(state: ElementState, faults: FaultController, replication: ReplicationEngine): Router {
  const router = Router();
  const handle = (fn: (req: Request, res: Response) => void | Promise<void>) => async (req: Request, res: Response) => {
    try {
      tick(state);
      await fn(req, res);
    } catch (err) {
      if (err instanceof RpcError) return sendSimError(res, err);
      throw err;
    }
  };

  // Raw bytes whatever the Content-Type: the block device's content at an offset, copy-on-write.
  router.put(
    '/volume/:id/data',
    handle(async (req, res) => {
      const volume = state.volume(idParam(req));
      const offset = nonNegativeInt(req.query.offset, 'offset', 0);
      const data = await readRaw(req, MAX_WRITE_BYTES);
      if (volume.access !== 'readWrite')
        throw invalid(`Volume ${volume.volumeID} is ${volume.access}: writes are refused`);
      if (offset + data.length > volume.totalSize)
        throw invalid(
          `A write of ${data.length} bytes at ${offset} goes past the end of volume ${volume.volumeID} (${volume.totalSize} bytes)`,
        );
      if (data.length > 0) {
        const change = state.store.prepareWrite(volume.content, offset, data);
        ensureSpace(state, change.netBytes);
        change.commit();
        state.changed();
        // A paired source sends the write on (Sync: before this answer; Async: shortly after).
        await replication.writes.volumeWritten(volume, offset, data);
      }
      res.json({ volumeID: volume.volumeID, length: volume.content.length, nonZeroBlocks: volume.content.blocks.size });
    }),
  );

  router.get(
    '/volume/:id/data',
    handle((req, res) => sendContent(req, res, state, state.volume(idParam(req)).content)),
  );
  router.get(
    '/snapshot/:id/data',
    handle((req, res) => sendContent(req, res, state, state.snapshot(idParam(req)).content)),
  );

  faultRoutes(router, faults, jsonObject, handle);

  router.get('/settings', (_req, res) => void res.json(state.settings));
  router.post(
    '/settings',
    handle(async (req, res) => {
      const body = await jsonObject(req);
      const next: SimSettings = { ...state.settings };
      for (const [key, value] of Object.entries(body)) {
        if (!(key in next)) throw invalid(`Unknown setting ${key}: use ${Object.keys(next).join(', ')}`);
        if (typeof value !== 'number' || !Number.isInteger(value) || value < (key === 'cloneBytesPerSecond' ? 1 : 0))
          throw invalid(`Setting ${key} must be a non-negative integer`);
        next[key as keyof SimSettings] = value;
      }
      state.settings = next;
      state.changed();
      res.json(state.settings);
    }),
  );
  return router;
}

async function jsonObject(req: Request): Promise<Record<string, unknown>> {
  const text = (await readRaw(req, 64 * 1024)).toString('utf8').trim();
  let body: unknown;
  try {
    body = text === '' ? {} : JSON.parse(text);
  } catch {
    throw invalid('The body is not valid JSON');
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw invalid('The body must be a JSON object');
  return body as Record<string, unknown>;
}
