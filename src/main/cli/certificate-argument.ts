// Main process (CLI host). A certificate named as a file on the command line (cert add / delete
// FILE, cert update --old FILE): PEM or DER as is, or the certificate inside a .p12 / .pfx.
import type { X509Certificate } from 'node:crypto';
import { basename } from 'node:path';
import { isTodokeError } from '../../shared/errors.js';
import { MAX_PASSWORD_ATTEMPTS } from '../identity/signer-reference.js';
import { parseCertificate } from '../signing/certificate.js';
import { openPkcs12 } from '../signing/file-signer.js';
import { CliError } from './cli-error.js';
import { readEnvSecret } from './env-secret.js';
import type { CliIo } from './io.js';
import { shown } from './shown.js';
import { readSmallFile } from './small-file.js';
import { UsageError } from './usage-error.js';

const PKCS12_NAME = /\.(p12|pfx)$/i;

/**
 * The certificate in FILE. A .p12 / .pfx is opened with the password from --file-password-env
 * (tried once) or typed on the terminal; its key is not used, only its certificate.
 */
export async function readCertificateArgument(io: CliIo, path: string, passwordEnv: string | undefined): Promise<X509Certificate> {
  const bytes = await readSmallFile(io, path, '証明書ファイル');
  if (!PKCS12_NAME.test(path)) {
    if (passwordEnv !== undefined) throw new UsageError('--file-password-env は .p12 / .pfx ファイルを指定したときだけ使います。', '--file-password-env is for .p12 / .pfx files');
    return parseCertificate(bytes);
  }
  const fromEnv = passwordEnv === undefined ? undefined : readEnvSecret(io, 'file-password-env', passwordEnv, 'パスワード');
  for (let attempt = 1; ; attempt++) {
    let password: string | null | undefined = fromEnv;
    if (password === undefined) {
      password = await io.promptSecret(`${attempt > 1 ? 'パスワードが違います。\n' : ''}「${shown(basename(path))}」のパスワードを入力してください（Ctrl+C で中止）: `);
      if (password === null) {
        throw new CliError('CREDENTIAL_MISSING', {
          ja: `「${shown(basename(path))}」のパスワードが入力されなかったため、中止しました。端末から実行して入力するか、--file-password-env 環境変数名 で渡してください。`,
          en: 'no password for the PKCS#12 file: run in a terminal or pass --file-password-env',
        });
      }
    }
    try {
      const signer = openPkcs12(bytes, password);
      try {
        return signer.certificate;
      } finally {
        await signer.close();
      }
    } catch (e) {
      if (!isTodokeError(e, 'BAD_PASSWORD') || fromEnv !== undefined || attempt >= MAX_PASSWORD_ATTEMPTS) throw e;
    }
  }
}
