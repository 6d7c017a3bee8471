// Main process (CLI host). Certificate warnings go to stderr: signing still happens (a filer may
// have to sign with a certificate that is about to lapse), but never silently.
import type { X509Certificate } from 'node:crypto';
import { certificateWarnings } from '../../signing/warnings.js';
import type { CliIo } from '../io.js';

export function printCertificateWarnings(cert: X509Certificate, io: CliIo): void {
  for (const w of certificateWarnings(cert, io.now())) io.stderr(`警告: ${w.messageJa}\n`);
}
