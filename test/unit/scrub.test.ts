import { scrub } from '../../src/logs/archive';
import { newSessionId } from '../../src/sessions/crypto';

describe('log archive scrubbing', () => {
  it('removes Basic credentials, password fields and session ids', () => {
    const id = newSessionId();
    const line =
      JSON.stringify({
        msg: 'x',
        authorization: 'Basic YWRtaW46c2ltdWxhdG9y',
        password: 'hunter2',
        note: `sid ${id}`,
      }) + ' Basic YWRtaW46c2ltdWxhdG9y';
    const out = scrub(line);
    expect(out).not.toContain('YWRtaW46c2ltdWxhdG9y');
    expect(out).not.toContain('hunter2');
    expect(out).not.toContain(id);
    expect(out).toContain('"msg":"x"');
  });
});
