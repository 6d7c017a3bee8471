// Main process (CLI host). `todoke verify FILE`: a signed request, a kousei.xml (with its folder)
// or an official document. `valid` is the signature alone; certificate time validity and chain
// are reported beside it, judged now or at --at, so that real documents signed with since-expired
// certificates still show as validly signed.
import type { X509Certificate } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isTodokeError } from '../../../shared/errors.js';
import { parseCertificates } from '../../signing/certificate.js';
import { folderFileReader, verifySignedXml, type ReadFile, type VerificationReport } from '../../signing/xml/index.js';
import { DEFAULT_MAX_XML_BYTES } from '../../signing/xml/safe-xml.js';
import type { CliIo } from '../io.js';
import { EXIT_INVALID, EXIT_OK } from '../io.js';
import { shown } from '../shown.js';
import { readSmallFile } from '../small-file.js';
import { UsageError } from '../usage-error.js';

/** Checked before reading, with the verifier's own limit, so a huge file is never read into memory. */
const MAX_XML_BYTES = DEFAULT_MAX_XML_BYTES;

export async function verifyCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { json: { type: 'boolean', default: false }, at: { type: 'string' }, trust: { type: 'string', multiple: true }, profile: { type: 'string', default: 'auto' } },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length !== 1) throw new UsageError('検証するファイルを 1 つ指定してください。', 'give exactly one file to verify');
  const at = values.at === undefined ? io.now() : parseInstant(values.at);
  const profile = values.profile;
  if (profile !== 'auto' && profile !== 'request' && profile !== 'kousei' && profile !== 'official') {
    throw new UsageError('--profile は auto, request, kousei, official のいずれかです。', '--profile is auto|request|kousei|official');
  }
  const path = resolve(io.cwd, positionals[0] as string);
  const size = (await stat(path).catch(() => null))?.size;
  if (size === undefined) throw new UsageError(`${path} が見つかりません。`, `${path} does not exist`);
  if (size > MAX_XML_BYTES) throw new UsageError(`${path} は大きすぎます（${MAX_XML_BYTES / 1024 / 1024} MiB まで）。`, `${path} is larger than ${MAX_XML_BYTES} bytes`);
  const trustAnchors: X509Certificate[] = [];
  for (const t of values.trust ?? []) trustAnchors.push(...parseCertificates(await readSmallFile(io, t, '信頼する証明書のファイル')));

  const folder = inFolder(dirname(path));
  const verified = await verifySignedXml(await readFile(path), { profile, at, trustAnchors, readFile: folder.readFile });
  const report = folder.refused.length ? { ...verified, problems: [...verified.problems, ...folder.refused.map(leftFolder)] } : verified;
  io.stdout(values.json ? `${JSON.stringify(toJson(report), null, 2)}\n` : formatReport(report, path));
  return report.valid ? EXIT_OK : EXIT_INVALID;
}

/**
 * File references are read inside the document's own folder only. The verifier refuses names that
 * would leave it ("..", absolute paths); folderFileReader also refuses a name that is a symlink
 * resolving outside it, which the verifier can only report as unreadable: the names refused so are
 * kept to say why.
 */
function inFolder(folder: string): { readFile: ReadFile; refused: string[] } {
  const read = folderFileReader(folder);
  const refused: string[] = [];
  return {
    refused,
    readFile: async (name) => {
      try {
        return await read(name);
      } catch (e) {
        if (isTodokeError(e, 'KOUSEI_FILE_ESCAPES')) refused.push(name);
        throw e;
      }
    },
  };
}

function leftFolder(name: string): string {
  return `ファイル「${shown(name)}」は文書のフォルダーの外を指すシンボリックリンクのため、読んでいません`;
}

function parseInstant(text: string): Date {
  const d = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(d.getTime())) {
    throw new UsageError('--at は ISO-8601 の日時です（例: 2015-04-28T12:00:00+09:00）。', '--at takes an ISO-8601 date-time');
  }
  return d;
}

function toJson(r: VerificationReport) {
  return {
    valid: r.valid,
    profile: r.profile,
    signer: r.signer.subject,
    issuer: r.signer.issuer,
    notBefore: r.signer.notBefore,
    notAfter: r.signer.notAfter,
    serialNumber: r.signer.serialNumber,
    signatureValueValid: r.signatureValueValid,
    references: r.references,
    validity: r.validity,
    chain: r.chain,
    certificates: r.certificates,
    problems: r.problems,
  };
}

const PROFILE_JA = { request: '署名付きリクエスト', kousei: '構成管理XML (kousei.xml)', official: '公文書（官職署名）' } as const;
const VALIDITY_JA = { valid: '有効期間内', expired: '期限切れ', notYetValid: '有効期間前' } as const;

function formatReport(r: VerificationReport, path: string): string {
  const lines = [
    `${path}`,
    `署名: ${r.valid ? '有効' : '無効'}`,
    `種類: ${PROFILE_JA[r.profile]}`,
    `署名者: ${r.signer.subject}`,
    `発行者: ${r.signer.issuer}`,
    `有効期間: ${r.signer.notBefore} ～ ${r.signer.notAfter}（${r.validity.at} 時点: ${VALIDITY_JA[r.validity.state]}）`,
    `信頼: ${r.chain.trusted === null ? '信頼点の指定なし（--trust で指定）' : r.chain.trusted ? `信頼できる（${r.chain.anchor?.subject ?? ''}）` : `確認できない${r.chain.reason ? `: ${r.chain.reason}` : ''}`}`,
    '参照:',
    ...r.references.map((ref) => `  ${ref.valid ? '✔' : '✖'} ${ref.uri}${ref.reason ? `  ${ref.reason}` : ''}`),
    ...(r.problems.length ? ['問題:', ...r.problems.map((p) => `  - ${p}`)] : []),
  ];
  return `${lines.join('\n')}\n`;
}
