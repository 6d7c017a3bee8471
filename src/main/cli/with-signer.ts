// Main process (CLI host). The sign commands' way from flags to a Signer: the same signer flags
// and the same password / PIN prompt as the identity commands, and the same core code that opens a
// profile's signer (identity/signer-reference.ts), so a file or a card behaves alike in
// `todoke sign …` and `todoke login`.
import { openSignerFor } from '../identity/signer-reference.js';
import type { Signer } from '../signing/signer.js';
import { CliCredentials, type SecretPurpose } from './credentials.js';
import type { CliIo } from './io.js';
import { noSigner, signerReferenceFromFlags, type SignerFlags } from './signer-flags.js';

/**
 * Runs `task` with the signer the flags name, closed afterwards. The whole task is covered, not
 * only the opening: a card may ask for its PIN at the first signature.
 */
export async function withSignerFromFlags<T>(flags: SignerFlags, io: CliIo, purpose: SecretPurpose, task: (signer: Signer) => Promise<T>): Promise<T> {
  const credentials = new CliCredentials(io, flags);
  const ref = await signerReferenceFromFlags(flags, io);
  if (!ref) throw noSigner();
  try {
    // The core's purposes are its own use cases, and signing a folder is not one of them; the
    // purpose only travels back to `ask`, which names the CLI's own instead.
    const signer = await openSignerFor(ref, credentials.askFor(purpose), { purpose: purpose === 'sign.kousei' ? 'login' : purpose });
    try {
      return await task(signer);
    } finally {
      await signer.close();
    }
  } catch (e) {
    throw credentials.explain(e);
  }
}
