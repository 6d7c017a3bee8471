// Core host. Where a 補正 finds the application it corrects. Todoke keeps the exact request of every
// batch it sent (the outbox), so for such a case the request is read back — adapter-decoded, unzipped
// in memory with the same limits as any ZIP — and the case's folder picked, as the 取下げ form's
// prefill does (./withdrawal-prefill.ts). A case filed elsewhere has no such copy: then the person
// gives a whole application folder (`todoke amend ARRIVE_ID DIR`), read with the 申請データ reader's
// rules (no links, no subfolders), which becomes the draft's content.
import { isTodokeError } from '../../shared/errors.js';
import type { Application } from '../application/model.js';
import { readApplicationFolders } from '../application/read-folders.js';
import { readApplicationZipBuffer } from '../application/read-zip.js';
import type { EgovGateway } from '../session/gateway.js';
import type { Outbox } from '../store/outbox.js';
import { AmendmentError } from './amendment-errors.js';
import type { AmendmentFolder } from './amendment-package.js';
import { folderOfCase, type PrefillCase } from './withdrawal-prefill.js';

async function folderOf(app: Application): Promise<AmendmentFolder | null> {
  if (!app.kousei) return null;
  const kousei = app.kousei.bytes ?? (await app.kousei.read());
  const files = await Promise.all(app.files.map(async (f) => ({ name: f.name, bytes: f.bytes ?? (await f.read()) })));
  return { kousei, files };
}

/**
 * The filed application of a case Todoke sent, from the outbox's recorded request; null for a case
 * sent elsewhere or a request that cannot be read back (the person then gives the folder).
 */
export async function filedFromOutbox(outbox: Pick<Outbox, 'get' | 'requestBytes'>, gateway: Pick<EgovGateway, 'readBatchRequest'>, c: PrefillCase): Promise<AmendmentFolder | null> {
  if (c.entryId === null) return null;
  const entry = outbox.get(c.entryId);
  if (!entry || entry.kind !== 'batch') return null;
  try {
    const { zip } = gateway.readBatchRequest(await outbox.requestBytes(c.entryId));
    const data = await readApplicationZipBuffer(Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength));
    const app = await folderOfCase(data.applications, c);
    return app ? await folderOf(app) : null;
  } catch (e) {
    // a recorded request that cannot be read back is no reason to refuse the workbench: the person
    // gives the folder instead; anything but a typed refusal is a bug and is not hidden
    if (isTodokeError(e)) return null;
    throw e;
  }
}

/** One application folder the person gives; refused when it is not exactly one application with a kousei.xml. */
export async function filedFromFolder(path: string): Promise<AmendmentFolder> {
  const data = await readApplicationFolders([path]);
  const refused = data.problems.filter((p) => p.severity === 'error');
  if (data.applications.length !== 1 || refused.length) {
    throw new AmendmentError(
      'AMENDMENT_DRAFT_INVALID',
      {
        ja: `「${path}」は1件の申請のフォルダー（kousei.xml と申請書・添付書類）ではありません${refused.length ? `（${refused.map((p) => p.messageJa).join('／')}）` : `（申請 ${data.applications.length} 件）`}。補正する申請のフォルダーを指定してください。`,
        en: `${path} is not one application folder`,
      },
      { detail: { path, applications: data.applications.length, problems: refused.map((p) => p.code) } },
    );
  }
  const folder = await folderOf(data.applications[0]!);
  if (!folder) throw new AmendmentError('AMENDMENT_DRAFT_INVALID', { ja: `「${path}」に kousei.xml がありません。`, en: `${path}: no kousei.xml` }, { detail: { path } });
  return folder;
}
