// Benchmarks (Node). Reading a 送信案件一覧 answer, timed for 10,000 Apply entries, with 100 entries as
// the reference the per-entry cost is compared with: the general path — interpretResponse (UTF-8,
// validation, fast-xml-parser with the list elements as arrays, Result/Code) and decodeSends — kept as
// the reference, and the path the client takes, readSendsReply (src/main/egov/sends-scan.ts, one
// pass, the same answer). The bodies come from the sandbox's writer (src/sandbox/wire/apply-family.ts,
// byte-faithful to REFERENCE Appendix A), 1,000 Apply entries per PackageApply.
import { SENDS_ARRAY_ELEMENTS, decodeSends } from '../src/main/egov/apply-codec.js';
import { interpretResponse } from '../src/main/egov/reply.js';
import { readSendsReply } from '../src/main/egov/sends-scan.js';
import { writeSendListBody, type ApplyEntry, type PackageEntry } from '../src/sandbox/wire/apply-family.js';
import { figure } from './report.js';
import { median } from './stats.js';

const PER_PACKAGE = 1000;

function sendsBody(entries: number): Buffer {
  const packages: PackageEntry[] = [];
  for (let p = 0; p * PER_PACKAGE < entries; p++) {
    const applies: ApplyEntry[] = [];
    for (let i = p * PER_PACKAGE; i < Math.min(entries, (p + 1) * PER_PACKAGE); i++) {
      applies.push({
        arriveId: String(9002015000000000 + i),
        ministryName: 'デグレ省',
        procName: 'ＡＰＩテスト用手続（労働保険関係手続）（個）０００８／ＡＰＩテスト用手続（労働保険関係手続）（個）０００８',
        procFolderName: `900A102810055000(${i + 1})`,
        applicantName: '窓口　一郎',
        corporationName: '総務省',
        departmentName: '行政管理局',
        status: '審査終了',
        statusDate: '20150309174135',
        payStatus: '-',
        payWaitCount: 0,
        correctStatus: 'なし',
        commentCountNotRead: 0,
        commentCount: 0,
        docCountNotDownload: 2,
        docCount: 2,
      });
    }
    const sendNumber = `2015030909532${String(p).padStart(5, '0')}`;
    packages.push({ sendNumber, sendDate: '20150309095320', workStatus: '', normalCount: applies.length, allCount: applies.length, supplementaryMessage: '', errorCount: 0, errorFile: '', applies });
  }
  return Buffer.from(writeSendListBody({ code: '0', message: '' }, { sendNumber: '', sendDateFrom: '20150301', sendDateTo: '20150310', packages }));
}

type Decode = (body: Buffer) => number;

const general: Decode = (body) => {
  const reply = interpretResponse(200, body, { arrayElements: SENDS_ARRAY_ELEMENTS });
  return decodeSends(reply.applData).sends.reduce((n, s) => n + s.applications.length, 0);
};

const onePass: Decode = (body) => readSendsReply(200, body).sends.reduce((n, s) => n + s.applications.length, 0);

/** Median milliseconds of one decode, over runs filling at least `seconds` (and at least 5 runs). */
function timeDecode(decode: Decode, body: Buffer, entries: number, seconds: number): number {
  if (decode(body) !== entries) throw new Error(`decoded another number of entries than ${entries}`);
  const times: number[] = [];
  const end = performance.now() + seconds * 1000;
  while (times.length < 5 || performance.now() < end) {
    const start = performance.now();
    decode(body);
    times.push(performance.now() - start);
  }
  return median(times);
}

export function sendsParseBench(seconds: number): void {
  const small = sendsBody(100);
  const large = sendsBody(10_000);
  figure('sends-body-bytes-10000', large.length, 'bytes');
  const t100 = timeDecode(general, small, 100, seconds);
  const t10000 = timeDecode(general, large, 10_000, seconds);
  figure('sends-parse-100', t100, 'ms');
  figure('sends-parse-10000', t10000, 'ms');
  // 1 means linear; above 1, each entry costs more in a long list than in a short one
  figure('sends-parse-per-entry-10000-vs-100', t10000 / 10_000 / (t100 / 100), 'x');
  const s100 = timeDecode(onePass, small, 100, seconds);
  const s10000 = timeDecode(onePass, large, 10_000, seconds);
  figure('sends-scan-100', s100, 'ms');
  figure('sends-scan-10000', s10000, 'ms');
  figure('sends-scan-per-entry-10000-vs-100', s10000 / 10_000 / (s100 / 100), 'x');
}
