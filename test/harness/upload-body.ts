// Harness page (browser) and tests (Node). The body of an upload to the harness (upload.ts has the
// protocol): a u32 big-endian manifest length, the manifest, then the files, as parts of a Blob.
// No Node imports: it is bundled into the page's bridge script.

export const UPLOAD_PATH = '/__harness/upload';
export const UPLOAD_TOKEN_HEADER = 'x-todoke-token';

/** The body the page sends for `files` (client.ts), as parts of a Blob: the header, the manifest, the files. */
export function uploadParts<F extends { name: string; size: number; webkitRelativePath?: string }>(files: readonly F[]): [Uint8Array, Uint8Array, ...F[]] {
  const manifest = new TextEncoder().encode(JSON.stringify({ files: files.map((f) => ({ path: f.webkitRelativePath || f.name, size: f.size })) }));
  const header = new Uint8Array(4);
  new DataView(header.buffer).setUint32(0, manifest.length, false);
  return [header, manifest, ...files];
}
