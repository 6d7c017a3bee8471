// Main process (CLI host). How the identity commands print: concise aligned Japanese for people,
// one JSON object for scripts. Built field by field from the core's snapshot, so nothing secret
// (a password, a PIN, the access key unless --show-key) can slip in.
import type { X509Certificate } from 'node:crypto';
import { jstTimestamp } from '../../shared/jst.js';
import { DEFAULT_SOFTWARE_ID } from '../../sandbox/config.js';
import type { IdentitySnapshot } from '../identity/service.js';
import type { Profile } from '../profiles/profile.js';
import { describeCertificate } from '../signing/certificate.js';
import { certificateWarnings } from '../signing/warnings.js';
import type { CliIo } from './io.js';

export function printJson(io: CliIo, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}

/** Label / value lines, the values aligned (full-width characters count as two columns). */
export function table(rows: ReadonlyArray<readonly [string, string]>, indent = '  '): string {
  const width = Math.max(...rows.map(([label]) => displayWidth(label)));
  return rows.map(([label, value]) => `${indent}${label}${' '.repeat(width - displayWidth(label) + 2)}${value}`).join('\n') + '\n';
}

function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    width += cp >= 0x2e80 && !(cp >= 0xff61 && cp <= 0xff9f) ? 2 : 1;
  }
  return width;
}

/** A Date as JST wall-clock time: 2026-11-27 12:04:05. */
export function jstDisplay(date: Date): string {
  const t = jstTimestamp(date);
  return `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)} ${t.slice(8, 10)}:${t.slice(10, 12)}:${t.slice(12, 14)}`;
}

/** LastAuthenticationDate exactly as e-Gov sent it, with a readable form beside it. */
export function lastAuthenticationText(value: string | undefined): string {
  if (value === undefined) return 'まだ認証していません';
  if (value === '') return 'なし（この利用者IDで初めての認証）';
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(value);
  return m ? `${value}（${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}:${m[6]} JST）` : value;
}

/** "2 時間 5 分前に取得" */
function ageText(seconds: number): string {
  if (seconds < 60) return '1 分以内に取得';
  const minutes = Math.floor(seconds / 60);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const parts = days > 0 ? [`${days} 日`, ...(hours > 0 ? [`${hours} 時間`] : [])] : hours > 0 ? [`${hours} 時間`, ...(mins > 0 ? [`${mins} 分`] : [])] : [`${mins} 分`];
  return `${parts.join(' ')}前に取得`;
}

export function certificateJson(cert: X509Certificate, now: Date) {
  const info = describeCertificate(cert);
  return {
    subject: info.subject,
    issuer: info.issuer,
    commonName: info.commonName,
    serialNumber: info.serialNumber,
    notBefore: info.notBefore,
    notAfter: info.notAfter,
    fingerprintSha256: info.fingerprintSha256,
    warnings: certificateWarnings(cert, now).map(({ code, message, messageJa }) => ({ code, message, messageJa })),
  };
}

export function certificateRows(cert: X509Certificate, label = '証明書'): Array<[string, string]> {
  const info = describeCertificate(cert);
  return [
    [label, `${info.commonName}（発行者 ${cnOf(info.issuer)}、シリアル ${info.serialNumber}）`],
    ['有効期間', `${jstDisplay(new Date(info.notBefore))} ～ ${jstDisplay(new Date(info.notAfter))} JST`],
  ];
}

function cnOf(name: string): string {
  return /(?:^|, )CN=([^,]*)/.exec(name)?.[1] ?? name;
}

export function environmentJson(profile: Profile, sandboxDir: string) {
  const env = profile.environment;
  if (env.kind === 'custom') {
    return { kind: 'custom' as const, baseUrl: env.baseUrl, softwareId: env.softwareId, basicAuthUser: env.basicAuthUser ?? null, customCa: env.caPem !== undefined };
  }
  // the built-in sandbox's address is only known while it runs
  return { kind: 'sandbox' as const, baseUrl: null, softwareId: DEFAULT_SOFTWARE_ID, dataDir: sandboxDir };
}

export function environmentText(profile: Profile, sandboxDir: string): string {
  const env = profile.environment;
  if (env.kind === 'custom') {
    const extras = [`ソフトウェアID ${env.softwareId}`, ...(env.basicAuthUser !== undefined ? [`Basic認証 ${env.basicAuthUser}`] : []), ...(env.caPem !== undefined ? ['追加の CA あり'] : [])];
    return `${env.baseUrl}（${extras.join('、')}）`;
  }
  return `組み込みの検証用サンドボックス（${sandboxDir}、ソフトウェアID ${DEFAULT_SOFTWARE_ID}）`;
}

export function signerJson(profile: Profile) {
  const s = profile.signer;
  return s.kind === 'file'
    ? { kind: 'file' as const, path: s.path, ...(s.certificatePath !== undefined ? { certificatePath: s.certificatePath } : {}), displayName: s.displayName }
    : { kind: 'pkcs11' as const, modulePath: s.modulePath, tokenLabel: s.tokenLabel, tokenSerial: s.tokenSerial, certId: s.certId };
}

export function signerText(profile: Profile): string {
  const s = profile.signer;
  if (s.kind === 'file') return s.certificatePath !== undefined ? `秘密鍵 ${s.path} ＋ 証明書 ${s.certificatePath}` : `証明書ファイル ${s.path}`;
  return `IC カード「${s.tokenLabel}」（シリアル ${s.tokenSerial}${s.certId ? `、証明書 ID ${s.certId}` : ''}、${s.modulePath}）`;
}

/** When this computer last logged in. */
export function loggedInAt(snapshot: IdentitySnapshot): Date | null {
  // Both times are this computer's clock at a login made here. profile.lastLogin.at is written by
  // register / login only; the key's obtainedAt also by the logins the session makes on its own
  // when it has no key, which leave lastLogin alone. So while a key is held its time is the
  // latest; lastLogin.at covers a profile whose key was not kept.
  if (snapshot.key) return snapshot.key.obtainedAt;
  const at = snapshot.profile.lastLogin?.at;
  const date = at === undefined ? null : new Date(at);
  return date && !Number.isNaN(date.getTime()) ? date : null;
}

export function keyJson(snapshot: IdentitySnapshot, now: Date) {
  const key = snapshot.key;
  return {
    held: key !== null,
    persisted: snapshot.keyPersisted,
    obtainedAt: key ? key.obtainedAt.toISOString() : null,
    ageSeconds: key ? Math.max(0, Math.floor((now.getTime() - key.obtainedAt.getTime()) / 1000)) : null,
  };
}

export function keyText(snapshot: IdentitySnapshot, now: Date): string {
  const key = keyJson(snapshot, now);
  if (!key.held || key.ageSeconds === null || key.obtainedAt === null) return 'なし（todoke login で取得します）';
  return `あり（${ageText(key.ageSeconds)}、${jstDisplay(new Date(key.obtainedAt))} JST）${key.persisted ? '' : '、保存されていません'}`;
}
