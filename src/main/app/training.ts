// Main process (core). The bundled training certificates (assets/sandbox-pki; test-only, their
// keys and password are public): offered in the UI only while the built-in sandbox is the
// endpoint, so a new filer can practise registration, login and renewal without a real certificate.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TrainingCertificate } from '../../shared/domain.js';
import { openPkcs12 } from '../signing/file-signer.js';

/** The password of every PKCS#12 file in assets/sandbox-pki (see its README). */
export const TRAINING_PASSWORD = 'todoke';

const FILES: ReadonlyArray<{ fileName: string; role: TrainingCertificate['role'] }> = [
  { fileName: 'yamada-taro.p12', role: 'first' },
  { fileName: 'yamada-taro-renewed.p12', role: 'renewal' },
  { fileName: 'suzuki-hanako.p12', role: 'second' },
];

/** Reads and checks the bundled files; a missing or broken one is left out rather than offered. */
export async function readTrainingCertificates(dir: string): Promise<TrainingCertificate[]> {
  const found = await Promise.all(
    FILES.map(async ({ fileName, role }): Promise<TrainingCertificate | null> => {
      try {
        const bytes = await readFile(join(dir, fileName));
        const signer = openPkcs12(bytes, TRAINING_PASSWORD);
        const commonName = /(?:^|\n)CN=([^\n]*)/.exec(signer.certificate.subject)?.[1] ?? fileName;
        await signer.close();
        return { fileName, commonName, role, dataBase64: bytes.toString('base64'), password: TRAINING_PASSWORD };
      } catch {
        return null;
      }
    }),
  );
  return found.filter((c): c is TrainingCertificate => c !== null);
}
