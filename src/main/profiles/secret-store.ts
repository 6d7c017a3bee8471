// Main process. Where secrets that outlive one run are kept (the access key, a Basic-auth
// password): never in profile.json. Two kinds:
//  - FileSecretStore: the CLI's. A JSON file in the profile folder, owner-only (0600 in a 0700 folder).
//  - SealedSecretStore: the desktop app's. Sealed by the OS keychain through a Sealer (Electron's
//    safeStorage); when the OS offers only a plaintext backend it refuses to store anything, so
//    the secret stays in memory for this run only.
import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileDurably } from '../store/durable-file.js';
import { ProfileError } from './errors.js';

export type SecretName = 'accessKey' | 'basicAuthPassword';

export interface SecretStore {
  /** false when `write` would refuse (no safe place on this machine) */
  readonly canPersist: boolean;
  read(name: SecretName): Promise<string | null>;
  /** throws SECRET_STORE_UNAVAILABLE when `canPersist` is false */
  write(name: SecretName, value: string): Promise<void>;
  delete(name: SecretName): Promise<void>;
}

const MAX_SECRETS_BYTES = 64 * 1024;

type SecretMap = Partial<Record<SecretName, string>>;

function parseSecrets(text: string, path: string): SecretMap {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw secretCorrupt(path, e);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw secretCorrupt(path);
  const out: SecretMap = {};
  for (const name of ['accessKey', 'basicAuthPassword'] as const) {
    const v = (json as Record<string, unknown>)[name];
    if (v === undefined) continue;
    if (typeof v !== 'string') throw secretCorrupt(path);
    out[name] = v;
  }
  return out;
}

function secretCorrupt(path: string, cause?: unknown): ProfileError {
  return new ProfileError(
    'SECRET_CORRUPT',
    { ja: `保存されているアクセスキー等（${path}）が読めません。もう一度ログインしてください。`, en: `the secret file ${path} is unreadable` },
    { cause, detail: { path } },
  );
}

/** Reads a file of at most MAX_SECRETS_BYTES; null when it does not exist. */
async function readSmall(path: string): Promise<Buffer | null> {
  try {
    const info = await stat(path);
    if (!info.isFile() || info.size > MAX_SECRETS_BYTES) throw secretCorrupt(path);
    return await readFile(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

abstract class JsonSecretStore implements SecretStore {
  abstract readonly canPersist: boolean;
  protected abstract readonly path: string;
  protected abstract decode(bytes: Buffer): string | Promise<string>;
  protected abstract encode(text: string): Buffer | Promise<Buffer>;
  // One write at a time, so two quick updates cannot interleave their read-modify-write.
  #queue: Promise<unknown> = Promise.resolve();

  async read(name: SecretName): Promise<string | null> {
    await this.#queue.catch(() => undefined);
    return (await this.#readAll())[name] ?? null;
  }

  write(name: SecretName, value: string): Promise<void> {
    return this.#enqueue(async () => {
      if (!this.canPersist) throw unavailable();
      const all = await this.#readAll().catch(() => ({}) as SecretMap);
      await writeFileDurably(this.path, await this.encode(JSON.stringify({ ...all, [name]: value })), { makeFolders: true });
    });
  }

  delete(name: SecretName): Promise<void> {
    return this.#enqueue(async () => {
      const all = await this.#readAll().catch(() => ({}) as SecretMap);
      if (!(name in all)) return;
      delete all[name];
      if (Object.keys(all).length === 0) await rm(this.path, { force: true });
      else if (this.canPersist) await writeFileDurably(this.path, await this.encode(JSON.stringify(all)), { makeFolders: true });
      else await rm(this.path, { force: true });
    });
  }

  async #readAll(): Promise<SecretMap> {
    if (!this.canPersist) return {};
    const bytes = await readSmall(this.path);
    if (bytes === null) return {};
    let text: string;
    try {
      text = await this.decode(bytes);
    } catch (e) {
      throw secretCorrupt(this.path, e);
    }
    return parseSecrets(text, this.path);
  }

  #enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.#queue.catch(() => undefined).then(task);
    this.#queue = run;
    return run;
  }
}

export class FileSecretStore extends JsonSecretStore {
  readonly canPersist = true;
  protected readonly path: string;
  constructor(profileDir: string) {
    super();
    this.path = join(profileDir, 'secrets.json');
  }
  protected decode(bytes: Buffer): string {
    return bytes.toString('utf8');
  }
  protected encode(text: string): Buffer {
    return Buffer.from(text, 'utf8');
  }
}

/**
 * What Electron's safeStorage offers, as far as a SealedSecretStore needs it. Sealing may answer
 * later: the core host asks the Electron main process, the only one allowed to call safeStorage.
 */
export interface Sealer {
  isEncryptionAvailable(): boolean;
  /** Linux: 'basic_text' means no keyring, i.e. a hard-coded key; elsewhere absent */
  backend?(): string;
  encryptString(text: string): Buffer | Promise<Buffer>;
  decryptString(sealed: Buffer): string | Promise<string>;
}

/** Backends that would only obfuscate: refuse to persist with them. */
const PLAINTEXT_BACKENDS = new Set(['basic_text', 'unknown']);

export function sealerIsSafe(sealer: Sealer): boolean {
  if (!sealer.isEncryptionAvailable()) return false;
  const backend = sealer.backend?.();
  return backend === undefined || !PLAINTEXT_BACKENDS.has(backend);
}

export class SealedSecretStore extends JsonSecretStore {
  readonly canPersist: boolean;
  protected readonly path: string;
  readonly #sealer: Sealer;
  constructor(profileDir: string, sealer: Sealer) {
    super();
    this.path = join(profileDir, 'secrets.sealed');
    this.#sealer = sealer;
    this.canPersist = sealerIsSafe(sealer);
  }
  protected decode(bytes: Buffer): string | Promise<string> {
    return this.#sealer.decryptString(bytes);
  }
  protected encode(text: string): Buffer | Promise<Buffer> {
    return this.#sealer.encryptString(text);
  }
}

function unavailable(): ProfileError {
  return new ProfileError('SECRET_STORE_UNAVAILABLE', {
    ja: 'この PC には秘密情報を安全に保存する仕組み（キーチェーン等）がないため、アクセスキーは保存せず、アプリを閉じるまでだけ使います。',
    en: 'no OS keychain is available; the secret is kept in memory only',
  });
}
