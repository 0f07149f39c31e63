/**
 * Proof by content: distinct payloads of one length, and a comparison that tolerates fixtures returning the whole
 * (zero-padded) volume.
 */
import { randomBytes } from 'node:crypto';
import { eventually, fail } from '../check';
import { type SuiteContext, enc } from '../context';

/** Equal lengths, so "write B over A" leaves exactly B whatever the array's write semantics. */
export const payload = (): Buffer => randomBytes(48 * 1024);

/** True when `got` starts with `want` and holds nothing but zeros after it. */
export function holds(got: Buffer, want: Buffer): boolean {
  if (got.length < want.length || !got.subarray(0, want.length).equals(want)) return false;
  for (let i = want.length; i < got.length; i++) if (got[i] !== 0) return false;
  return true;
}

/** Where two contents first differ, for the failure message. */
function firstByteDiff(got: Buffer, want: Buffer): string {
  for (let i = 0; i < Math.min(got.length, want.length); i++) if (got[i] !== want[i]) return `byte ${i}`;
  return got.length < want.length ? `length ${got.length} < ${want.length}` : `byte ${want.length} (trailing data)`;
}

/** Fails unless the volume holds `want` (clones and copies may settle asynchronously, so it polls). */
export async function expectVolumeHolds(
  ctx: SuiteContext,
  volumeId: string,
  want: Buffer,
  what: string,
): Promise<void> {
  const fixture = ctx.needFixture(what);
  let last: Buffer = Buffer.alloc(0);
  try {
    await eventually(
      what,
      async () => {
        last = await fixture.read(volumeId);
        return holds(last, want) ? true : undefined;
      },
      10_000,
    );
  } catch {
    fail(
      `${what}: volume ${volumeId} does not hold the expected content (first difference at ${firstByteDiff(last, want)})`,
    );
  }
}

export async function expectSnapshotHolds(
  ctx: SuiteContext,
  volumeId: string,
  snapshotId: string,
  want: Buffer,
  what: string,
): Promise<void> {
  const got = await ctx.needFixture(what).readSnapshot(volumeId, snapshotId);
  if (!holds(got, want))
    fail(
      `${what}: snapshot ${snapshotId} of volume ${volumeId} does not hold the expected content (first difference at ${firstByteDiff(got, want)})`,
    );
}

/** The path of a volume of the suite's server. */
export const vol = (ctx: SuiteContext, id: string) => `${ctx.srv}/volume/${enc(id)}`;

/** A fixture volume that held A when its snapshot was taken and holds B now. */
export async function sourceWithSnapshot(ctx: SuiteContext, purpose: string) {
  const A = payload();
  const B = payload();
  const volumeId = await ctx.scratchVolume(purpose, 'filesystem', A);
  const snap = await ctx.snapshot(volumeId);
  await ctx.needFixture(purpose).write(volumeId, B);
  return { volumeId, snap, A, B };
}
