// Main process. The e-Gov API v1 (外部連携API) client: transport, codec, identity APIs, session.
export { EgovClient, DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT_MS, type EgovClientOptions, type EgovRequest, type HttpMethod, type RawResponse } from './http.js';
export { EgovError, isEgovError, type EgovDelivery, type EgovErrorCode } from './errors.js';
export { interpretResponse, SUCCESS_STATUSES, type EgovReply } from './reply.js';
export { parseEgovDocument, parseXmlDocument, requiredText, optionalText, requiredChild, childList, type EgovDocument, type EgovResult, type XmlNode, type XmlValue } from './xml.js';
export {
  registerUser,
  login,
  appendCertificate,
  updateCertificate,
  deleteCertificate,
  type SignedCallArgs,
  type CertificateArgs,
  type UpdateCertificateArgs,
  type RegisterResult,
  type LoginResult,
  type CertificateChangeResult,
} from './authentication.js';
export { EgovV1Gateway, isAccessKeyRejection, type AccessOptions, type EgovV1GatewayOptions } from './gateway-v1.js';
export { parseJstTimestamp } from './dates.js';
