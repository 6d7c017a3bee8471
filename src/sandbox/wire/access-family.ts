// Sandbox (Node). The "access" serialiser family (REFERENCE §2.5): XML declaration always, CRLF,
// TAB-indented children, fixed blank-line slots, no newline after </DataRoot>. No /access/ API
// exists in the sandbox yet; this writes its error bodies (401 key refused, 404 unknown API).
// [SIM-CHOICE] Layout of those errors: the 状況照会 slots (3 empty lines before <Result>, one
// before </DataRoot>) with an empty ApplData, since no recorded body shows an access-family
// error that is not tied to a specific API.
import { escapeXmlText } from './xml-text.js';

export function writeAccessErrorBody(message: string): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<DataRoot>',
    '',
    '',
    '',
    '<Result>',
    '\t<Code>1</Code>',
    `\t<Message>${escapeXmlText(message)}</Message>`,
    '</Result>',
    '<ApplData>',
    '</ApplData>',
    '',
    '</DataRoot>',
  ].join('\r\n');
}
