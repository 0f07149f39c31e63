// The state file: loaded at start, saved after every change, so the appliance survives a restart.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startVsnapSimulator } from '../../simulators/vsnap/server';
import { BLOCK, MiB, TestSim, fill, startTestSim } from './sim-helpers';

describe('vSnap simulator: persistence', () => {
  let dir: string;
  let stateFile: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vsnap-sim-'));
    stateFile = join(dir, 'state', 'vsnap.json');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('volumes, snapshots, clones, shares, mappings and content survive a restart', async () => {
    const first = await startTestSim({ stateFile, poolSizeBytes: 16 * MiB });
    const fs = await first.createVolume('kept');
    await first.write(fs.id, 'version one');
    const snap = await first.snapshot(fs.id, 'v1');
    await first.write(fs.id, 'version two');
    const clone = await first.must('POST', '/api/volume', { name: 'kept_clone', snapshot_id: snap.id });
    const share = await first.must('POST', `/api/volume/${fs.id}/share`, {
      share_type: 'nfs',
      share_options: { allowed_hosts: ['all'] },
    });
    const lun = await first.createLun('lun', MiB);
    const host = await first.must('POST', '/api/host', { name: 'h', iqns: ['iqn.1994-05.com.redhat:h'] });
    await first.must('POST', `/api/host/${host.id}`, { action: 'map', vol_id: lun.id });
    const volumesBefore = await first.ok('/api/volume');
    const poolBefore = await first.ok('/api/pool/1');
    const serial = (await first.ok(`/api/volume/${fs.id}`)).serial;
    await first.close();

    const second = await startTestSim({ stateFile, poolSizeBytes: 999 }); // seeding options no longer matter
    try {
      expect(await second.ok('/api/volume')).toEqual(volumesBefore);
      expect(await second.ok('/api/pool/1')).toEqual(poolBefore);
      expect((await second.ok(`/api/volume/${fs.id}`)).serial).toBe(serial);
      expect((await second.read('volume', fs.id)).toString()).toBe('version two');
      expect((await second.read('snapshot', snap.id)).toString()).toBe('version one');
      expect((await second.read('volume', clone.id)).toString()).toBe('version one');
      expect((await second.ok(`/api/snapshot/${snap.id}`)).has_clones).toBe(true);
      expect((await second.ok(`/api/share/${share.id}`)).share_options.allowed_hosts).toEqual(['all']);
      expect((await second.ok(`/api/host/${host.id}`)).mapped_luns).toEqual([{ lun: '0', vol_id: lun.id }]);
      const next = await second.createVolume('after_restart');
      expect(Number(next.id)).toBeGreaterThan(Number(lun.id)); // counters survive too
    } finally {
      await second.close();
    }
  });

  it('every change is saved at once, not only at close', async () => {
    const sim = await startTestSim({ stateFile });
    try {
      await sim.createVolume('eager');
      const saved = JSON.parse(readFileSync(stateFile, 'utf8'));
      expect(saved.volumes.map((v: { name: string }) => v.name)).toContain('eager');
      expect(readdirSync(join(dir, 'state'))).toEqual(['vsnap.json']); // the temp file was renamed away
    } finally {
      await sim.close();
    }
  });

  it('a block shared by the volume, its snapshot and a clone is stored once', async () => {
    const sim = await startTestSim({ stateFile, poolSizeBytes: 16 * MiB });
    try {
      const fs = await sim.createVolume('fs');
      await sim.write(fs.id, fill(4 * BLOCK, 1));
      const snap = await sim.snapshot(fs.id);
      await sim.must('POST', '/api/volume', { name: 'clone', snapshot_id: snap.id });
      const saved = JSON.parse(readFileSync(stateFile, 'utf8'));
      expect(Object.keys(saved.pools[0].store.blocks)).toHaveLength(4);
    } finally {
      await sim.close();
    }
  });

  it('space accounting is the same after a restart', async () => {
    const first = await startTestSim({ stateFile, poolSizeBytes: 16 * MiB });
    const fs = await first.createVolume('fs');
    await first.write(fs.id, fill(8 * BLOCK, 1));
    const snap = await first.snapshot(fs.id);
    await first.write(fs.id, fill(3 * BLOCK, 2));
    await first.close();
    const second = await startTestSim({ stateFile });
    try {
      expect((await second.pool()).used).toBe(11 * BLOCK);
      expect((await second.ok(`/api/snapshot/${snap.id}`)).size_used).toBe(String(3 * BLOCK));
      await second.must('DELETE', `/api/snapshot/${snap.id}`);
      expect((await second.pool()).used).toBe(8 * BLOCK);
    } finally {
      await second.close();
    }
  });

  it('an empty state file is seeded; a corrupt one stops the start instead of being wiped', async () => {
    const file = join(dir, 'empty.json');
    writeFileSync(file, '');
    const seeded = await startTestSim({ stateFile: file, demo: true });
    expect((await seeded.ok('/api/volume?name=demo_fs1')).name).toBe('demo_fs1');
    await seeded.close();

    const corrupt = join(dir, 'corrupt.json');
    writeFileSync(corrupt, '{"format": "vsnap-simulator-state/1", "pools": [');
    await expect(startVsnapSimulator({ port: 0, stateFile: corrupt })).rejects.toThrow(
      /Cannot load vSnap simulator state/,
    );
    expect(readFileSync(corrupt, 'utf8')).toContain('"pools": [');
  });

  it('without a state file nothing is written', async () => {
    const sim: TestSim = await startTestSim();
    await sim.createVolume('memory_only');
    await sim.close();
    expect(existsSync(stateFile)).toBe(false);
  });
});
