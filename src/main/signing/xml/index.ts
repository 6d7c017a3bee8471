// Main process. The public face of XML signing and verification for the e-Gov profiles.
export { parseXmlSafely, DEFAULT_MAX_XML_BYTES, type ParseXmlOptions } from './safe-xml.js';
export { signRequestBody, xmlText, type SignRequestOptions } from './request-profile.js';
export { signKousei, signKouseiDetailed, type SignKouseiOptions, type SignedKousei } from './kousei-profile.js';
export {
  signKouseiInFolder,
  folderFileReader,
  KOUSEI_FILE_NAME,
  type SignKouseiInFolderOptions,
  type SignKouseiInFolderResult,
} from './kousei-folder.js';
export type { KouseiReferenceForm } from './kousei-files.js';
export {
  verifySignedXml,
  type ReadFile,
  type ReferenceResult,
  type SignatureProfile,
  type VerificationReport,
  type VerifyOptions,
} from './verify.js';
export { judgeChain, type ChainResult } from './chain.js';
