// A session that names no port reaches the vendor's real API port: 443 for Element, ONTAP and SCP, 8900 for vSnap.
import request from 'supertest';
import { BACKENDS } from '../../plugins';
import { API, type TestPlugin, startTestPlugin } from '../helpers/plugin';

describe('default array ports', () => {
  it('are the vendors’ own: vSnap 8900, Element 443, ONTAP 443, SCP File Storage 443', () => {
    expect(Object.fromEntries(Object.values(BACKENDS).map((b) => [b.name, b.defaultPort]))).toEqual({
      vsnap: 8900,
      element: 443,
      ontap: 443,
      scp: 443,
    });
  });

  describe.each(['element', 'ontap', 'scp'])('%s: POST /session without a port', (name) => {
    let p: TestPlugin | undefined;
    let bound = false;
    beforeAll(async () => {
      // The simulator on the vendor's port when this machine lets us bind it; otherwise nothing listens there.
      try {
        p = await startTestPlugin(name, { simulator: { port: 443, host: '127.0.0.1' } });
        bound = true;
      } catch {
        p = await startTestPlugin(name);
      }
    });
    afterAll(() => p?.close());

    it('goes to port 443 of the array', async () => {
      const res = await request(p!.app)
        .post(`${API}/session`)
        .set('authorization', p!.auth)
        .send({ ipAddress: '127.0.0.1' });
      if (bound) {
        expect(res.status).toBe(201);
        const storage = await p!.get('/storage', res.body.sessionId).expect(200);
        expect(storage.body.port).toBe(443);
      } else {
        // Nothing answers on 443 here: the refusal names the port the plugin tried.
        expect(res.status).toBe(503);
        expect(res.body.error.message).toContain('127.0.0.1:443');
      }
    });
  });
});
