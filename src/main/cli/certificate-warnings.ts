// Main process (CLI host). Warnings about the signing certificate (expiring soon, expired, not yet
// valid) go to stderr: the command still goes on (a filer may have to sign with a certificate that
// is about to lapse), but never silently, and never into the output a script reads.
import type { X509Certificate } from 'node:crypto';
import { certificateWarnings } from '../signing/warnings.js';
import type { CliIo } from './io.js';

export function printCertificateWarnings(io: CliIo, cert: X509Certificate): void {
  for (const w of certificateWarnings(cert, io.now())) io.stderr(`警告: ${w.messageJa}\n`);
}
