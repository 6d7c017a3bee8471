// Renderer. What is on the IC cards and tokens a PKCS#11 module reaches: the tokens
// (`pkcs11.tokens`) and the certificates on one (`pkcs11.certificates`). No PIN is needed for
// either. Nothing is kept: the certificate chooser holds what it shows, as each chooser may look
// at a different module.
import { create } from 'zustand';
import type { Envelope } from '../../shared/contract.js';
import type { TokenCertificateView, TokenView } from '../../shared/domain.js';
import { requireCoreApi } from '../api.js';

interface Pkcs11State {
  tokens(modulePath: string): Promise<Envelope<TokenView[]>>;
  certificates(modulePath: string, tokenSerial: string): Promise<Envelope<TokenCertificateView[]>>;
}

export const usePkcs11Store = create<Pkcs11State>()(() => ({
  tokens: (modulePath) => requireCoreApi()['pkcs11.tokens']({ modulePath }),
  certificates: (modulePath, tokenSerial) => requireCoreApi()['pkcs11.certificates']({ modulePath, tokenSerial }),
}));
