/** Reads the entries of a zip (stored or deflated) from its central directory: enough for the plugin's log archive. */
import { inflateRawSync } from 'node:zlib';

export function unzipEntries(zip: Buffer): Record<string, Buffer> {
  const files: Record<string, Buffer> = {};
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  let p = zip.readUInt32LE(eocd + 16);
  const count = zip.readUInt16LE(eocd + 10);
  for (let i = 0; i < count; i++) {
    const method = zip.readUInt16LE(p + 10);
    const size = zip.readUInt32LE(p + 20);
    const nameLen = zip.readUInt16LE(p + 28);
    const extra = zip.readUInt16LE(p + 30);
    const comment = zip.readUInt16LE(p + 32);
    const local = zip.readUInt32LE(p + 42);
    const name = zip.subarray(p + 46, p + 46 + nameLen).toString();
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(start, start + size);
    files[name] = method === 8 ? inflateRawSync(data) : data;
    p += 46 + nameLen + extra + comment;
  }
  return files;
}

/** The entries as text. */
export function unzip(zip: Buffer): Record<string, string> {
  return Object.fromEntries(Object.entries(unzipEntries(zip)).map(([k, v]) => [k, v.toString()]));
}
