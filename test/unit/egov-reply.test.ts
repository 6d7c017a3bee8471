// What an HTTP status plus body from e-Gov means: success only for 200/201/202 with Code 0; Code 1 and
// 400/500 bodies keep the server's message verbatim; unreadable answers get their own typed codes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isEgovError, type EgovError, type EgovErrorCode } from '../../src/main/egov/errors.js';
import { interpretResponse } from '../../src/main/egov/reply.js';

const ok = (inner = '<UserID>u1</UserID>'): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<DataRoot>\n<Result>\n<Code>0</Code>\n<Message></Message>\n</Result>\n<ApplData>\n${inner}\n</ApplData>\n</DataRoot>\n`;
const failure = (message: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\r\n<DataRoot>\r\n\r\n\r\n\t<Result>\r\n\t\t<Code>1</Code>\r\n\t\t<Message>${message}</Message>\r\n\t</Result>\r\n\t<ApplData>\r\n\t</ApplData>\r\n</DataRoot>`;
const SYSTEM_ERROR = 'システムでエラーが発生したため処理が中断されました。電子政府利用支援センターまでご連絡ください。';
const HTML = '<html><head><title>502 Bad Gateway</title></head><body>bad gateway</body></html>';

function rejects(status: number, body: string, code: EgovErrorCode, check: (e: EgovError) => void = () => {}): void {
  assert.throws(
    () => interpretResponse(status, Buffer.from(body, 'utf8')),
    (e: unknown) => {
      assert.ok(isEgovError(e, code), `HTTP ${status}: expected ${code}, got ${String(e)}`);
      assert.equal(e.status, status);
      assert.equal(e.delivery, 'answered');
      // every message tells the user what to do next, in Japanese
      assert.match(e.messageJa, /(してください|お試しください)/);
      check(e);
      return true;
    },
  );
}

void describe('interpretResponse: success', () => {
  for (const status of [200, 201, 202]) {
    void it(`accepts HTTP ${status} with Code 0`, () => {
      const reply = interpretResponse(status, Buffer.from(ok()));
      assert.deepEqual(reply, { status, message: '', applData: { UserID: 'u1' } });
    });
  }

  void it('passes the list elements to the codec', () => {
    const reply = interpretResponse(200, ok('<List><Item>1</Item></List>'), { arrayElements: ['Item'] });
    assert.deepEqual(reply.applData, { List: { Item: ['1'] } });
  });
});

void describe('interpretResponse: errors the server explains (Code 1)', () => {
  void it('keeps the 400 message verbatim with its status', () => {
    const message = '該当する申請情報が存在しません。指定した取得対象期間を確認してください。';
    rejects(400, failure(message), 'EGOV_API_ERROR', (e) => {
      assert.equal(e.serverMessage, message);
      assert.ok(e.messageJa.includes(message));
    });
  });

  void it('reads a 500 with a Result body as the server\'s own error, not a transport failure', () => {
    rejects(500, failure(SYSTEM_ERROR), 'EGOV_API_ERROR', (e) => assert.equal(e.serverMessage, SYSTEM_ERROR));
  });

  void it('treats Code 1 inside a 2xx as an error', () => {
    rejects(200, failure('x &amp; y'), 'EGOV_API_ERROR', (e) => assert.equal(e.serverMessage, 'x & y'));
  });

  void it('says so when the server gave no message', () => {
    rejects(400, failure(''), 'EGOV_API_ERROR', (e) => {
      assert.equal(e.serverMessage, '');
      assert.match(e.messageJa, /メッセージなし/);
    });
  });
});

void describe('interpretResponse: authentication failures', () => {
  void it('maps 401 with and without an XML body to EGOV_AUTH_FAILED, keeping the message', () => {
    rejects(401, failure('アクセスキーが不正です。'), 'EGOV_AUTH_FAILED', (e) => assert.equal(e.serverMessage, 'アクセスキーが不正です。'));
    rejects(401, '<html><body>Authorization Required</body></html>', 'EGOV_AUTH_FAILED', (e) => assert.equal(e.serverMessage, undefined));
    rejects(401, '', 'EGOV_AUTH_FAILED');
  });
});

void describe('interpretResponse: answers without a usable body', () => {
  for (const status of [500, 502, 503, 504]) {
    void it(`HTTP ${status} with HTML, text or nothing → EGOV_SERVER_ERROR`, () => {
      rejects(status, HTML, 'EGOV_SERVER_ERROR');
      rejects(status, 'Service Unavailable', 'EGOV_SERVER_ERROR');
      rejects(status, '', 'EGOV_SERVER_ERROR');
      rejects(status, failure('x').slice(0, 60), 'EGOV_SERVER_ERROR');
    });
  }

  void it('other statuses without a Result → EGOV_UNEXPECTED_STATUS', () => {
    for (const status of [204, 301, 302, 304, 403, 404, 405, 418, 429]) rejects(status, status === 404 ? HTML : '', 'EGOV_UNEXPECTED_STATUS');
  });

  void it('a success status with a body that is not a Result → EGOV_MALFORMED_RESPONSE with the status', () => {
    rejects(200, HTML, 'EGOV_MALFORMED_RESPONSE', (e) => assert.match(String(e.detail?.reason), /root element is html/));
    rejects(200, '', 'EGOV_MALFORMED_RESPONSE');
    rejects(201, ok().slice(0, 80), 'EGOV_MALFORMED_RESPONSE');
    rejects(202, ok().replace('<Code>0</Code>', '<Code>9</Code>'), 'EGOV_MALFORMED_RESPONSE', (e) => assert.match(String(e.detail?.reason), /unknown Result\/Code/));
    rejects(200, '<DataRoot><Result><Code>0</Code><Message/></Result></DataRoot>', 'EGOV_MALFORMED_RESPONSE', (e) => assert.match(String(e.detail?.reason), /without ApplData/));
  });

  void it('an error status that claims success → EGOV_MALFORMED_RESPONSE', () => {
    rejects(400, ok(), 'EGOV_MALFORMED_RESPONSE', (e) => assert.match(String(e.detail?.reason), /HTTP 400 with Result\/Code 0/));
  });
});
