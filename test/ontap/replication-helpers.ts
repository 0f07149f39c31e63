// Test helpers for SnapMirror: two ONTAP simulators peered through the REST API, a protected volume, and a transfer
// followed to its end.
import { pairSimulators, peerSvmAlias } from '../../simulators/ontap/pairing';
import { type Json, MiB, type TestSim, startSim, uniq } from './sim-helpers';

export interface Pair {
  src: TestSim;
  dst: TestSim;
  /** The destination's local name of the source's svm1 (its own SVM is svm1 too); found when not given. */
  srcSvm?: string;
  close(): Promise<void>;
}

export async function startPair(srcOptions: Parameters<typeof startSim>[0] = {}): Promise<Pair> {
  const [src, dst] = await Promise.all([startSim(srcOptions), startSim()]);
  await pairSimulators(src.url, dst.url);
  return {
    src,
    dst,
    srcSvm: await sourceSvm({ src, dst }),
    close: () => Promise.all([src.close(), dst.close()]).then(() => undefined),
  };
}

/** What the destination calls the source's svm1: itself within one cluster, else the local name pairing gave it. */
export const sourceSvm = async (pair: { src: TestSim; dst: TestSim; srcSvm?: string }): Promise<string> =>
  pair.srcSvm ?? (pair.src === pair.dst ? 'svm1' : peerSvmAlias('svm1', await clusterName(pair.src)));

export const clusterName = async (sim: TestSim): Promise<string> =>
  (await sim.get('/api/cluster?fields=name')).body.name;

/**
 * A source volume with content in its file `data`, a DP volume of the same name on the destination, and a relationship
 * between them (not initialized).
 */
export async function relationship(
  pair: Pair,
  policy = 'XDPDefault',
  data: Buffer<ArrayBufferLike> = Buffer.alloc(0),
): Promise<{ rel: string; srcVol: string; dstVol: string; name: string }> {
  const name = uniq('sm');
  const srcVol = await pair.src.volume(name);
  if (data.length) await pair.src.write(srcVol, 'data', data);
  const dstVol = await pair.dst.volume(name, { type: 'dp' });
  const res = await pair.dst.done('POST', '/api/snapmirror/relationships?return_records=true', {
    source: { path: `${await sourceSvm(pair)}:${name}` },
    destination: { path: `svm1:${name}` },
    policy: { name: policy },
  });
  return { rel: res.body.records[0].uuid, srcVol, dstVol, name };
}

/** Polls a transfer (on `sim`) until it is no longer queued or transferring; answers every record seen. */
export async function follow(sim: TestSim, rel: string, transfer: string, timeoutMs = 20_000): Promise<Json[]> {
  const seen: Json[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const t = (await sim.get(`/api/snapmirror/relationships/${rel}/transfers/${transfer}`)).body;
    seen.push(t);
    if (t.state !== 'queued' && t.state !== 'transferring') return seen;
    if (Date.now() > deadline) throw new Error(`transfer still ${t.state}: ${JSON.stringify(t)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Starts a transfer on the destination; answers its uuid. */
export async function transfer(pair: Pair, rel: string, body: Json = {}): Promise<string> {
  const res = await pair.dst.done('POST', `/api/snapmirror/relationships/${rel}/transfers?return_records=true`, body);
  return res.body.records[0].uuid;
}

/** Waits for the relationship (on the destination) to reach `state` with no transfer running. */
export async function settled(pair: Pair, rel: string, state = 'snapmirrored'): Promise<Json> {
  for (let i = 0; i < 1000; i++) {
    const r = (await pair.dst.get(`/api/snapmirror/relationships/${rel}?fields=*`)).body;
    if (r.state === state && !['queued', 'transferring'].includes(r.transfer?.state)) return r;
    await new Promise((res) => setTimeout(res, 20));
  }
  throw new Error(`relationship ${rel} did not become ${state}`);
}

export { MiB };
