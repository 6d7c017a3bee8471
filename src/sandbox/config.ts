// Sandbox (Node). The sandbox's settings: command-line flags, the same names in <data>/sandbox.json
// (flags win, key by key), defaults. Everything is validated here, so the server only ever sees
// well-formed options.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { X509Certificate } from 'node:crypto';
import { printableAscii } from '../shared/text.js';
import { SandboxError } from './errors.js';

export const DEFAULT_SOFTWARE_ID = 'TODOKESANDBOX1';
export const DEFAULT_KEY_TTL_SECONDS = 86_400;
export const DEFAULT_HOST = '127.0.0.1';
/** Port of `todoke sandbox` / `npm run sandbox`; startSandbox() picks a free port unless told. */
export const DEFAULT_CLI_PORT = 8090;
/** [SIM-CHOICE] Signed requests are ~3 KB; e-Gov's limit is unknown. */
export const AUTHENTICATION_BODY_LIMIT = 1024 * 1024;
/** [SIM-CHOICE] 一括申請 limits: e-Gov's exist (仕様書 §10) but their values are unknown; ≥ 32 applications were seen. */
export const DEFAULT_MAX_ZIP_BYTES = 10 * 1024 * 1024;
export const DEFAULT_MAX_APPLICATIONS = 100;
export const DEFAULT_MAX_ZIP_ENTRIES = 2000;
export const DEFAULT_MAX_INFLATED_BYTES = 100 * 1024 * 1024;
/** [SIM-CHOICE] 送信案件一覧 returns at most this many PackageApply records (a cap exists, value unknown). */
export const DEFAULT_MAX_LIST_RECORDS = 1000;
/** [SIM-CHOICE] the 形式チェック runs this long (real time) after a 一括申請 */
export const DEFAULT_FORMAT_CHECK_DELAY_MS = 3000;
export const CONFIG_FILE = 'sandbox.json';
const MAX_KEY_TTL_SECONDS = 10 * 365 * 86_400;
/** sandbox.json holds a handful of settings */
const MAX_CONFIG_BYTES = 64 * 1024;
/** x-eGovAPI-SoftwareID as a header can carry it */
const SOFTWARE_ID = printableAscii(1, 128);

export interface SandboxOptions {
  /** the operator's loopback port: 0 = a free one; none when absent */
  adminPort?: number;
  /** folder of the SQLite file, the TLS material and sandbox.json */
  dataDir: string;
  host?: string;
  /** 0 (default) = any free port */
  port?: number;
  /** x-eGovAPI-SoftwareID values accepted; default [DEFAULT_SOFTWARE_ID] */
  softwareIds?: readonly string[];
  /** extra trust anchors: PEM or DER files, or certificates; a trusted end-entity certificate is its own anchor */
  trust?: ReadonlyArray<string | X509Certificate>;
  /** trust the bundled Todoke Sandbox Test CA (assets/sandbox-pki); default true */
  bundledTrust?: boolean;
  /**
   * The folder of the sandbox's test PKI (its 官職 CA and 官職 signer) and of the server stylesheets it
   * packs beside notices; default assets/sandbox-pki and assets/sandbox-notices beside the sources.
   * A bundle moves the sources away from the assets, so it says where they are.
   */
  pkiDir?: string;
  noticesDir?: string;
  /** fixed sandbox time, or a function the sandbox asks for the time; default the real clock */
  clock?: Date | (() => Date);
  /** access-key lifetime; default 86400 */
  keyTtlSeconds?: number;
  https?: boolean;
  /** body limit of /authentication/ calls; default 1 MiB */
  maxAuthenticationBodyBytes?: number;
  /** 一括申請: largest decoded 申請データ ZIP; default 10 MiB */
  maxZipBytes?: number;
  /** 一括申請: application folders in one ZIP; default 100 */
  maxApplications?: number;
  /** 一括申請: entries in one ZIP; default 2000 */
  maxZipEntries?: number;
  /** 一括申請: all entries of one ZIP inflated; default 100 MiB */
  maxInflatedBytes?: number;
  /** 送信案件一覧: PackageApply records in one answer; default 1000 */
  maxListRecords?: number;
  /** real-time delay between a 一括申請 and its 形式チェック; default 3000 ms (0 in tests) */
  formatCheckDelayMs?: number;
  /**
   * The Url 電子納付対応金融機関一覧 gives the sandbox's stand-in bank; default
   * https://127.0.0.1/standin-bank/, a [SIM-CHOICE] placeholder that nothing serves. Ignored with
   * `standInBank`, whose real address takes its place.
   */
  standInBankUrl?: string;
  /** serve the stand-in bank site on 127.0.0.1 (a free port) and list it under と; default false */
  standInBank?: boolean;
}

/** What flags and sandbox.json resolve to (plain values, printable). */
export interface SandboxSettings {
  dataDir: string;
  host: string;
  port: number;
  softwareIds: string[];
  trust: string[];
  clock: Date | null;
  keyTtlSeconds: number;
  https: boolean;
  /** the operator's loopback port (0 = a free one); absent = none */
  adminPort?: number;
  /** a scenario file to run once the sandbox listens (flag only) */
  scenario?: string;
  /** seconds between a 一括申請 and its 形式チェック (default: the server's, 3 s) */
  formatCheckDelaySeconds?: number;
  /** 送信案件一覧: records in one answer (default: the server's, 1000) */
  maxListRecords?: number;
  /** serve the stand-in bank site (flag only) */
  standInBank?: boolean;
}

function configError(ja: string, en: string): SandboxError {
  return new SandboxError('SANDBOX_CONFIG', { ja, en });
}

export function parsePort(value: unknown, where: string): number {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 65535) {
    throw configError(`${where} のポート番号は 0〜65535 の整数で指定してください（0 は空いている番号）。`, `${where}: port must be an integer 0-65535`);
  }
  return n;
}

export function parseKeyTtl(value: unknown, where: string): number {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_KEY_TTL_SECONDS) {
    throw configError(`${where} のアクセスキー有効期間は 1〜${MAX_KEY_TTL_SECONDS} 秒の整数で指定してください。`, `${where}: key-ttl must be 1-${MAX_KEY_TTL_SECONDS} seconds`);
  }
  return n;
}

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/;

export function parseClock(value: unknown, where: string): Date {
  const d = typeof value === 'string' && ISO_WITH_ZONE.test(value) ? new Date(value) : null;
  if (!d || Number.isNaN(d.getTime())) {
    throw configError(`${where} の時刻は時差付きの ISO-8601 で指定してください（例: 2015-04-28T11:45:07+09:00）。`, `${where}: clock must be ISO-8601 with a zone`);
  }
  return d;
}

/** Longest 形式チェック delay: an hour is already more than a demo or a test wants. */
export const MAX_FORMAT_CHECK_DELAY_SECONDS = 3600;
/** Largest 送信案件一覧 cap: a list of this many records is tens of MB already. */
export const MAX_LIST_RECORDS = 100_000;

export function parseFormatCheckDelay(value: unknown, where: string): number {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > MAX_FORMAT_CHECK_DELAY_SECONDS) {
    throw configError(
      `${where} の形式チェックまでの時間は 0〜${MAX_FORMAT_CHECK_DELAY_SECONDS} 秒の整数で指定してください。`,
      `${where}: format-check-delay must be 0-${MAX_FORMAT_CHECK_DELAY_SECONDS} seconds`,
    );
  }
  return n;
}

export function parseMaxListRecords(value: unknown, where: string): number {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_LIST_RECORDS) {
    throw configError(`${where} の送信案件一覧の件数上限は 1〜${MAX_LIST_RECORDS} の整数で指定してください。`, `${where}: max-list-records must be 1-${MAX_LIST_RECORDS}`);
  }
  return n;
}

export function parseSoftwareId(value: unknown, where: string): string {
  if (typeof value !== 'string' || !SOFTWARE_ID.test(value)) {
    throw configError(`${where} のソフトウェアIDは空白を含まない半角英数字・記号 1〜128 文字で指定してください。`, `${where}: invalid software id`);
  }
  return value;
}

function parseHost(value: unknown, where: string): string {
  if (typeof value !== 'string' || !/^[A-Za-z0-9.:\-[\]]{1,253}$/.test(value)) {
    throw configError(`${where} の待ち受けアドレスが正しくありません。`, `${where}: invalid host`);
  }
  return value;
}

function stringList(value: unknown, where: string): string[] {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.some((v) => typeof v !== 'string')) {
    throw configError(`${where} は文字列か文字列の配列で指定してください。`, `${where}: expected a string or an array of strings`);
  }
  return list as string[];
}

interface PartialSettings {
  port?: number;
  host?: string;
  softwareIds?: string[];
  trust?: string[];
  clock?: Date;
  keyTtlSeconds?: number;
  https?: boolean;
  adminPort?: number;
  formatCheckDelaySeconds?: number;
  maxListRecords?: number;
}

const CONFIG_KEYS = ['port', 'host', 'software-id', 'trust', 'clock', 'key-ttl', 'https', 'admin-port', 'format-check-delay', 'max-list-records'] as const;

/** Reads <dataDir>/sandbox.json; {} when there is none. Relative trust paths are relative to dataDir. */
export function readConfigFile(dataDir: string): PartialSettings {
  const path = resolve(dataDir, CONFIG_FILE);
  if (!existsSync(path)) return {};
  if (statSync(path).size > MAX_CONFIG_BYTES) {
    throw configError(`${path} が大きすぎます（${MAX_CONFIG_BYTES} バイトまで）。設定ファイルを確認してください。`, `${path} is larger than ${MAX_CONFIG_BYTES} bytes`);
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new SandboxError('SANDBOX_CONFIG', { ja: `${path} を JSON として読めません。書式を確認してください。`, en: `${path} is not valid JSON` }, { cause });
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw configError(`${path} は JSON オブジェクトで書いてください。`, `${path} must hold a JSON object`);
  }
  const out: PartialSettings = {};
  for (const [key, value] of Object.entries(json)) {
    const where = `${path} の "${key}"`;
    switch (key as (typeof CONFIG_KEYS)[number]) {
      case 'port':
        out.port = parsePort(value, where);
        break;
      case 'host':
        out.host = parseHost(value, where);
        break;
      case 'software-id':
        out.softwareIds = stringList(value, where).map((v) => parseSoftwareId(v, where));
        break;
      case 'trust':
        out.trust = stringList(value, where).map((p) => (isAbsolute(p) ? p : resolve(dataDir, p)));
        break;
      case 'clock':
        out.clock = parseClock(value, where);
        break;
      case 'key-ttl':
        out.keyTtlSeconds = parseKeyTtl(value, where);
        break;
      case 'https':
        if (typeof value !== 'boolean') throw configError(`${where} は true か false で指定してください。`, `${where}: expected a boolean`);
        out.https = value;
        break;
      case 'admin-port':
        out.adminPort = parsePort(value, where);
        break;
      case 'format-check-delay':
        out.formatCheckDelaySeconds = parseFormatCheckDelay(value, where);
        break;
      case 'max-list-records':
        out.maxListRecords = parseMaxListRecords(value, where);
        break;
      default:
        throw configError(`${path} に不明な設定項目 "${key}" があります（使える項目: ${CONFIG_KEYS.join(', ')}）。`, `${path}: unknown key "${key}"`);
    }
  }
  return out;
}

/**
 * Flags: --port N, --host H, --data DIR, --software-id ID (repeatable), --trust FILE (repeatable),
 * --clock ISO-8601, --key-ttl SECONDS, --https, --admin-port N, --scenario FILE, --format-check-delay SECONDS,
 * --max-list-records N, --standin-bank. Values of sandbox.json in DIR fill what the flags
 * leave out.
 */
export function parseSandboxArgs(args: string[], ctx: { cwd: string; defaultDataDir: string }): SandboxSettings {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        data: { type: 'string' },
        'software-id': { type: 'string', multiple: true },
        trust: { type: 'string', multiple: true },
        clock: { type: 'string' },
        'key-ttl': { type: 'string' },
        https: { type: 'boolean' },
        'admin-port': { type: 'string' },
        scenario: { type: 'string' },
        'format-check-delay': { type: 'string' },
        'max-list-records': { type: 'string' },
        'standin-bank': { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (cause) {
    throw new SandboxError('SANDBOX_CONFIG', { ja: `引数が正しくありません: ${(cause as Error).message}`, en: (cause as Error).message }, { cause });
  }
  const v = parsed.values;
  const dataDir = resolve(ctx.cwd, v.data ?? ctx.defaultDataDir);
  const file = readConfigFile(dataDir);
  const flagClock = v.clock === undefined ? undefined : parseClock(v.clock, '--clock');
  return {
    dataDir,
    host: v.host === undefined ? (file.host ?? DEFAULT_HOST) : parseHost(v.host, '--host'),
    port: v.port === undefined ? (file.port ?? DEFAULT_CLI_PORT) : parsePort(v.port, '--port'),
    softwareIds: v['software-id']?.map((id) => parseSoftwareId(id, '--software-id')) ?? file.softwareIds ?? [DEFAULT_SOFTWARE_ID],
    trust: v.trust?.map((p) => resolve(ctx.cwd, p)) ?? file.trust ?? [],
    clock: flagClock ?? file.clock ?? null,
    keyTtlSeconds: v['key-ttl'] === undefined ? (file.keyTtlSeconds ?? DEFAULT_KEY_TTL_SECONDS) : parseKeyTtl(v['key-ttl'], '--key-ttl'),
    https: v.https ?? file.https ?? false,
    ...adminPortOf(v['admin-port'], file.adminPort),
    ...(v.scenario === undefined ? {} : { scenario: resolve(ctx.cwd, v.scenario) }),
    ...optional('formatCheckDelaySeconds', v['format-check-delay'] === undefined ? file.formatCheckDelaySeconds : parseFormatCheckDelay(v['format-check-delay'], '--format-check-delay')),
    ...optional('maxListRecords', v['max-list-records'] === undefined ? file.maxListRecords : parseMaxListRecords(v['max-list-records'], '--max-list-records')),
    ...(v['standin-bank'] ? { standInBank: true } : {}),
  };
}

function optional<K extends string, T>(key: K, value: T | undefined): { [P in K]?: T } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: T };
}

function adminPortOf(flag: string | undefined, file: number | undefined): { adminPort?: number } {
  if (flag !== undefined) return { adminPort: parsePort(flag, '--admin-port') };
  return file === undefined ? {} : { adminPort: file };
}

export function settingsToOptions(s: SandboxSettings): SandboxOptions {
  return {
    dataDir: s.dataDir,
    host: s.host,
    port: s.port,
    softwareIds: s.softwareIds,
    trust: s.trust,
    ...(s.clock ? { clock: s.clock } : {}),
    keyTtlSeconds: s.keyTtlSeconds,
    https: s.https,
    ...(s.adminPort !== undefined ? { adminPort: s.adminPort } : {}),
    ...(s.formatCheckDelaySeconds !== undefined ? { formatCheckDelayMs: s.formatCheckDelaySeconds * 1000 } : {}),
    ...(s.maxListRecords !== undefined ? { maxListRecords: s.maxListRecords } : {}),
    ...(s.standInBank ? { standInBank: true } : {}),
  };
}
