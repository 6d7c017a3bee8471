// Main process. The typed failures of XML parsing, signing and verification, each with a Japanese
// message that says what the filer can do about it. One place, so the wording stays consistent.
import { SigningError } from '../errors.js';

export function xmlMalformed(reason: string, cause?: unknown): SigningError {
  return new SigningError(
    'XML_MALFORMED',
    {
      ja: `XML の形式が正しくありません（${reason}）。ファイルが壊れていないか、途中で切れていないかを確認し、作成し直してください。`,
      en: `malformed XML: ${reason}`,
    },
    cause === undefined ? { detail: { reason } } : { cause, detail: { reason } },
  );
}

export function xmlTooLarge(size: number, maxBytes: number): SigningError {
  return new SigningError(
    'XML_TOO_LARGE',
    {
      ja: `XML ファイルが大きすぎます（${size} バイト、上限 ${maxBytes} バイト）。正しいファイルを選んでいるか確認してください。`,
      en: `XML of ${size} bytes exceeds the limit of ${maxBytes} bytes`,
    },
    { detail: { size, maxBytes } },
  );
}

export function xmlDoctype(): SigningError {
  return new SigningError('XML_DOCTYPE', {
    ja: 'XML に文書型宣言（DOCTYPE）または実体宣言が含まれています。e-Gov の申請データには使われないため、安全のため読み込みません。正しいファイルか確認してください。',
    en: 'XML with a DOCTYPE or entity declarations is refused',
  });
}

export function xmlDuplicateId(value: string): SigningError {
  return new SigningError(
    'XML_DUPLICATE_ID',
    {
      ja: `XML の中に同じ ID「${value}」を持つ要素が複数あります。署名の対象を取り違えるおそれがあるため処理できません。ファイルが改ざんされていないか確認してください。`,
      en: `two elements carry the ID "${value}"`,
    },
    { detail: { id: value } },
  );
}

export function xmlTargetMissing(what: string): SigningError {
  return new SigningError(
    'XML_TARGET_MISSING',
    {
      ja: `署名の対象（${what}）が文書の所定の位置に見つかりません。ファイルが改ざんされていないか確認してください。`,
      en: `signed element not found at its expected place: ${what}`,
    },
    { detail: { target: what } },
  );
}

export function signatureMissing(): SigningError {
  return new SigningError('SIGNATURE_MISSING', {
    ja: 'この XML には電子署名が含まれていません。署名済みのファイルを選んでください。',
    en: 'the document carries no XML signature',
  });
}

export function signatureUnsupported(what: string): SigningError {
  return new SigningError(
    'SIGNATURE_UNSUPPORTED',
    {
      ja: `この署名の形式には対応していません（${what}）。e-Gov の署名形式（C14N 1.0、RSA-SHA256、SHA-256）で作られた署名だけを検証できます。`,
      en: `unsupported signature: ${what}`,
    },
    { detail: { what } },
  );
}

export function kouseiNoKouseiJoho(reason: string): SigningError {
  return new SigningError(
    'KOUSEI_NO_KOUSEI_JOHO',
    {
      ja: `構成管理XML（kousei.xml）として読めません: ${reason}。申請データのフォルダーにある kousei.xml を選んでいるか確認してください。`,
      en: `not a kousei.xml: ${reason}`,
    },
    { detail: { reason } },
  );
}

export function kouseiFileEscapes(name: string): SigningError {
  return new SigningError(
    'KOUSEI_FILE_ESCAPES',
    {
      ja: `申請書ファイル名「${name}」は使えません。ファイル名には申請データのフォルダー内のファイル名だけを書いてください（「..」、絶対パス、「\\」、ドライブ名、空の名前は使えません）。`,
      en: `file name "${name}" does not stay inside the application folder`,
    },
    { detail: { name } },
  );
}

export function kouseiFileMissing(name: string, cause?: unknown): SigningError {
  return new SigningError(
    'KOUSEI_FILE_MISSING',
    {
      ja: `kousei.xml に書かれたファイル「${name}」が見つからないか、読み取れません。申請データのフォルダーにそのファイルを置いてから、もう一度署名してください。`,
      en: `file "${name}" named in kousei.xml is missing or unreadable`,
    },
    cause === undefined ? { detail: { name } } : { cause, detail: { name } },
  );
}

export function kouseiChanged(path: string): SigningError {
  return new SigningError(
    'KOUSEI_CHANGED',
    {
      ja: `署名している間に kousei.xml が他のプログラムで変更されました（${path}）。変更を上書きしないよう署名を中止しました。編集を終えてから、もう一度署名してください。`,
      en: `kousei.xml changed while it was being signed: ${path}`,
    },
    { detail: { path } },
  );
}

export function kouseiWriteFailed(path: string, cause: unknown): SigningError {
  return new SigningError(
    'KOUSEI_WRITE_FAILED',
    {
      ja: `署名した kousei.xml を保存できませんでした（${path}）。元のファイルは変更していません。フォルダーに書き込めるか、ディスクの空きがあるかを確認してください。`,
      en: `could not write the signed kousei.xml: ${path}`,
    },
    { cause, detail: { path } },
  );
}

export function signatureIdInvalid(id: string): SigningError {
  return new SigningError(
    'SIGNATURE_ID_INVALID',
    {
      ja: `署名ID「${id}」は使えません。半角英数字と「_」「-」「.」の 1〜64 文字で指定してください。`,
      en: `invalid signature Id "${id}"`,
    },
    { detail: { id } },
  );
}

export function keyCertMismatch(): SigningError {
  return new SigningError('KEY_CERT_MISMATCH', {
    ja: '作成した署名が証明書の公開鍵で検証できませんでした。秘密鍵と証明書の組み合わせが正しいか確認してください。',
    en: 'the signature made by the signer does not verify with its certificate',
  });
}
