// Sandbox (Node). A notice's ZIP as e-Gov packs it (REFERENCE §7.1: Java ZipOutputStream with MS932):
// deflate, general-purpose flag 0x0008 with a data descriptor after each entry, version made by 2.0 /
// MS-DOS, no extra fields, entry names in CP932 without the UTF-8 flag, every entry timed at the
// request (JST). Built fresh on every GET. The writer is the one the client packs its 申請データ with
// (src/main/application/zip-writer.ts); a stream source is what makes it write data descriptors.
import { Readable } from 'node:stream';
import { ZipWriter } from '../../main/application/zip-writer.js';
import type { NoticeFile } from '../state/notice-store.js';

export async function packNoticeZip(files: readonly NoticeFile[], at: Date): Promise<Buffer> {
  const zip = new ZipWriter(undefined, { method: 'deflate', mtime: at });
  for (const f of files) await zip.addFile(f.name, Readable.from([f.content], { objectMode: false }));
  return (await zip.finishToBuffer()).zip;
}
