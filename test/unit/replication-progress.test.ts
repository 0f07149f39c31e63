/** The get-Progress answer every backend builds from its array's transfer facts, and the simulators' paced transfer. */
import { replicationStatus } from '../../plugins/shared/replication';
import { pacedTransfer } from '../../simulators/shared/transfer';

const base = { name: 's1', creationTime: 1_000, startTime: 10_000, endTime: null, total: 1000, message: null };

describe('replicationStatus', () => {
  it('reports a running transfer with its average rate and the time left at that rate', () => {
    const s = replicationStatus({ ...base, state: 'transferring', transferred: 250 }, 15_000).snapshotReplicationStatus;
    expect(s).toMatchObject({
      inProgress: true,
      isCompleted: false,
      percentComplete: 25,
      transferRate: 50,
      transferred: 250,
      totalSizeToBeSynchronized: 1000,
      estimatedSyncTime: 15,
      completeTime: null,
      state: 'transferring',
    });
  });

  it('reports a completed transfer as 100% with its end time, whatever the total said', () => {
    const s = replicationStatus(
      { ...base, state: 'completed', transferred: 1200, total: 0, endTime: 12_000 },
      99_000,
    ).snapshotReplicationStatus;
    expect(s).toMatchObject({
      inProgress: false,
      isCompleted: true,
      percentComplete: 100,
      completeTime: 12_000,
      transferred: 1200,
      totalSizeToBeSynchronized: 1200,
      estimatedSyncTime: 0,
      transferRate: 600,
    });
  });

  it('reports a failed transfer as neither running nor complete, with the array message', () => {
    const s = replicationStatus(
      { ...base, state: 'failed', transferred: 400, endTime: 14_000, message: 'partner unreachable' },
      20_000,
    ).snapshotReplicationStatus;
    expect(s).toMatchObject({
      inProgress: false,
      isCompleted: false,
      completeTime: null,
      percentComplete: 40,
      estimatedSyncTime: 0,
      state: 'failed',
      message: 'partner unreachable',
    });
  });

  it('reports a queued transfer with nothing known yet as 0% without dividing by zero', () => {
    const s = replicationStatus({
      ...base,
      state: 'queued',
      transferred: 0,
      total: 0,
      startTime: null,
    }).snapshotReplicationStatus;
    expect(s).toMatchObject({
      inProgress: true,
      percentComplete: 0,
      transferRate: 0,
      estimatedSyncTime: 0,
      startTime: null,
    });
  });
});

describe('pacedTransfer', () => {
  it('sends every byte in order, in chunks, reporting progress after each', async () => {
    const content = Buffer.from(Array.from({ length: 10_000 }, (_, i) => i % 251));
    const received = Buffer.alloc(content.length);
    const progress: number[] = [];
    await pacedTransfer({
      content,
      rate: 1e9,
      chunkSize: 3000,
      signal: new AbortController().signal,
      send: async (off, chunk) => void chunk.copy(received, off),
      onProgress: (n) => progress.push(n),
    });
    expect(received.equals(content)).toBe(true);
    expect(progress).toEqual([3000, 6000, 9000, 10_000]);
  });

  it('holds the rate: 4 chunks at 2 chunks a second take at least 1.5 s of pacing', async () => {
    const sleeps: number[] = [];
    const started = Date.now();
    await pacedTransfer({
      content: Buffer.alloc(400),
      rate: 200,
      chunkSize: 100,
      signal: new AbortController().signal,
      send: async () => undefined,
      onProgress: () => sleeps.push(Date.now() - started),
    });
    // After the last chunk the pace is due at 2 s; the last progress comes after 1.5 s of pacing.
    expect(sleeps[3]).toBeGreaterThanOrEqual(1400);
  });

  it('stops at once when aborted and when the partner refuses a chunk', async () => {
    const ac = new AbortController();
    let sends = 0;
    const run = pacedTransfer({
      content: Buffer.alloc(1000),
      rate: 100,
      chunkSize: 100,
      signal: ac.signal,
      send: async () => void sends++,
      onProgress: () => undefined,
    });
    setTimeout(() => ac.abort(new Error('Canceled')), 50);
    await expect(run).rejects.toThrow('Canceled');
    expect(sends).toBeLessThan(10);
    await expect(
      pacedTransfer({
        content: Buffer.alloc(10),
        rate: 1e9,
        signal: new AbortController().signal,
        send: async () => Promise.reject(new Error('partner gone')),
        onProgress: () => undefined,
      }),
    ).rejects.toThrow('partner gone');
  });
});
