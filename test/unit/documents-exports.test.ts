import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { caseExportFolder, exportBytes, exportFiles, noticeBaseName, safeSegment } from '../../src/main/documents/exports.js';
import { scratchHome } from '../support/home.js';

const notice = { arriveId: '9002026000000001', kind: 'document' as const, noticeSubId: 2, title: '署名付き公文書１' };

void describe('exports of kept notices', () => {
  void it('names say kind, 通知番号 and title', () => {
    assert.equal(noticeBaseName(notice), '公文書2_署名付き公文書１');
    assert.equal(noticeBaseName({ ...notice, kind: 'amend', noticeSubId: 1, title: '任意部分補正' }), '補正通知1_任意部分補正');
  });

  void it('a hostile title or name becomes one safe path segment', () => {
    assert.equal(safeSegment('../../etc/passwd', 'x'), '.._.._etc_passwd');
    assert.equal(safeSegment('a\\b:c*d?e"f<g>h|i', 'x'), 'a_b_c_d_e_f_g_h_i');
    assert.equal(safeSegment('..', 'fallback'), 'fallback');
    assert.equal(safeSegment('', 'fallback'), 'fallback');
    assert.equal(safeSegment('CON', 'fallback'), 'fallback');
    assert.equal(safeSegment('nul.txt', 'fallback'), 'fallback');
    // the application reader's own list of reserved names: COM0, CONIN$ as well
    assert.equal(safeSegment('COM0', 'fallback'), 'fallback');
    assert.equal(safeSegment('conin$.xml', 'fallback'), 'fallback');
    assert.equal(safeSegment('末尾の点...', 'x'), '末尾の点');
    assert.equal(safeSegment('改行\nと\tタブ\u0000', 'x'), '改行_と_タブ_');
    assert.equal([...safeSegment('長'.repeat(500), 'x')].length, 80);
  });

  void it('writes a ZIP and a folder of files under the case folder, owner only', async () => {
    const home = scratchHome('todoke-exports-');
    const zipPath = await exportBytes(home, notice, 'zip', Buffer.from('PK\x03\x04zip'));
    assert.equal(zipPath, join(caseExportFolder(home, notice.arriveId), '公文書2_署名付き公文書１.zip'));
    assert.equal(readFileSync(zipPath, 'latin1'), 'PK\x03\x04zip');
    assert.equal(statSync(zipPath).mode & 0o777, 0o600);
    const folder = await exportFiles(home, notice, [
      { name: '0000-API-001.xml', bytes: Buffer.from('<DOC/>') },
      { name: 'スタイルシート1.xsl', bytes: Buffer.from('<xsl/>') },
      { name: 'A.xml', bytes: Buffer.from('1') },
      { name: 'a.xml', bytes: Buffer.from('2') },
    ]);
    assert.deepEqual(readdirSync(folder).sort(), ['0000-API-001.xml', '2_a.xml', 'A.xml', 'スタイルシート1.xsl'].sort());
    // exporting again replaces the same files, nothing piles up
    await exportBytes(home, notice, 'zip', Buffer.from('PK\x03\x04zip2'));
    assert.equal(readdirSync(caseExportFolder(home, notice.arriveId)).filter((n) => n.endsWith('.zip')).length, 1);
  });
});
