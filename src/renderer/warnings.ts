// Renderer. How a certificate warning from the core is shown: its tone and short title. The core's
// codes are matched here and nowhere else; an unknown code still shows, as a plain warning.
import type { CertificateWarning } from '../shared/domain.js';
import type { Messages } from './messages/index.js';

export type WarningKind = 'expired' | 'notYetValid' | 'expiringSoon' | 'other';

const KINDS: Record<string, WarningKind> = {
  CERT_EXPIRED: 'expired',
  CERT_NOT_YET_VALID: 'notYetValid',
  CERT_EXPIRES_SOON: 'expiringSoon',
};

export function warningKind(warning: CertificateWarning): WarningKind {
  return KINDS[warning.code] ?? 'other';
}

export function warningTone(kind: WarningKind): 'danger' | 'warning' {
  return kind === 'expired' || kind === 'notYetValid' ? 'danger' : 'warning';
}

export function warningTitle(kind: WarningKind, m: Messages): string {
  return m.certificate.warningTitle[kind];
}
