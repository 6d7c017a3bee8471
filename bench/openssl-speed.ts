// Benchmarks (Node). The machine's raw RSA-2048 signing rate, measured by OpenSSL itself in the
// same run, is the reference our signing figures are compared against.
import { execFileSync } from 'node:child_process';

export function opensslRsa2048SignsPerSecond(seconds = 3): number {
  const out = execFileSync('openssl', ['speed', '-seconds', String(seconds), 'rsa2048'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  // "rsa 2048 bits 0.000679s 0.000020s   1472.6  50000.0" — columns: sign, verify, sign/s, verify/s
  const line = out.split('\n').find((l) => /^rsa\s+2048 bits/.test(l));
  const fields = line?.trim().split(/\s+/);
  const signsPerSecond = Number(fields?.[5]);
  if (!Number.isFinite(signsPerSecond) || signsPerSecond <= 0) throw new Error(`could not read openssl speed output:\n${out}`);
  return signsPerSecond;
}
