// Sandbox (Node). Every error the sandbox answers, with its HTTP status and Japanese message, in
// one table. Only ALREADY_REGISTERED and INTERNAL are e-Gov's recorded wording (REFERENCE §2.6);
// every other row is a [SIM-CHOICE] listed in src/sandbox/README.md, following the defaults of
// REFERENCE §2.6: 400 + Code 1 for validation and business errors, 401 + Code 1 for a missing or
// refused software ID or access key, 500 + Code 1 with e-Gov's system-error text.

export type SandboxErrorKind =
  | 'SOFTWARE_ID_MISSING'
  | 'SOFTWARE_ID_UNKNOWN'
  | 'ACCESS_KEY_INVALID'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'BODY_TOO_LARGE'
  | 'BODY_EMPTY'
  | 'XML_DOCTYPE'
  | 'XML_MALFORMED'
  | 'REQUEST_SHAPE'
  | 'USER_ID_INVALID'
  | 'CERTIFICATE_FIELD_INVALID'
  | 'SIGNATURE_MISSING'
  | 'SIGNATURE_UNSUPPORTED'
  | 'SIGNATURE_INVALID'
  | 'SIGNER_UNTRUSTED'
  | 'SIGNER_NOT_TIME_VALID'
  | 'ALREADY_REGISTERED'
  | 'USER_ID_TAKEN'
  | 'NOT_REGISTERED'
  | 'CERTIFICATE_ALREADY_BOUND'
  | 'ADDED_CERTIFICATE_UNTRUSTED'
  | 'OLD_CERTIFICATE_NOT_BOUND'
  | 'SAME_CERTIFICATE'
  | 'DEL_CERTIFICATE_NOT_BOUND'
  | 'LAST_CERTIFICATE'
  | 'APPLY_BODY_EMPTY'
  | 'FILE_DATA_INVALID'
  | 'FILE_NAME_INVALID'
  | 'PACKAGE_TOO_LARGE'
  | 'PACKAGE_NOT_ZIP'
  | 'PACKAGE_UNSAFE_NAME'
  | 'PACKAGE_LAYOUT'
  | 'PACKAGE_TOO_MANY_ENTRIES'
  | 'PACKAGE_INFLATED_TOO_LARGE'
  | 'PACKAGE_NO_APPLICATION'
  | 'PACKAGE_TOO_MANY_APPLICATIONS'
  | 'SEND_QUERY_INVALID'
  | 'SENDS_NOT_FOUND'
  | 'SEND_NOT_FOUND'
  | 'ARRIVE_ID_INVALID'
  | 'CASE_NOT_FOUND'
  | 'WITHDRAWAL_LAYOUT'
  | 'WITHDRAWAL_CHECK_FAILED'
  | 'NOTICE_SUB_ID_INVALID'
  | 'NOTICE_NOT_FOUND'
  | 'VERIFY_UPLOAD_INVALID'
  | 'VERIFY_DOCUMENT_INVALID'
  | 'AMEND_LAYOUT'
  | 'AMEND_CHECK_FAILED'
  | 'INTERNAL';

interface ErrorRow {
  status: number;
  message: (detail?: string) => string;
}

const withDetail = (text: string, detail: string | undefined) => (detail ? `${text}（${detail}）` : text);

export const SANDBOX_ERRORS: Record<SandboxErrorKind, ErrorRow> = {
  SOFTWARE_ID_MISSING: {
    status: 401,
    message: () => 'ソフトウェアID（x-eGovAPI-SoftwareID ヘッダー）が指定されていません。サンドボックスに登録されたソフトウェアIDを指定してください。',
  },
  SOFTWARE_ID_UNKNOWN: {
    status: 401,
    message: () => 'ソフトウェアID（x-eGovAPI-SoftwareID ヘッダー）がサンドボックスに登録されていません。サンドボックスの --software-id の設定と照らし合わせてください。',
  },
  ACCESS_KEY_INVALID: {
    status: 401,
    message: () => 'アクセスキーが指定されていないか、不正か、有効期限が切れています。利用者認証をやり直して新しいアクセスキーを取得してください。',
  },
  NOT_FOUND: {
    status: 404,
    message: () => '指定された API はありません。URI を確認してください。',
  },
  METHOD_NOT_ALLOWED: {
    status: 405,
    message: (d) => withDetail('この API はこの HTTP メソッドでは呼び出せません。', d),
  },
  BODY_TOO_LARGE: {
    status: 413,
    message: (d) => withDetail('送信データが大きすぎます。送信内容を確認してください。', d),
  },
  BODY_EMPTY: {
    status: 400,
    message: () => '送信データがありません。署名付きの XML を送信してください。',
  },
  XML_DOCTYPE: {
    status: 400,
    message: () => '送信データに文書型宣言（DOCTYPE）または実体宣言が含まれています。これらを含まない XML を送信してください。',
  },
  XML_MALFORMED: {
    status: 400,
    message: (d) => withDetail('送信データが正しい XML ではありません。途中で切れていないか、文字コードが UTF-8 か確認してください。', d),
  },
  REQUEST_SHAPE: {
    status: 400,
    message: (d) => withDetail('送信データの項目が正しくありません。', d),
  },
  USER_ID_INVALID: {
    status: 400,
    message: () => '利用者IDが正しくありません。利用者IDは半角英数字・記号（空白を除く）の 1〜64 文字で指定してください。',
  },
  CERTIFICATE_FIELD_INVALID: {
    status: 400,
    message: (d) => withDetail('送信データの証明書を X.509 証明書（base64 の DER）として読み取れません。証明書ファイルを確認してください。', d),
  },
  SIGNATURE_MISSING: {
    status: 400,
    message: () => '送信データに電子署名がありません。ApplData に署名してから送信してください。',
  },
  SIGNATURE_UNSUPPORTED: {
    status: 400,
    message: (d) => withDetail('電子署名の形式が正しくありません。', d),
  },
  SIGNATURE_INVALID: {
    status: 400,
    message: (d) => withDetail('電子署名の検証に失敗しました。署名後に送信データが変更されていないか、正しい鍵で署名したか確認してください。', d),
  },
  SIGNER_UNTRUSTED: {
    status: 400,
    message: (d) => withDetail('署名に使われた証明書は、サンドボックスが信頼する認証局のものではありません。サンドボックス用の証明書で署名するか、--trust で認証局を登録してください。', d),
  },
  SIGNER_NOT_TIME_VALID: {
    status: 400,
    message: (d) => withDetail('署名に使われた証明書は有効期間外です。有効な証明書で署名してください。', d),
  },
  ALREADY_REGISTERED: {
    status: 400,
    message: () => '該当する利用者IDと証明書の情報は、既に登録されています。',
  },
  USER_ID_TAKEN: {
    status: 400,
    message: () => 'この利用者IDは別の証明書で既に登録されています。証明書を追加するには、登録済みの証明書で署名した証明書識別情報追加を使ってください。',
  },
  NOT_REGISTERED: {
    status: 400,
    message: () => '利用者IDと、署名に使われた証明書の組み合わせが登録されていません。利用者IDと証明書を確認するか、先に利用者ID登録をしてください。',
  },
  CERTIFICATE_ALREADY_BOUND: {
    status: 400,
    message: () => 'この証明書は既にこの利用者IDに登録されています。',
  },
  ADDED_CERTIFICATE_UNTRUSTED: {
    status: 400,
    message: (d) => withDetail('追加する証明書は、サンドボックスが信頼する認証局が発行した有効期間内のものでなければなりません。', d),
  },
  OLD_CERTIFICATE_NOT_BOUND: {
    status: 400,
    message: () => '更新前の証明書（X509Certificate）がこの利用者IDに登録されていません。登録済みの古い証明書を指定してください。',
  },
  SAME_CERTIFICATE: {
    status: 400,
    message: () => '更新前と更新後の証明書が同じです。新しい証明書で署名してください。',
  },
  DEL_CERTIFICATE_NOT_BOUND: {
    status: 400,
    message: () => '削除する証明書（DelX509Certificate）がこの利用者IDに登録されていません。',
  },
  LAST_CERTIFICATE: {
    status: 400,
    message: () => 'この利用者IDに登録された最後の証明書は削除できません。先に別の証明書を追加するか、証明書識別情報更新で入れ替えてください。',
  },
  APPLY_BODY_EMPTY: {
    status: 400,
    message: () => '送信データがありません。申請データ（ZIP）を base64 で FileData に入れた XML を送信してください。',
  },
  FILE_DATA_INVALID: {
    status: 400,
    message: () => '申請データ（FileData）を base64 として読み取れません。ZIP ファイルを base64 に変換して送信してください。',
  },
  FILE_NAME_INVALID: {
    status: 400,
    message: () => 'ファイル名（FileName）は 1〜255 文字で指定してください。',
  },
  PACKAGE_TOO_LARGE: {
    status: 413,
    message: (d) => withDetail('申請データが大きすぎます。申請データを分けて送信してください。', d),
  },
  PACKAGE_NOT_ZIP: {
    status: 400,
    message: (d) => withDetail('申請データを ZIP ファイルとして読み取れません。申請データの ZIP ファイルを確認してください。', d),
  },
  PACKAGE_UNSAFE_NAME: {
    status: 400,
    message: (d) => withDetail('申請データの ZIP に使えない名前のファイルがあります（絶対パス、「..」、「\\」、制御文字、UTF-8 の指定がない ASCII 以外の文字）。', d),
  },
  PACKAGE_LAYOUT: {
    status: 400,
    message: (d) => withDetail('申請データの ZIP の構成が正しくありません。ZIP の直下に申請ごとのフォルダーを置き、その中に構成管理XML・申請書・添付書類を置いてください。', d),
  },
  PACKAGE_TOO_MANY_ENTRIES: {
    status: 400,
    message: (d) => withDetail('申請データの ZIP に含まれるファイルが多すぎます。申請データを分けて送信してください。', d),
  },
  PACKAGE_INFLATED_TOO_LARGE: {
    status: 400,
    message: (d) => withDetail('申請データの ZIP を展開した大きさが上限を超えています。申請データを分けて送信してください。', d),
  },
  PACKAGE_NO_APPLICATION: {
    status: 400,
    message: () => '申請データの ZIP に申請のフォルダーがありません。',
  },
  PACKAGE_TOO_MANY_APPLICATIONS: {
    status: 400,
    message: (d) => withDetail('1 回の一括申請で送信できる申請の数を超えています。申請データを分けて送信してください。', d),
  },
  SEND_QUERY_INVALID: {
    status: 400,
    message: (d) => withDetail('取得条件の指定が正しくありません。', d),
  },
  SENDS_NOT_FOUND: {
    status: 400,
    message: () => '該当する申請情報が存在しません。指定した取得対象期間を確認してください。',
  },
  SEND_NOT_FOUND: {
    status: 400,
    message: () => '該当する申請情報が存在しません。送信番号を確認してください。',
  },
  ARRIVE_ID_INVALID: {
    status: 400,
    message: (d) => withDetail('到達番号の指定が正しくありません。', d),
  },
  // [SIM-CHOICE] wording after the SEEN 「該当する申請情報が存在しません。…を確認してください。」 (A.12)
  CASE_NOT_FOUND: {
    status: 400,
    message: () => '該当する申請情報が存在しません。到達番号を確認してください。',
  },
  WITHDRAWAL_LAYOUT: {
    status: 400,
    message: (d) => withDetail('取下げデータの ZIP には、取下げのフォルダーを 1 つだけ入れてください。', d),
  },
  WITHDRAWAL_CHECK_FAILED: {
    status: 400,
    message: (d) => withDetail('取下げデータに誤りがあるため受け付けられません。', d),
  },
  NOTICE_SUB_ID_INVALID: {
    status: 400,
    message: () => '通知番号の指定が正しくありません。通知番号は 1〜9 桁の数字で指定してください。',
  },
  // [SIM-CHOICE] as CASE_NOT_FOUND: e-Gov's answer for an unknown 通知番号 was never recorded
  NOTICE_NOT_FOUND: {
    status: 400,
    message: () => '該当する通知が存在しません。到達番号と通知番号を確認してください。',
  },
  VERIFY_UPLOAD_INVALID: {
    status: 400,
    message: (d) => withDetail('送信された ZIP から署名を検証する XML を読み取れません。公文書取得で受け取った ZIP をそのまま送信し、SigVerificationXMLFileName に ZIP 内の XML ファイル名を指定してください。', d),
  },
  VERIFY_DOCUMENT_INVALID: {
    status: 400,
    message: (d) => withDetail('指定された XML を署名付きの公文書として読み取れません。公文書の XML ファイルを指定してください。', d),
  },
  AMEND_LAYOUT: {
    status: 400,
    message: (d) => withDetail('補正データの ZIP には、申請のフォルダーを 1 つだけ入れてください。', d),
  },
  AMEND_CHECK_FAILED: {
    status: 400,
    message: (d) => withDetail('補正データに誤りがあるため受け付けられません。', d),
  },
  INTERNAL: {
    status: 500,
    message: () => 'システムでエラーが発生したため処理が中断されました。電子政府利用支援センターまでご連絡ください。',
  },
};

export interface SandboxFailure {
  kind: SandboxErrorKind;
  detail?: string;
}

export function failure(kind: SandboxErrorKind, detail?: string): SandboxFailure {
  return detail === undefined ? { kind } : { kind, detail };
}
