import { decodeSession, encodeSession } from '../../src/sessions/codec';
import { newSessionId, sessionKeyOf, sessionTag } from '../../src/sessions/crypto';
import { randomBytes } from 'node:crypto';

const record = {
  backend: 'vsnap',
  identity: { storageId: 'abc' },
  target: { ipAddress: '127.0.0.1', port: 8900 },
  credentials: { username: 'admin', password: 's3cret-pass' },
  createdAt: 1,
};

describe('session ids and sealed credentials', () => {
  it('makes ids of 256 random bits that never repeat', () => {
    const ids = new Set(Array.from({ length: 1000 }, newSessionId));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(Buffer.from(id, 'base64url')).toHaveLength(32);
  });

  it('stores the credentials encrypted and reads them back with the same key', () => {
    const key = randomBytes(32);
    const raw = encodeSession(record, key, 'k1');
    expect(raw).not.toContain('s3cret-pass');
    expect(raw).not.toContain('admin');
    expect(decodeSession(raw, key, 'k1')).toEqual(record);
  });

  it('cannot be read under another key or moved to another session', () => {
    const key = randomBytes(32);
    const raw = encodeSession(record, key, 'k1');
    expect(decodeSession(raw, randomBytes(32), 'k1')).toBeNull();
    expect(decodeSession(raw, key, 'k2')).toBeNull();
  });

  it('logs a short tag that does not reveal the id', () => {
    const id = newSessionId();
    expect(sessionTag(id)).toHaveLength(10);
    expect(id).not.toContain(sessionTag(id));
    expect(sessionKeyOf(id)).not.toBe(id);
  });
});
