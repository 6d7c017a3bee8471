// Test support (Node). A tiny ZIP writer for crafting exactly the bytes a test needs: names in any
// encoding (CP932 without the UTF-8 flag), any flag bits, Unix modes (symlinks), lying sizes. Not the
// app's ZIP writer (src/main/application/zip-writer.ts); only tests use this.
import { crc32, deflateRawSync } from 'node:zlib';

export interface CraftEntry {
  /** the name bytes as stored (a string is written as UTF-8) */
  name: string | Buffer;
  data?: Buffer | string;
  /** 0 stored, 8 deflate (default 8 for files, 0 for names ending in '/') */
  method?: number;
  /** general-purpose flag bits (bit 0 encrypted, bit 11 UTF-8); default 0x800 for non-ASCII string names */
  flags?: number;
  /** Unix mode in the high 16 bits of the external attributes, e.g. 0o120777 for a symlink */
  unixMode?: number;
  /** header values written instead of the true ones */
  uncompressedSizeOverride?: number;
  crcOverride?: number;
}

function dosTime(): { time: number; date: number } {
  return { time: (12 << 11) | (0 << 5), date: ((2015 - 1980) << 9) | (4 << 5) | 22 };
}

export function craftZip(entries: readonly CraftEntry[], options: { comment?: string } = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  const { time, date } = dosTime();
  for (const e of entries) {
    const name = typeof e.name === 'string' ? Buffer.from(e.name, 'utf8') : e.name;
    const nonAscii = typeof e.name === 'string' && /[^\x20-\x7e]/.test(e.name);
    const flags = e.flags ?? (nonAscii ? 0x800 : 0);
    const raw = typeof e.data === 'string' ? Buffer.from(e.data, 'utf8') : (e.data ?? Buffer.alloc(0));
    const isDir = name[name.length - 1] === 0x2f;
    const method = e.method ?? (isDir ? 0 : 8);
    const body = method === 8 ? deflateRawSync(raw) : raw;
    const crc = e.crcOverride ?? crc32(raw) >>> 0;
    const usize = e.uncompressedSizeOverride ?? raw.length;
    const mode = e.unixMode ?? (isDir ? 0o040755 : 0o100644);

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(usize, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, name, body);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by Unix
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(time, 12);
    central.writeUInt16LE(date, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(usize, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE((mode << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const comment = Buffer.from(options.comment ?? '', 'utf8');
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(entries.length, 8);
  eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  eocd.writeUInt16LE(comment.length, 20);
  return Buffer.concat([...locals, cd, eocd, comment]);
}

/** CP932 bytes of a string, from the Shift_JIS decoder (tests only: slow, but needs no table). */
export function encodeCp932(text: string): Buffer {
  const decoder = new TextDecoder('shift_jis');
  const out: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) {
      out.push(cp);
      continue;
    }
    let found = false;
    for (let lead = 0x81; lead <= 0xfc && !found; lead++) {
      if (lead > 0x9f && lead < 0xe0) continue;
      for (let trail = 0x40; trail <= 0xfc; trail++) {
        if (decoder.decode(Uint8Array.of(lead, trail)) === ch) {
          out.push(lead, trail);
          found = true;
          break;
        }
      }
    }
    if (!found) throw new Error(`not in CP932: ${ch}`);
  }
  return Buffer.from(out);
}
