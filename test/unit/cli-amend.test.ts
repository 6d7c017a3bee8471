// Unit: `todoke amend` (src/main/cli/commands/amend.ts), in-process. Bad command lines are refused with
// exit 2 before any profile, PIN or network is touched; the help names the command; the diff summary
// prints each changed file and its fields, cut and counted, with hostile text shown safely.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { changesText } from '../../src/main/cli/commands/amend.js';
import type { FileComparison } from '../../src/main/filing/xml-diff.js';
import { cli } from '../support/cli.js';
import { scratchHome } from '../support/home.js';

const A = '9002026000000001';

describe('todoke amend command line', () => {
  it('refuses malformed command lines with exit 2 and a Japanese message', async () => {
    const home = scratchHome();
    const cases: [string[], RegExp][] = [
      [['amend'], /到達番号と、直した申請のフォルダー/],
      [['amend', A], /到達番号と、直した申請のフォルダー/],
      [['amend', A, 'dir', 'extra'], /到達番号と、直した申請のフォルダー/],
      [['amend', '12345', 'dir'], /到達番号ではありません/],
      [['amend', A, 'dir', '--reamend', '--partamend'], /同時に指定できません/],
      [['amend', A, 'dir', '--basic-form'], /--partamend（部分補正）のときだけ/],
      [['amend', A, 'dir', '--partamend'], /--basic-form（申請書）と --attached/],
      [['amend', A, 'dir', '--bogus'], /./],
    ];
    for (const [argv, message] of cases) {
      const r = await cli(argv, { env: { TODOKE_HOME: home } });
      assert.equal(r.code, 2, `${argv.join(' ')}\n${r.stderr}`);
      assert.match(r.stderr, message, argv.join(' '));
    }
    const j = await cli(['amend', A, '--json'], { env: { TODOKE_HOME: home } });
    assert.equal(j.code, 2);
    assert.equal((JSON.parse(j.stdout) as { error: { code: string } }).error.code.length > 0, true);
  });

  it('needs a saved profile before reading anything', async () => {
    const r = await cli(['amend', A, '/nonexistent/folder'], { env: { TODOKE_HOME: scratchHome() } });
    assert.notEqual(r.code, 0);
    assert.equal(r.prompts.length, 0, 'no PIN asked');
  });

  it('is in the help', async () => {
    const r = await cli(['help']);
    assert.match(r.stdout, /todoke amend 到達番号 DIR/);
    assert.match(r.stdout, /--arrived \| --not-arrived/);
  });
});

describe('the diff summary', () => {
  const file = (over: Partial<FileComparison>): FileComparison => ({ name: 'a.xml', change: 'changed', beforeSha256: 'a', afterSha256: 'b', fields: null, fieldsError: null, ...over });

  it('lists changed files with their fields and counts what it leaves out', () => {
    const fields = Array.from({ length: 25 }, (_, i) => ({ path: `DataRoot/F${i}`, before: `${i}`, after: `${i + 1}`, change: 'changed' as const }));
    const text = changesText([
      file({ name: 'kousei.xml', change: 'same' }),
      file({ fields: { changes: fields, total: 30, capped: true } }),
      file({ name: 'new.pdf', change: 'added', beforeSha256: null }),
      file({ name: 'big.xml', fieldsError: { code: 'AMENDMENT_DIFF_TOO_LARGE', messageJa: '大きすぎます' } }),
    ]);
    assert.match(text, /a\.xml: 変更/);
    assert.match(text, /DataRoot\/F0: 「0」→「1」/);
    assert.doesNotMatch(text, /DataRoot\/F20:/);
    assert.match(text, /ほか 10 項目/);
    assert.match(text, /new\.pdf: 追加/);
    assert.match(text, /（大きすぎます）/);
    assert.doesNotMatch(text, /kousei\.xml/);
  });

  it('says when nothing changed, and shows hostile text without control characters', () => {
    assert.match(changesText([file({ change: 'same' })]), /変更されたファイルはありません/);
    const text = changesText([file({ fields: { changes: [{ path: 'R/x', before: '\u001b[31mred', after: 'a\nb', change: 'changed' }], total: 1, capped: false } })]);
    assert.equal(text.includes(String.fromCharCode(0x1b)), false);
    assert.equal(text.split('\n').filter((l) => l.includes('R/x')).length, 1);
  });
});
