// Main process (CLI host). Certificate-sized files named on the command line (--ca, --trust, the
// FILE of cert add / delete, --old): checked for size before they are read, so a wrong path to a
// huge file costs nothing, and reported with the path as it was typed.
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { SigningError } from '../signing/errors.js';
import { MAX_CERTIFICATE_FILE_BYTES } from '../../shared/contract.js';
import type { CliIo } from './io.js';
import { shown } from './shown.js';

/** Reads `path` (relative to the working folder): a regular file of at most 1 MiB, not empty. `what` names it in messages. */
export async function readSmallFile(io: CliIo, path: string, what: string): Promise<Buffer> {
  const full = resolve(io.cwd, path);
  let size: number;
  try {
    const info = await stat(full);
    if (!info.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'EISDIR' });
    size = info.size;
  } catch (cause) {
    const missing = (cause as NodeJS.ErrnoException).code === 'ENOENT';
    throw new SigningError(
      'CERT_FILE_UNREADABLE',
      {
        ja: missing ? `${what}「${shown(path)}」が見つかりません。パスを確かめてください。` : `${what}「${shown(path)}」を読み込めませんでした。ファイルか、読み取り権限があるかを確かめてください。`,
        en: `cannot read ${full}`,
      },
      { cause, detail: { path: full } },
    );
  }
  if (size > MAX_CERTIFICATE_FILE_BYTES) {
    throw new SigningError('CERT_FORMAT', {
      ja: `${what}「${shown(path)}」は大きすぎます（上限 1 MiB）。証明書のファイル（.pem / .cer / .crt / .p12）を指定したか確かめてください。`,
      en: `${full} is larger than ${MAX_CERTIFICATE_FILE_BYTES} bytes`,
    });
  }
  if (size === 0) {
    throw new SigningError('CERT_FORMAT', { ja: `${what}「${shown(path)}」は空です。`, en: `${full} is empty` });
  }
  try {
    return await readFile(full);
  } catch (cause) {
    throw new SigningError('CERT_FILE_UNREADABLE', { ja: `${what}「${shown(path)}」を読み込めませんでした。`, en: `cannot read ${full}` }, { cause });
  }
}
