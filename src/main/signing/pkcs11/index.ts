// Main process. PKCS#11 tokens (IC cards, HSMs) as signers.
export { openPkcs11Signer, Pkcs11Signer, type Pkcs11SignerOptions } from './signer.js';
export { listTokens, listTokenCertificates, selectToken, type TokenInfo, type TokenSelector, type TokenCertificate } from './tokens.js';
export { mapPkcs11Error, ckrName, type Pkcs11ErrorContext, type Pkcs11Operation } from './errors.js';
export { pinWarning, pinRetryMessage, pinRequest, tokenFlags, type PinProvider, type PinRequest, type TokenFlags } from './pin.js';
export { chooseMechanism, sha256DigestInfo, SHA256_DIGEST_INFO_PREFIX, type MechanismPreference, type SigningMechanism } from './mechanism.js';
export { chooseCertificate } from './objects.js';
