// Runs in every process (the first-run form in the renderer included, so no Node APIs). The one
// rule for an endpoint URL, used by the e-Gov client, the profile on disk, the first-run form and
// the CLI's --endpoint, so each says the same thing about the same input. e-Gov v1 lives at
// `https://{host}/shinsei/1/` and every API is a path below it (REFERENCE §2); the client builds
// request URLs by appending `authentication/login` etc. to this base, so the base always ends in
// `/shinsei/1/`. People may type the host alone or the whole base; both mean the same.
//
// Any other path is refused, a reverse-proxy prefix (`https://proxy/egov/shinsei/1/`) included:
// e-Gov and its verification environment served the API only at `/shinsei/1/`, and the mistake
// seen in practice is pasting one API's URL (`…/shinsei/1/authentication/login`), which a prefix
// rule would turn into a base that fails only at the first login, as a 404 nobody can read. A proxy
// in front of e-Gov can forward at its host root instead.

export type EndpointProblem = 'empty' | 'tooLong' | 'notUrl' | 'scheme' | 'insecureHttp' | 'credentials' | 'queryOrFragment' | 'path';

export type EndpointCheck = { ok: true; baseUrl: string } | { ok: false; code: EndpointProblem; message: string; messageJa: string };

/** The longest endpoint URL accepted, as typed and as normalised. */
export const MAX_ENDPOINT_URL_LENGTH = 2048;
/** Where the v1 API lives on its host (REFERENCE §2). */
const ENDPOINT_BASE_PATH = '/shinsei/1/';

const EXAMPLE = `https://example.e-gov.go.jp${ENDPOINT_BASE_PATH}`;
const ACCEPTED_PATHS = new Set(['/', '/shinsei/1', ENDPOINT_BASE_PATH]);

const MESSAGES: Record<EndpointProblem, { en: string; ja: string }> = {
  empty: {
    ja: `接続先 URL を入力してください（例: ${EXAMPLE}）。`,
    en: `Enter the endpoint URL (for example ${EXAMPLE}).`,
  },
  tooLong: {
    ja: `接続先 URL が長すぎます（${MAX_ENDPOINT_URL_LENGTH} 文字まで）。https://ホスト名/shinsei/1/ の形で入力してください。`,
    en: `The endpoint URL is too long (at most ${MAX_ENDPOINT_URL_LENGTH} characters). Enter it as https://host/shinsei/1/.`,
  },
  notUrl: {
    ja: `接続先 URL の形式が正しくありません。空白や制御文字を含めず、https://ホスト名/shinsei/1/ の形で入力してください（例: ${EXAMPLE}）。`,
    en: `The endpoint URL is not a valid URL. Enter it as https://host/shinsei/1/, without spaces or control characters (for example ${EXAMPLE}).`,
  },
  scheme: {
    ja: `接続先 URL は https:// で始めてください（例: ${EXAMPLE}）。`,
    en: `Start the endpoint URL with https:// (for example ${EXAMPLE}).`,
  },
  insecureHttp: {
    ja: '暗号化されない http:// は、この PC 内の検証用サーバー（127.0.0.1、localhost、[::1]）にだけ使えます。接続先 URL は https:// で始めてください。',
    en: 'Plain http:// is only allowed to a test server on this computer (127.0.0.1, localhost, [::1]). Start the endpoint URL with https://.',
  },
  credentials: {
    ja: '接続先 URL に ID やパスワードを含めないでください。Basic認証の ID とパスワードは、URL とは別に Basic認証の設定で指定してください。',
    en: 'Remove the user name and password from the endpoint URL; give Basic authentication credentials in their own settings.',
  },
  queryOrFragment: {
    ja: '接続先 URL に「?」や「#」から後ろは付けられません。https://ホスト名/shinsei/1/ までを入力してください。',
    en: 'Remove the ? or # part from the endpoint URL; enter it up to https://host/shinsei/1/.',
  },
  path: {
    ja: '接続先 URL のパスは /shinsei/1/ だけが使えます。https://ホスト名/ か https://ホスト名/shinsei/1/ の形で入力してください（個々の API の URL ではなく、その手前までです）。',
    en: 'The endpoint URL may only have the path /shinsei/1/. Enter https://host/ or https://host/shinsei/1/ (not the URL of one API call).',
  },
};

// Spaces and control characters anywhere inside. The URL parser would quietly drop tabs and
// newlines and trim the rest, so a URL with them could be stored as something other than what
// the person sees; refusing them keeps "what was typed" and "what is used" the same.
// eslint-disable-next-line no-control-regex
const SPACE_OR_CONTROL = /[\u0000-\u0020\u007f-\u009f\u00a0\u2028\u2029]/;
const HAS_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;

/**
 * Checks an endpoint URL as a person typed it and returns the base URL every request is built
 * on: `https://host[:port]/shinsei/1/` (scheme and host lower-cased, default port dropped).
 */
export function checkEndpoint(input: string): EndpointCheck {
  if (typeof input !== 'string') return problem('notUrl');
  // before anything else, so hostile input costs nothing to refuse
  if (input.length > MAX_ENDPOINT_URL_LENGTH) return problem('tooLong');
  const text = input.trim();
  if (text === '') return problem('empty');
  if (SPACE_OR_CONTROL.test(text)) return problem('notUrl');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    // `example.jp/shinsei/1/`: the scheme is what is missing
    return problem(HAS_SCHEME.test(text) ? 'notUrl' : 'scheme');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return problem('scheme');
  if (url.username !== '' || url.password !== '') return problem('credentials');
  // a bare `?` or `#` leaves search and hash empty; it is still not part of an endpoint
  if (url.search !== '' || url.hash !== '' || /[?#]/.test(text)) return problem('queryOrFragment');
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) return problem('insecureHttp');
  if (!ACCEPTED_PATHS.has(url.pathname)) return problem('path');
  const baseUrl = `${url.protocol}//${url.host}${ENDPOINT_BASE_PATH}`;
  // a short host written in Unicode can grow when encoded as punycode
  if (baseUrl.length > MAX_ENDPOINT_URL_LENGTH) return problem('tooLong');
  return { ok: true, baseUrl };
}

/** This computer, as the URL parser writes it (it has already turned `0x7f.1` into `127.0.0.1`). */
function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

function problem(code: EndpointProblem): EndpointCheck {
  const { en, ja } = MESSAGES[code];
  return { ok: false, code, message: en, messageJa: ja };
}
