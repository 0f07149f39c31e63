// Fault controls: what a client sees when the appliance is slow, fails, drops, hangs or garbles its answers.
import { TestSim, expectError, startTestSim } from './sim-helpers';

describe('vSnap simulator: fault controls', () => {
  let sim: TestSim;
  beforeEach(async () => {
    sim = await startTestSim();
  });
  afterEach(() => sim.close());

  it('GET /sim/faults shows the settings, POST merges them, DELETE clears them', async () => {
    expect(await sim.ok('/sim/faults')).toEqual({
      latencyMs: 0,
      failNext: 0,
      failStatus: 500,
      dropNext: 0,
      hangNext: 0,
      garbleNext: 0,
      onlyMethod: '',
      replicationRate: 0,
    });
    await sim.must('POST', '/sim/faults', { failNext: 2 });
    expect(await sim.must('POST', '/sim/faults', { latencyMs: 5 })).toMatchObject({ failNext: 2, latencyMs: 5 });
    expect(await sim.must('DELETE', '/sim/faults')).toMatchObject({ failNext: 0, latencyMs: 0 });
  });

  it('bad fault settings answer 400', async () => {
    expectError(await sim.post('/sim/faults', { failNext: -1 }), 400, 'InvalidParameterError');
    expectError(await sim.post('/sim/faults', { explode: 1 }), 400, 'InvalidParameterError');
    expectError(await sim.post('/sim/faults', { failStatus: 200 }), 400, 'InvalidParameterError');
    expectError(await sim.post('/sim/faults', { onlyMethod: 'PO ST' }), 400, 'InvalidParameterError');
  });

  it('onlyMethod aims the counted faults at one HTTP method: other calls pass untouched', async () => {
    await sim.must('POST', '/sim/faults', { failNext: 1, onlyMethod: 'post' });
    expect((await sim.get('/api/pool')).status).toBe(200);
    expect((await sim.post('/api/volume', { name: 'x', volume_type: 'filesystem', pool_id: '1' })).status).toBe(500);
    expect((await sim.post('/api/volume', { name: 'x', volume_type: 'filesystem', pool_id: '1' })).status).toBe(200);
  });

  it('failNext makes the next N /api calls answer 500 InternalError without doing anything, then calls succeed', async () => {
    await sim.must('POST', '/sim/faults', { failNext: 2 });
    expectError(await sim.post('/api/host', { name: 'first-try' }), 500, 'InternalError');
    expectError(await sim.get('/api/system'), 500, 'InternalError');
    expect((await sim.get('/api/system')).status).toBe(200);
    expect((await sim.ok('/api/host')).total).toBe('0'); // the failed create did not happen
    expect((await sim.ok('/sim/faults')).failNext).toBe(0);
  });

  it('failStatus picks the status and its error type', async () => {
    await sim.must('POST', '/sim/faults', { failNext: 1, failStatus: 503 });
    expectError(await sim.get('/api/system'), 503, 'InternalError');
    await sim.must('POST', '/sim/faults', { failNext: 1, failStatus: 409 });
    expect((await sim.get('/api/system')).status).toBe(409);
  });

  it('faults apply to /api only: the /sim routes keep working', async () => {
    await sim.must('POST', '/sim/faults', { failNext: 1 });
    expect((await sim.get('/sim/faults')).status).toBe(200);
    expect((await sim.get('/sim/health')).status).toBe(200);
    expectError(await sim.get('/api/system'), 500, 'InternalError');
  });

  it('latencyMs delays every /api call', async () => {
    await sim.must('POST', '/sim/faults', { latencyMs: 150 });
    const started = Date.now();
    expect((await sim.get('/api/system')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    await sim.must('DELETE', '/sim/faults');
    const quick = Date.now();
    await sim.get('/api/system');
    expect(Date.now() - quick).toBeLessThan(140);
  });

  it('dropNext closes the connection without an answer, and the next call works', async () => {
    await sim.must('POST', '/sim/faults', { dropNext: 1 });
    await expect(sim.post('/api/host', { name: 'dropped' })).rejects.toThrow(/socket|closed|terminated/i);
    expect((await sim.ok('/api/host')).total).toBe('0');
  });

  it('garbleNext carries the call out, then answers 200 with JSON that does not parse', async () => {
    await sim.must('POST', '/sim/faults', { garbleNext: 1 });
    const reply = await sim.post('/api/host', { name: 'garbled' });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toMatch(/application\/json/);
    expect(() => JSON.parse(reply.text)).toThrow();
    expect(reply.text.startsWith('{')).toBe(true);
    expect((await sim.ok('/api/host?name=garbled')).name).toBe('garbled'); // a blind retry would now be a 409
    expectError(await sim.post('/api/host', { name: 'garbled' }), 409, 'ObjectExistsError');
  });

  it('an error answer is garbled too', async () => {
    await sim.must('POST', '/sim/faults', { garbleNext: 1 });
    const reply = await sim.get('/api/volume/999');
    expect(reply.status).toBe(200);
    expect(() => JSON.parse(reply.text)).toThrow();
  });

  it('hangNext never answers: the client times out, and close() still ends the hung connection', async () => {
    await sim.must('POST', '/sim/faults', { hangNext: 1 });
    await expect(sim.get('/api/system', { headersTimeout: 200 })).rejects.toThrow(/timeout/i);
    expect((await sim.get('/api/system')).status).toBe(200);
  });
});
