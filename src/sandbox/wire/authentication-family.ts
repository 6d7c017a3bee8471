// Sandbox (Node). The "authentication" serialiser family of e-Gov's responses (REFERENCE §2.5,
// Appendix A.1–A.6): LF line ends, no indentation, one element per line, a trailing LF, empty
// values as a start and end tag. Successful bodies start with the XML declaration; the one recorded
// error body (A.2) has none, and the sandbox writes every error of this family that way.
import { escapeXmlText } from './xml-text.js';

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

export interface AuthenticationBody {
  code: '0' | '1';
  message: string;
  /** ApplData children in order; values are plain text and are escaped here */
  fields: ReadonlyArray<readonly [name: string, value: string]>;
}

export function writeAuthenticationBody(body: AuthenticationBody): string {
  const lines = [
    '<DataRoot>',
    '<Result>',
    `<Code>${body.code}</Code>`,
    `<Message>${escapeXmlText(body.message)}</Message>`,
    '</Result>',
    '<ApplData>',
    ...body.fields.map(([name, value]) => `<${name}>${escapeXmlText(value)}</${name}>`),
    '</ApplData>',
    '</DataRoot>',
  ];
  return (body.code === '0' ? DECLARATION : '') + lines.join('\n') + '\n';
}
