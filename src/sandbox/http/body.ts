// Sandbox (Node). Reads a request body up to a limit. Past the limit nothing more is kept in
// memory: the caller answers 413 at once, and the rest of the upload is drained (up to a hard cap,
// then the socket is cut) so that an ordinary client still gets to read that answer.
import type { IncomingMessage } from 'node:http';

export type BodyResult = { kind: 'ok'; body: Buffer } | { kind: 'tooLarge'; limit: number } | { kind: 'aborted' };

/** How much of an oversized upload is read and thrown away before the connection is closed. */
const DRAIN_CAP_BYTES = 16 * 1024 * 1024;

export function readBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      drain(req);
      resolve({ kind: 'tooLarge', limit });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        done = true;
        chunks.length = 0;
        req.off('data', onData);
        drain(req);
        resolve({ kind: 'tooLarge', limit });
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => {
      if (!done) {
        done = true;
        resolve({ kind: 'ok', body: Buffer.concat(chunks, size) });
      }
    });
    req.on('error', () => {
      if (!done) {
        done = true;
        resolve({ kind: 'aborted' });
      }
    });
    req.on('close', () => {
      if (!done) {
        done = true;
        resolve({ kind: 'aborted' });
      }
    });
  });
}

function drain(req: IncomingMessage): void {
  let drained = 0;
  req.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > DRAIN_CAP_BYTES) req.socket.destroy();
  });
  req.on('error', () => undefined);
  req.resume();
}
