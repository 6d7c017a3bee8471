// 送信案件一覧's one-pass reader (src/main/egov/sends-scan.ts) against the general path it stands in
// for (interpretResponse + decodeSends): on every recorded response, on the sandbox writer's answers
// with many entries and odd values, on hand-made variants and on thousands of mutated and cut bodies,
// both give the same answer or the same error. Where the reader takes the body itself (scanSends not
// null) its value must be the general path's; the bodies e-Gov and the sandbox write must be taken.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SENDS_ARRAY_ELEMENTS, decodeSends, type SendsAnswer } from '../../src/main/egov/apply-codec.js';
import { isEgovError } from '../../src/main/egov/errors.js';
import { interpretResponse } from '../../src/main/egov/reply.js';
import { readSendsReply, scanSends } from '../../src/main/egov/sends-scan.js';
import { writeSendListBody, type ApplyEntry, type PackageEntry } from '../../src/sandbox/wire/apply-family.js';
import { egovDir } from '../support/paths.js';

type Outcome = { ok: true; value: SendsAnswer } | { ok: false; code: unknown; message: string; status: unknown; detail: unknown };

function outcome(read: () => SendsAnswer): Outcome {
  try {
    return { ok: true, value: read() };
  } catch (e) {
    if (!isEgovError(e)) throw e;
    return { ok: false, code: e.code, message: e.message, status: e.status, detail: e.detail };
  }
}

const general = (status: number, body: Buffer | string) => decodeSends(interpretResponse(status, body, { arrayElements: SENDS_ARRAY_ELEMENTS }).applData);

/** Both paths agree on `body`; returns whether the one-pass reader took it itself. */
function agree(body: Buffer | string, status = 200, label = ''): boolean {
  const expected = outcome(() => general(status, body));
  const fast = SUCCESS.has(status) ? scanSends(body) : null;
  if (fast) {
    assert.ok(expected.ok, `${label}: the reader took a body the general path refuses (${expected.ok ? '' : expected.message})`);
    assert.deepStrictEqual(fast, expected.value, label);
  }
  // readSendsReply gets bytes from the transport
  if (typeof body === 'string') {
    if (!/\p{Cs}/u.test(body)) {
      const bytes = Buffer.from(body, 'utf8');
      assert.deepStrictEqual(outcome(() => readSendsReply(status, bytes)), outcome(() => general(status, bytes)), label);
    }
  } else {
    assert.deepStrictEqual(outcome(() => readSendsReply(status, body)), expected, label);
  }
  return fast !== null;
}

const SUCCESS = new Set([200, 201, 202]);

function recordedResponses(): { name: string; status: number; body: Buffer }[] {
  const out: { name: string; status: number; body: Buffer }[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (entry === 'response.xml') {
        const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as { status: number };
        out.push({ name: dir.slice(egovDir.length + 1), status: meta.status, body: readFileSync(path) });
      }
    }
  };
  walk(egovDir);
  return out;
}

const recorded = recordedResponses();
const sendsRecorded = recorded.filter((r) => r.body.includes('<PackageApplyCount>'));

function apply(i: number, over: Partial<ApplyEntry> = {}): ApplyEntry {
  return {
    arriveId: String(9002015000240000 + i),
    ministryName: '厚生労働省',
    procName: '健康保険・厚生年金保険被保険者資格取得届／ＡＰＩテスト用手続（労働保険関係手続）（個）０００８',
    procFolderName: `900A010200001000(${i + 1})`,
    applicantName: `申請者 ${i}`,
    corporationName: '株式会社届け',
    departmentName: '総務部',
    status: i % 3 === 0 ? '審査中（補正待ち）' : '到達',
    statusDate: '20150309174135',
    payStatus: '-',
    payWaitCount: i % 5,
    correctStatus: i % 3 === 0 ? 'あり' : 'なし',
    commentCountNotRead: i % 2,
    commentCount: i % 4,
    docCountNotDownload: i % 7,
    docCount: 123456789,
    ...over,
  };
}

function pkg(p: number, applies: ApplyEntry[], over: Partial<PackageEntry> = {}): PackageEntry {
  return {
    sendNumber: `2015030909532${String(p).padStart(5, '0')}`,
    sendDate: '20150309095320',
    workStatus: '',
    normalCount: applies.length,
    allCount: applies.length,
    supplementaryMessage: '',
    errorCount: 0,
    errorFile: '',
    applies,
    ...over,
  };
}

const sandboxBody = (packages: PackageEntry[], echo = { sendNumber: '', sendDateFrom: '20150301', sendDateTo: '20150310' }) =>
  Buffer.from(writeSendListBody({ code: '0', message: '' }, { ...echo, packages }), 'utf8');

// values the sandbox may echo and e-Gov may hold: markup characters (escaped by the writer), line
// ends, spaces of every kind at the edges, supplementary characters, characters the writer replaces
const ODD_VALUES = [
  '',
  ' ',
  'A & B <株式会社> "届け" \'本店\'',
  '&amp; already escaped once',
  '一行目\r\n二行目\r三行目\n四行目',
  '\u3000全角空白で囲む\u3000',
  ' \t先頭と末尾の空白\t ',
  '\u00a0NBSP\u00a0',
  '\ufeffBOM inside',
  '𠮷野家 🍣',
  'ｶﾀｶﾅ半角',
  'control \u0001 char',
  '\u0085NEL\u2028LS',
  '> alone ]]> too',
  'x'.repeat(5000),
];

describe('送信案件一覧 one-pass reader', () => {
  void it('reads every recorded 送信案件一覧 answer itself, with the general path’s value', () => {
    assert.ok(sendsRecorded.length >= 3, 'the recorded 送信案件一覧 answers are there');
    for (const r of sendsRecorded) {
      if (r.status === 200) assert.equal(agree(r.body, r.status, r.name), true, `${r.name} read in one pass`);
      else agree(r.body, r.status, r.name);
    }
  });

  void it('gives every other recorded response (other APIs, errors) to the general path, with its verdict', () => {
    for (const r of recorded) {
      agree(r.body, r.status, r.name);
      // any status a transport may report
      for (const status of [200, 400, 401, 500]) agree(r.body, status, `${r.name} as ${status}`);
    }
  });

  void it('reads the sandbox writer’s answers with thousands of entries and odd values, the same as the general path', () => {
    const many = Array.from({ length: 12 }, (_, p) => pkg(p, Array.from({ length: 250 }, (_, i) => apply(p * 250 + i))));
    assert.equal(agree(sandboxBody(many), 200, 'many'), true);

    const odd = ODD_VALUES.map((v, i) =>
      pkg(
        i,
        [
          apply(i * 2, { ministryName: v, procName: v, procFolderName: v, applicantName: v, corporationName: v, departmentName: v, status: v || '到達', statusDate: v, payStatus: v, correctStatus: v }),
          apply(i * 2 + 1),
        ],
        { workStatus: v, supplementaryMessage: v, errorFile: v ? Buffer.from(v).toString('base64') : '' },
      ),
    );
    assert.equal(agree(sandboxBody(odd), 200, 'odd values'), true);
    // the same odd values as query echoes
    for (const v of ODD_VALUES) agree(sandboxBody([pkg(0, [apply(0)])], { sendNumber: v, sendDateFrom: v, sendDateTo: v }), 200, JSON.stringify(v));
    // an answer with no batch at all
    assert.equal(agree(sandboxBody([]), 200, 'empty'), true);
  });

  void it('agrees on hand-made variants: references, declarations, white space, unknown and missing elements, hostile markup', () => {
    const base = sandboxBody([pkg(0, [apply(0), apply(1)]), pkg(1, [apply(2)])]).toString('utf8');
    const once = (from: string, to: string) => {
      assert.ok(base.includes(from), from);
      return base.replace(from, to);
    };
    const variants: [string, string][] = [
      ['character references', once('<DepartmentName>総務部</DepartmentName>', '<DepartmentName>&#x3042;&#12354;&#x1F363;&#9;&#10;&#13;x&#32;</DepartmentName>')],
      ['references decoded after trimming', once('<DepartmentName>総務部</DepartmentName>', '<DepartmentName>&#x20;a&#x20;</DepartmentName>')],
      ['a reference to a control character', once('<DepartmentName>総務部</DepartmentName>', '<DepartmentName>a&#1;b</DepartmentName>')],
      ['a reference to nothing', once('<DepartmentName>総務部</DepartmentName>', '<DepartmentName>a&#0;b&#xD800;c</DepartmentName>')],
      ['a reference out of range', once('<DepartmentName>総務部</DepartmentName>', '<DepartmentName>&#x110000;</DepartmentName>')],
      ['an upper-case hex reference', once('<DepartmentName>総務部</DepartmentName>', '<DepartmentName>&#X41;</DepartmentName>')],
      ['HTML entities', once('<DepartmentName>総務部</DepartmentName>', '<DepartmentName>&nbsp;&copy;&yen;</DepartmentName>')],
      ['an unknown entity', once('<DepartmentName>総務部</DepartmentName>', '<DepartmentName>&foo;</DepartmentName>')],
      ['a bare ampersand', once('<DepartmentName>総務部</DepartmentName>', '<DepartmentName>a & b</DepartmentName>')],
      ['an escaped reference', once('<DepartmentName>総務部</DepartmentName>', '<DepartmentName>&amp;lt;&amp;#x41;</DepartmentName>')],
      ['many references', once('<DepartmentName>総務部</DepartmentName>', `<DepartmentName>${'&amp;&#x3042;'.repeat(3000)}</DepartmentName>`)],
      ['no declaration', base.replace(/^<\?xml[^>]*>\r\n/, '')],
      ['a declaration in single quotes', base.replace('<?xml version="1.0" encoding="UTF-8"?>', "<?xml version='1.0' encoding='UTF-8'?>")],
      ['a declaration without encoding', base.replace('<?xml version="1.0" encoding="UTF-8"?>', '<?xml version="1.0"?>')],
      ['a standalone declaration', base.replace('<?xml version="1.0" encoding="UTF-8"?>', '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>')],
      ['another encoding declared', base.replace('encoding="UTF-8"', 'encoding="Shift_JIS"')],
      ['white space before the declaration', ` ${base}`],
      ['a BOM', `\ufeff${base}`],
      ['two BOMs', `\ufeff\ufeff${base}`],
      ['white space after the root', `${base}\r\n\t `],
      ['text after the root', `${base}x`],
      ['a second root', `${base}<DataRoot/>`],
      ['a comment', once('<ApplData>', '<ApplData><!-- note -->')],
      ['a comment in a value', once('<DepartmentName>総務部</DepartmentName>', '<DepartmentName>総務<!-- x -->部</DepartmentName>')],
      ['CDATA', once('<DepartmentName>総務部</DepartmentName>', '<DepartmentName><![CDATA[総務<部>]]></DepartmentName>')],
      ['a processing instruction', once('<ApplData>', '<ApplData><?pi x?>')],
      ['a DOCTYPE', base.replace('<DataRoot>', '<!DOCTYPE DataRoot [<!ENTITY a "b">]><DataRoot>')],
      ['an attribute', once('<Apply>', '<Apply id="1">')],
      ['an attribute on a value', once('<Status>', '<Status lang="ja">')],
      ['white space in a tag', once('</Status>', '</Status >')],
      ['a namespace prefix', once('<Status>到達</Status>', '<x:Status>到達</x:Status>')],
      ['mismatched tags', once('<Status>到達</Status>', '<Status>到達</Statux>')],
      ['self-closing values', once('<WorkStatus></WorkStatus>', '<WorkStatus/>').replace('<ErrorFile></ErrorFile>', '<ErrorFile />')],
      ['a self-closing required value', once('<SendDate>20150309095320</SendDate>', '<SendDate/>')],
      ['a self-closing Apply', once('\t\t<Apply>', '\t\t<Apply/>\t\t<Apply>').replace('<ApplyCount>2</ApplyCount>', '<ApplyCount>3</ApplyCount>')],
      ['a self-closing ApplData', base.replace(/<ApplData>[\s\S]*<\/ApplData>/, '<ApplData/>')],
      ['no ApplData', base.replace(/<ApplData>[\s\S]*<\/ApplData>/, '')],
      ['no Result', base.replace(/<Result>[\s\S]*<\/Result>/, '')],
      ['Code 1 with 200', once('<Code>0</Code>', '<Code>1</Code>')],
      ['Code 2', once('<Code>0</Code>', '<Code>2</Code>')],
      ['a message on success', once('<Message></Message>', '<Message>注意 &amp; 確認</Message>')],
      ['no Message', once('\t<Message></Message>\r\n', '')],
      ['a Message with children', once('<Message></Message>', '<Message><a>b</a></Message>')],
      ['a second Result', once('</Result>', '</Result><Result><Code>0</Code></Result>')],
      ['a second ApplData', once('</ApplData>', '</ApplData><ApplData></ApplData>')],
      ['another root', base.replace(/DataRoot>/g, 'Root>')],
      ['elements in another order', once('\t\t<No>1</No>\r\n\t\t<SendNumber>', '\t\t<SendNumber>').replace('<SendDate>20150309095320</SendDate>', '<SendDate>20150309095320</SendDate><No>1</No>')],
      ['values in another order', once('<ArriveID>9002015000240000</ArriveID>', '').replace('<DocCount>123456789</DocCount>', '<DocCount>123456789</DocCount><ArriveID>9002015000240000</ArriveID>')],
      ['an unknown value', once('<Status>', '<Extra>新しい項目</Extra><Status>')],
      ['an unknown value named like a built-in', once('<Status>', '<constructor>x</constructor><Status>')],
      ['an unknown value named __proto__', once('<Status>', '<__proto__>x</__proto__><Status>')],
      ['an unknown element with children', once('<Status>', '<Extra><a>1</a></Extra><Status>')],
      ['an unknown element at the top', once('<ApplData>', '<Extra>x</Extra><ApplData>')],
      ['a repeated value', once('<Status>到達</Status>', '<Status>到達</Status><Status>到達</Status>')],
      ['a repeated No', once('<No>1</No>', '<No>1</No><No>2</No>')],
      ['a repeated echo', once('<SendDateTo>20150310</SendDateTo>', '<SendDateTo>20150310</SendDateTo><SendDateTo>20150310</SendDateTo>')],
      ['a missing ArriveID', once('<ArriveID>9002015000240000</ArriveID>', '')],
      ['a missing Status', once('<Status>審査中（補正待ち）</Status>', '')],
      ['a missing optional value', once('<ApplicantName>申請者 0</ApplicantName>', '')],
      ['a missing count', once('<DocCount>123456789</DocCount>', '')],
      ['a count of ten digits', once('<DocCount>123456789</DocCount>', '<DocCount>1234567890</DocCount>')],
      ['a count with spaces', once('<DocCount>123456789</DocCount>', '<DocCount> 12 </DocCount>')],
      ['a negative count', once('<PayWaitCount>0</PayWaitCount>', '<PayWaitCount>-1</PayWaitCount>')],
      ['full-width digits', once('<PayWaitCount>0</PayWaitCount>', '<PayWaitCount>０</PayWaitCount>')],
      ['an ArriveID with letters', once('<ArriveID>9002015000240000</ArriveID>', '<ArriveID>90020150002400x0</ArriveID>')],
      ['a bad send number', once('<SendNumber>201503090953200000</SendNumber>', '<SendNumber>201502300953200000</SendNumber>')],
      ['ApplyCount off by one', once('<ApplyCount>2</ApplyCount>', '<ApplyCount>3</ApplyCount>')],
      ['PackageApplyCount off by one', once('<PackageApplyCount>2</PackageApplyCount>', '<PackageApplyCount>1</PackageApplyCount>')],
      ['text between elements', once('\t\t<Apply>', 'x\t\t<Apply>')],
      ['non-XML white space between elements', once('\t\t<Apply>', '\u3000\t\t<Apply>')],
      ['a vertical tab between elements', once('\t\t<Apply>', '\u000b\t\t<Apply>')],
      ['text in a container', once('<Apply>', '<Apply>テキスト')],
      ['an element in a value', once('<Status>到達</Status>', '<Status>到<b>達</b></Status>')],
      ['a lone surrogate', once('<DepartmentName>総務部</DepartmentName>', '<DepartmentName>\ud800</DepartmentName>')],
      ['a NUL', once('<DepartmentName>総務部</DepartmentName>', '<DepartmentName>a\u0000b</DepartmentName>')],
      ['U+FFFE', once('<DepartmentName>総務部</DepartmentName>', '<DepartmentName>a\ufffeb</DepartmentName>')],
      ['empty', ''],
      ['white space only', ' \r\n'],
      ['HTML', '<html><body>Service Unavailable</body></html>'],
    ];
    let taken = 0;
    for (const [label, body] of variants) {
      if (agree(body, 200, label)) taken++;
      agree(Buffer.from(body, 'utf8'), 200, `${label} (bytes)`);
      agree(body, 400, `${label} (400)`);
    }
    assert.ok(taken >= 15, `the plain variants are read in one pass (${taken})`);
    // bytes that are not UTF-8
    const bytes = Buffer.from(base, 'utf8');
    for (const bad of [[0xff], [0xc3], [0xed, 0xa0, 0x80], [0xe3, 0x81]]) {
      const at = bytes.indexOf('総務部');
      agree(Buffer.concat([bytes.subarray(0, at), Buffer.from(bad), bytes.subarray(at)]), 200, `bytes ${bad.join(',')}`);
    }
    agree(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]), 200, 'a UTF-8 BOM');
  });

  void it('agrees on cuts of recorded answers (every byte of a short one)', () => {
    for (const r of sendsRecorded) {
      const step = Math.max(1, Math.floor(r.body.length / 250));
      for (let cut = 0; cut < r.body.length; cut += step) agree(r.body.subarray(0, cut), 200, `${r.name} cut at ${cut}`);
    }
  });

  void it('agrees on thousands of mutated answers (fixed seed)', () => {
    let seed = 0x5eed5;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const pieces = [
      '<', '>', '/', '&', ';', '&amp;', '&lt;', '&#x3042;', '&#1;', '&#0;', '&nbsp;', '</Apply>', '<Apply>', '</PackageApply>', '<PackageApply>',
      '<Status>到達</Status>', '<No>9</No>', '<!-- c -->', '<![CDATA[x]]>', ' a="1"', '/>', '\r', '\n', '\t', ' ', '\u3000', '\ufeff', '<!DOCTYPE x>',
      '<?pi?>', '0', '1', '9', 'x', '審査中', '<X>y</X>', '<constructor>1</constructor>', '\u0000', '"', "'",
    ];
    // short answers, so that thousands of runs of the general path stay quick
    const seeds = [
      sendsRecorded.find((r) => r.name.endsWith('apply-then-sends-by-id-pending/2'))!.body.toString('utf8'),
      sandboxBody([pkg(0, [apply(0, { applicantName: ODD_VALUES[2]! }), apply(1, { departmentName: ODD_VALUES[4]! })]), pkg(1, [apply(2)])]).toString('utf8'),
    ];
    let taken = 0;
    let refused = 0;
    for (let n = 0; n < 3000; n++) {
      let text = seeds[n % seeds.length]!;
      for (let edits = 1 + random(3); edits > 0; edits--) {
        const at = random(text.length + 1);
        switch (random(6)) {
          case 0:
            text = text.slice(0, at) + text.slice(at + 1 + random(12));
            break;
          case 1:
            text = text.slice(0, at) + pieces[random(pieces.length)]! + text.slice(at);
            break;
          case 2: {
            // a whole line repeated (a repeated element)
            const start = text.lastIndexOf('\n', at) + 1;
            const end = text.indexOf('\n', at);
            const line = text.slice(start, end < 0 ? text.length : end + 1);
            text = text.slice(0, start) + line + text.slice(start);
            break;
          }
          case 3:
            text = text.slice(0, at);
            break;
          case 4: {
            // a digit changed (counts, numbers, dates)
            const digit = text.slice(at).search(/\d/);
            if (digit >= 0) text = text.slice(0, at + digit) + String(random(10)) + text.slice(at + digit + 1);
            break;
          }
          default:
            text = text.slice(0, at) + String.fromCharCode(random(0x80)) + text.slice(at + 1);
        }
      }
      const bytes = Buffer.from(text, 'utf8');
      if (n % 10 === 0 && bytes.length) bytes[random(bytes.length)] = random(256);
      if (agree(bytes, 200, `mutation ${n}`)) taken++;
      else refused++;
    }
    // both sides of the line were exercised
    assert.ok(taken > 100 && refused > 100, `taken ${taken}, refused ${refused}`);
  });
});
