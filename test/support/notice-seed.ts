// Test support (Node). Notices kept in a profile's vault as the notice fetch keeps them (ZIP in the
// vault, recorded, 取得完了 confirmed), from what e-Gov really sent: the recorded 公文書 signed with
// e-Gov's 模擬認証局 官職 certificate (officialdocument-verify), the same with one character of its
// signed body changed, the recorded unsigned 公文書 with a PDF beside it, the recorded コメント and the
// recorded 補正通知. For the 公文書 screens' E2E while the sandbox cannot issue notices itself.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readNoticeZip } from '../../src/main/documents/notice-zip.js';
import { Vault } from '../../src/main/documents/vault.js';
import { openStore } from '../../src/main/store/db.js';
import { NoticeStore, type ListedNotice } from '../../src/main/store/notices.js';
import { recordedNoticeZip } from './notice-zips.js';
import { recordedDir } from './paths.js';
import { craftZip } from './zip-craft.js';

export interface SeededNotices {
  /** ids by what they are */
  signed: number;
  tampered: number;
  withPdf: number;
  comment: number;
  amend: number;
}

/** A one-page PDF (a valid xref, so Chromium's viewer shows it), as a ministry's PDF beside a 公文書. */
export function onePagePdf(text: string): Buffer {
  const stream = `BT /F1 28 Tf 72 720 Td (${text.replace(/[()\\]/g, '')}) Tj ET`;
  const objects = [
    '<</Type/Catalog/Pages 2 0 R>>',
    '<</Type/Pages/Kids[3 0 R]/Count 1>>',
    '<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>',
    `<</Length ${stream.length}>>stream\n${stream}\nendstream`,
    '<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<</Size ${objects.length + 1}/Root 1 0 R>>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** `deadline`: the 補正通知's JST YYYYMMDD deadline. */
export async function seedAppNotices(home: string, profile: string, arriveId: string, options: { deadline: string }): Promise<SeededNotices> {
  const signedXml = readFileSync(join(recordedDir, 'officialdocument-verify', '1', 'response-filedata-1', '0000-API-002.xml'));
  const document = await readNoticeZip(recordedNoticeZip('officialdocument'));
  const xsl = document.find((f) => f.name.endsWith('.xsl'))!;
  const tamperedXml = Buffer.from(signedXml.toString('utf8').replace('<DOCNO>120806-01</DOCNO>', '<DOCNO>120806-02</DOCNO>'), 'utf8');
  if (tamperedXml.equals(signedXml)) throw new Error('the recorded signed 公文書 changed: nothing to tamper with');

  const store = openStore(home, profile);
  const vault = new Vault(join(home, 'profiles', profile, 'vault'));
  try {
    const notices = new NoticeStore(store);
    const keep = async (listed: ListedNotice, zip: Buffer): Promise<number> => {
      const [id] = notices.recordListed(arriveId, [listed]);
      if (id === undefined) throw new Error(`notice ${listed.kind} ${listed.noticeSubId} already listed`);
      notices.recordKept(id, await vault.keep(zip));
      // a 補正通知 has no 取得完了: it is done once kept
      if (listed.kind !== 'amend') notices.markDone(id, { arriveId, noticeSubId: listed.noticeSubId, procedureName: '', title: listed.title, downloadDate: '20261130100500', fileNames: listed.fileNames });
      return id;
    };
    const entry = (kind: 'document' | 'comment', noticeSubId: number, title: string, issueDate: string, fileNames: string[]): ListedNotice => ({
      kind,
      noticeSubId,
      title,
      issueDate,
      deadline: '',
      completedDate: '',
      fileNames,
      state: kind === 'comment' ? '未読' : '',
    });
    const signedFiles = ['0000-API-002.xml', xsl.name];
    const pdfFiles = [...document.map((f) => f.name), '通知書.pdf'];
    return {
      withPdf: await keep(
        entry('document', 1, 'タイトル：テスト用公文書', '20261126100500', pdfFiles),
        craftZip([...document.map((f) => ({ name: f.name, data: Buffer.from(f.bytes) })), { name: '通知書.pdf', data: onePagePdf('Todoke test PDF') }]),
      ),
      tampered: await keep(
        entry('document', 2, '模擬認証局官職証明書での署名付与文書（改ざん）', '20261127100500', signedFiles),
        craftZip([
          { name: '0000-API-002.xml', data: tamperedXml },
          { name: xsl.name, data: Buffer.from(xsl.bytes) },
        ]),
      ),
      comment: await keep(entry('comment', 3, '添付書類について', '20261128153000', []), recordedNoticeZip('comment')),
      amend: await keep(
        { kind: 'amend', noticeSubId: 1, title: '任意部分補正', issueDate: '20261129090000', deadline: options.deadline, completedDate: '', fileNames: [], state: '' },
        recordedNoticeZip('amend-notices'),
      ),
      signed: await keep(
        entry('document', 4, '模擬認証局官職証明書での署名付与文書', '20261130100500', signedFiles),
        craftZip([
          { name: '0000-API-002.xml', data: signedXml },
          { name: xsl.name, data: Buffer.from(xsl.bytes) },
        ]),
      ),
    };
  } finally {
    store.close();
  }
}
