// Test helpers for vSnap replication: two (or more) simulators on loopback, paired through POST /api/partner.
import { type Reply, TestSim, startTestSim } from './sim-helpers';
import type { VsnapSimulatorOptions } from '../../simulators/vsnap/server';

export const partnerBody = (remote: TestSim, extra: Record<string, unknown> = {}) => ({
  remote_addr: '127.0.0.1',
  remote_api_port: String(remote.sim.port),
  remote_user: 'admin',
  remote_pass: 'simulator',
  ...extra,
});

export interface Pair {
  a: TestSim;
  b: TestSim;
  /** B's id, as A knows its partner. */
  bId: string;
  aId: string;
  close(): Promise<void>;
}

/** A primary `a` paired with a secondary `b` (fresh appliances, one empty pool each). */
export async function pairedSims(
  aOptions: VsnapSimulatorOptions = {},
  bOptions: VsnapSimulatorOptions = {},
): Promise<Pair> {
  const a = await startTestSim(aOptions);
  const b = await startTestSim(bOptions);
  const partner = await a.must('POST', '/api/partner', partnerBody(b));
  const aId = (await a.ok('/api/system')).id as string;
  return { a, b, bId: partner.id, aId, close: async () => void (await Promise.allSettled([a.close(), b.close()])) };
}

/** A volume on `sim` holding `data`. */
export async function volumeWith(
  sim: TestSim,
  name: string,
  data: Buffer,
  extra: Record<string, unknown> = {},
): Promise<{ id: string; name: string }> {
  const vol = await sim.createVolume(name, extra);
  if (data.length > 0) {
    const w = await sim.write(vol.id, data);
    if (w.status !== 200) throw new Error(`write: ${w.status} ${w.text}`);
  }
  return vol;
}

/** Polls GET /api/session/<id> until the session is COMPLETED or FAILED; answers every status seen. */
export async function settle(sim: TestSim, sessionId: string, timeoutMs = 20_000): Promise<Reply['body'][]> {
  const seen: Reply['body'][] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await sim.ok(`/api/session/${sessionId}`);
    seen.push(s);
    if (s.status === 'COMPLETED' || s.status === 'FAILED') return seen;
    if (Date.now() > deadline) throw new Error(`session ${sessionId} still ${s.status}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Polls until `pred` holds for the session. */
export async function until(
  sim: TestSim,
  sessionId: string,
  pred: (s: Reply['body']) => boolean,
  timeoutMs = 10_000,
): Promise<Reply['body']> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await sim.ok(`/api/session/${sessionId}`);
    if (pred(s)) return s;
    if (Date.now() > deadline) throw new Error(`session ${sessionId}: condition not met, last ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The snapshot named `name` of volume `volId` on `sim`. */
export async function snapshotNamed(
  sim: TestSim,
  volId: string,
  name: string,
): Promise<{ id: string; name: string } | undefined> {
  const { snapshots } = await sim.ok(`/api/volume/${volId}/snapshot`);
  return (snapshots as { id: string; name: string }[]).find((s) => s.name === name);
}
