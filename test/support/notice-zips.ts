// Test support (Node). The notice ZIPs e-Gov really sent (the base64 FileData of the recorded
// 公文書取得, コメント通知取得 and 補正通知一覧 answers), and a deflate bomb built without inflating it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import zlib from 'node:zlib';
import { craftZip } from './zip-craft.js';
import { recordedDir } from './paths.js';

export type RecordedNoticeZip = 'officialdocument' | 'comment' | 'amend-notices';

/** The ZIP inside a recorded response's FileData, decoded. */
export function recordedNoticeZip(exchange: RecordedNoticeZip): Buffer {
  const xml = readFileSync(join(recordedDir, exchange, 'response.xml'), 'utf8');
  const data = /<FileData>([^<]*)<\/FileData>/.exec(xml)?.[1];
  if (!data) throw new Error(`no FileData in ${exchange}`);
  return Buffer.from(data.replace(/\s+/g, ''), 'base64');
}

const MiB = 1024 * 1024;

/**
 * A ZIP with one entry `name` whose deflate stream inflates to `mib` MiB of zeros, at about 1 KB
 * per MiB: one sync-flushed block of 1 MiB of zeros repeated (each copy refers only to zeros
 * before it, so the chain is valid deflate), then an empty final block. `declaredSize` is what
 * the headers claim the entry inflates to.
 */
export function zeroBombZip(name: string, mib: number, declaredSize: number): Buffer {
  const block = zlib.deflateRawSync(Buffer.alloc(MiB), { level: 9, finishFlush: zlib.constants.Z_SYNC_FLUSH });
  const body = Buffer.concat([...Array.from({ length: mib }, () => block), Buffer.from([0x03, 0x00])]);
  // stored by craftZip (so the body goes in as is), then marked deflate in both headers
  const zip = craftZip([{ name, data: body, method: 0, uncompressedSizeOverride: declaredSize, crcOverride: 0 }]);
  zip.writeUInt16LE(8, 8);
  const central = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), 30 + body.length);
  zip.writeUInt16LE(8, central + 10);
  return zip;
}
