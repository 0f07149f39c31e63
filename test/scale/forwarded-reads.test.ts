/**
 * Forwarded reads keep what changes rarely in a per-array memo; a change made through the plugin drops it, so the
 * very next read sees the change. Element holds the running copy jobs: a clone made through the plugin right after a
 * read must be reported as still copying (split ANY_TIME), not from the jobs held before it.
 */
import { type TestPlugin, startTestPlugin, uniq } from '../helpers/plugin';

describe('element: a change through the plugin is seen by the very next read', () => {
  let p: TestPlugin;
  let sid: string;

  beforeAll(async () => {
    // Copies take long enough to be seen running.
    p = await startTestPlugin('element', { simulator: { settings: { cloneMinMs: 3000 } } as object });
    sid = await p.login();
  }, 60_000);
  afterAll(() => p?.close());

  it('a clone made right after a read is read as still copying', async () => {
    const vol = (id: string) => `/server/${p.fixture.serverId}/volume/${id}`;
    const v = await p.fixture.createVolume({ name: uniq('memo'), type: 'lun', sizeBytes: 1 << 20 });
    const snap = await p.post(`${vol(v.id)}/snapshot`, sid, { name: uniq('snap') }).expect(201);
    // Two reads: the second is served from what the first left in the memo (no copy running then).
    for (let i = 0; i < 2; i++)
      expect((await p.get(vol(v.id), sid).expect(200)).body.supports.split).toBe('NOT_NEEDED');
    const clone = await p
      .post(`${vol(v.id)}?action=clone`, sid, { snapshot: { id: snap.body.id }, name: uniq('clone') })
      .expect(200);
    const read = await p.get(vol(clone.body.id), sid).expect(200);
    expect(read.body.supports.split).toBe('ANY_TIME');
    // And the source volume, read again, is still there with its own state.
    expect((await p.get(vol(v.id), sid).expect(200)).body.id).toBe(v.id);
  });

  it('a volume deleted through the plugin is gone on the very next read, however recently it was listed', async () => {
    const vol = (id: string) => `/server/${p.fixture.serverId}/volume/${id}`;
    const v = await p.fixture.createVolume({ name: uniq('gone'), type: 'lun', sizeBytes: 1 << 20 });
    await p.get(`/server/${p.fixture.serverId}/volume`, sid).expect(200);
    await p.get(vol(v.id), sid).expect(200);
    await p.del(vol(v.id), sid).expect(200);
    await p.get(vol(v.id), sid).expect(404);
  });
});
