/** The log file rotates at LOG_MAX_SIZE and keeps LOG_MAX_FILES files, losing no line at a rotation. */
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLoggers } from '../../src/logs/logger';

describe('log rotation', () => {
  it('rotates at the size, keeps the count, and the kept files hold the newest lines without a gap', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cdm-rotation-'));
    const MAX = 64 * 1024;
    const { logger } = createLoggers({ dir, level: 'info', stdout: false, maxBytes: MAX, maxFiles: 3 });
    const LINES = 3000; // about 150 bytes each: some 450 KiB, seven rotations
    for (let i = 0; i < LINES; i++) {
      logger.info({ n: i }, 'a line of some length to fill the log file with, and then some more words');
      // Let the file destination write and reopen now and then, as a running plugin does between requests.
      if (i % 200 === 0) await new Promise((r) => setImmediate(r));
    }
    await new Promise<void>((r) => logger.flush(() => r()));
    await new Promise((r) => setTimeout(r, 300));

    expect(readdirSync(dir).sort()).toEqual(['plugin.log', 'plugin.log.1', 'plugin.log.2']);
    for (const name of ['plugin.log.1', 'plugin.log.2']) {
      const size = statSync(path.join(dir, name)).size;
      // Rotated once it reached the size; what was still buffered (4 KiB at most) went to the next file.
      expect(size).toBeGreaterThanOrEqual(MAX - 4096);
      expect(size).toBeLessThan(MAX + 8192);
    }
    const numbers = ['plugin.log.2', 'plugin.log.1', 'plugin.log'].flatMap((name) =>
      readFileSync(path.join(dir, name), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => (JSON.parse(l) as { n: number }).n),
    );
    // The newest line is the last one kept, and the kept lines follow each other without a gap.
    expect(numbers[numbers.length - 1]).toBe(LINES - 1);
    expect(numbers).toEqual(numbers.map((_, i) => numbers[0] + i));
    expect(numbers[0]).toBeGreaterThan(0);
  });
});
