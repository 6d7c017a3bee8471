// Main process (CLI host). `todoke sign request`: a signed 利用者ID登録 / 利用者認証 body on stdout.
import { parseArgs } from 'node:util';
import { jstTimestamp } from '../../../shared/jst.js';
import { signRequestBody, xmlText } from '../../signing/xml/index.js';
import type { CliIo } from '../io.js';
import { EXIT_OK } from '../io.js';
import { printCertificateWarnings } from '../certificate-warnings.js';
import { userIdFrom } from '../identity-flags.js';
import { withSignerFromFlags } from '../with-signer.js';
import { signerOptions } from '../signer-flags.js';
import { UsageError } from '../usage-error.js';

const SIGNATURE_ID = /^[A-Za-z0-9_.-]{1,64}$/;

export async function signRequestCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { ...signerOptions, 'user-id': { type: 'string' }, kind: { type: 'string', default: 'register' }, 'signature-id': { type: 'string' } },
    strict: true,
    allowPositionals: false,
  });
  const userId = userIdFrom(values);
  // 利用者ID登録 and 利用者認証 carry the same signed body (REFERENCE §4.1, §4.2); --kind is
  // checked so that a typo is caught, and names the API the body is for.
  if (values.kind !== 'register' && values.kind !== 'login') {
    throw new UsageError('--kind は register（利用者ID登録）か login（利用者認証）です。', '--kind is register or login');
  }
  const signatureId = values['signature-id'] ?? jstTimestamp(io.now());
  if (!SIGNATURE_ID.test(signatureId)) {
    throw new UsageError('--signature-id は半角英数字と . _ - で 64 文字までです。', '--signature-id: letters, digits, . _ - (up to 64)');
  }
  await withSignerFromFlags(values, io, values.kind, async (signer) => {
    printCertificateWarnings(io, signer.certificate);
    io.stdout(await signRequestBody(`<UserID>${xmlText(userId)}</UserID>`, signer, { signatureId }));
  });
  return EXIT_OK;
}
