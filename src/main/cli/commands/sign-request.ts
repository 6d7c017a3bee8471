// Main process (CLI host). `todoke sign request`: a signed 利用者ID登録 / 利用者認証 body on stdout.
import { parseArgs } from 'node:util';
import { jstTimestamp } from '../../../shared/jst.js';
import { signRequestBody, xmlText } from '../../signing/xml/index.js';
import type { CliIo } from '../io.js';
import { EXIT_OK } from '../io.js';
import { openSignerFromFlags, signerOptions } from '../signer-options.js';
import { UsageError } from '../usage-error.js';
import { printCertificateWarnings } from './warnings.js';

const USER_ID = /^[\x21-\x7e]{1,64}$/;
const SIGNATURE_ID = /^[A-Za-z0-9_.-]{1,64}$/;

export async function signRequestCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { ...signerOptions, 'user-id': { type: 'string' }, kind: { type: 'string', default: 'register' }, 'signature-id': { type: 'string' } },
    strict: true,
    allowPositionals: false,
  });
  const userId = values['user-id'];
  if (userId === undefined || !USER_ID.test(userId)) {
    throw new UsageError('--user-id に利用者ID（半角英数字と記号、64 文字まで）を指定してください。', '--user-id ID is required (printable ASCII, up to 64 characters)');
  }
  // 利用者ID登録 and 利用者認証 carry the same signed body (REFERENCE §4.1, §4.2); --kind is
  // checked so that a typo is caught, and names the API the body is for.
  if (values.kind !== 'register' && values.kind !== 'login') {
    throw new UsageError('--kind は register（利用者ID登録）か login（利用者認証）です。', '--kind is register or login');
  }
  const signatureId = values['signature-id'] ?? jstTimestamp(io.now());
  if (!SIGNATURE_ID.test(signatureId)) {
    throw new UsageError('--signature-id は半角英数字と . _ - で 64 文字までです。', '--signature-id: letters, digits, . _ - (up to 64)');
  }
  const signer = await openSignerFromFlags(values, io);
  try {
    printCertificateWarnings(signer.certificate, io);
    io.stdout(await signRequestBody(`<UserID>${xmlText(userId)}</UserID>`, signer, { signatureId }));
  } finally {
    await signer.close();
  }
  return EXIT_OK;
}
