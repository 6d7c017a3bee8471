// Main process. The problems reading and checking 申請データ can find, one code each, with a
// severity and Japanese and English messages that say what to do. One catalogue, so the wording
// stays consistent and every code has a message.

export type Severity = 'error' | 'warning';

export type ProblemCode =
  // reading a ZIP
  | 'ZIP_ENTRY_UNSAFE_NAME'
  | 'ZIP_ENTRY_NAME_ENCODING'
  | 'ZIP_ENTRY_SYMLINK'
  | 'ZIP_ENTRY_SPECIAL'
  | 'ZIP_ENTRY_DUPLICATE'
  | 'ZIP_ENTRY_ENCRYPTED'
  | 'ZIP_ENTRY_UNSUPPORTED_METHOD'
  | 'ZIP_ENTRY_TOO_DEEP'
  | 'ZIP_ENTRY_OUTSIDE_FOLDER'
  // reading folders
  | 'FOLDER_SYMLINK'
  | 'FOLDER_NESTED'
  | 'FOLDER_SPECIAL_FILE'
  | 'FOLDER_LOOSE_FILE'
  // the batch
  | 'BATCH_EMPTY'
  | 'BATCH_TOO_MANY_APPLICATIONS'
  | 'BATCH_TOO_LARGE'
  // an application folder
  | 'FOLDER_NAME_INVALID'
  | 'FOLDER_NAME_ZERO_PADDED'
  | 'FOLDER_DUPLICATE'
  | 'FOLDER_BARE_AND_NUMBERED'
  | 'APPLICATION_TOO_LARGE'
  | 'APPLICATION_TOO_MANY_FILES'
  // kousei.xml
  | 'KOUSEI_MISSING'
  | 'KOUSEI_NO_KOUSEI_JOHO'
  | 'KOUSEI_PROCEDURE_MISMATCH'
  | 'KOUSEI_NO_FORM'
  | 'KOUSEI_LISTED_NAME_UNSAFE'
  | 'FORM_MISSING'
  | 'ATTACHMENT_MISSING'
  | 'FILE_UNLISTED'
  // files
  | 'FILE_NAME_UNSAFE'
  | 'FILE_NAME_DUPLICATE'
  | 'FILE_NAME_NOT_ASCII'
  | 'FILE_TOO_LARGE'
  | 'FILE_EMPTY'
  // XML files (kousei.xml, 申請書)
  | 'XML_NOT_UTF8'
  | 'XML_BOM'
  | 'XML_DOCTYPE'
  | 'XML_MALFORMED'
  | 'CHAR_ILLEGAL'
  | 'CHAR_PLATFORM_DEPENDENT'
  | 'CHAR_OUTSIDE_JIS';

export interface CheckProblem {
  severity: Severity;
  code: ProblemCode;
  /** the application folder name, when the problem is in one */
  folder?: string;
  /** the file name inside the folder (or the ZIP entry name for reading problems) */
  file?: string;
  /** 1-based, when known */
  line?: number;
  /** 1-based, in characters (code points), when known */
  column?: number;
  messageJa: string;
  message: string;
}

export interface CheckReport {
  /** true when there is no error (warnings allowed) */
  ok: boolean;
  problems: CheckProblem[];
  errors: number;
  warnings: number;
}

export interface ProblemContext {
  folder?: string;
  file?: string;
  line?: number;
  column?: number;
  /** free details used by the messages */
  detail?: string;
  actual?: number;
  limit?: number;
}

type Entry = { severity: Severity; ja: (c: ProblemContext) => string; en: (c: ProblemContext) => string };

const f = (c: ProblemContext): string => c.file ?? '';
const d = (c: ProblemContext): string => c.detail ?? '';
const at = (c: ProblemContext): string => (c.line !== undefined ? `（${c.line} 行 ${c.column ?? 1} 文字目）` : '');
const atEn = (c: ProblemContext): string => (c.line !== undefined ? ` at line ${c.line}, column ${c.column ?? 1}` : '');

const CATALOGUE: Record<ProblemCode, Entry> = {
  ZIP_ENTRY_UNSAFE_NAME: {
    severity: 'error',
    ja: (c) => `ZIP 内の「${f(c)}」は名前が安全ではありません（${d(c)}）。この項目は展開していません。申請データのフォルダーから ZIP を作り直してください。`,
    en: (c) => `unsafe ZIP entry name ${f(c)} (${d(c)}); not extracted`,
  },
  ZIP_ENTRY_NAME_ENCODING: {
    severity: 'error',
    ja: (c) => `ZIP 内のファイル名「${f(c)}」を ${d(c)} として読めません。ファイル名を半角英数字に変えて ZIP を作り直してください。`,
    en: (c) => `ZIP entry name ${f(c)} is not valid ${d(c)}`,
  },
  ZIP_ENTRY_SYMLINK: {
    severity: 'error',
    ja: (c) => `ZIP 内の「${f(c)}」はシンボリックリンクです。安全のため展開していません。実際のファイルを入れて ZIP を作り直してください。`,
    en: (c) => `ZIP entry ${f(c)} is a symbolic link; refused`,
  },
  ZIP_ENTRY_SPECIAL: {
    severity: 'error',
    ja: (c) => `ZIP 内の「${f(c)}」は通常のファイルではありません。安全のため展開していません。ZIP を作り直してください。`,
    en: (c) => `ZIP entry ${f(c)} is not a regular file; refused`,
  },
  ZIP_ENTRY_DUPLICATE: {
    severity: 'error',
    ja: (c) => `ZIP 内に「${f(c)}」と同じ名前（大文字・小文字や文字の表記ゆれを同一視）の項目が複数あります。後の項目は展開していません。どちらが正しいか確認し、ZIP を作り直してください。`,
    en: (c) => `duplicate ZIP entry ${f(c)} (case-folded, NFC); later copy not extracted`,
  },
  ZIP_ENTRY_ENCRYPTED: {
    severity: 'error',
    ja: (c) => `ZIP 内の「${f(c)}」は暗号化されています。e-Gov は暗号化された申請データを受け付けません。パスワードをかけずに ZIP を作り直してください。`,
    en: (c) => `ZIP entry ${f(c)} is encrypted; not extracted`,
  },
  ZIP_ENTRY_UNSUPPORTED_METHOD: {
    severity: 'error',
    ja: (c) => `ZIP 内の「${f(c)}」は対応していない圧縮方式（${d(c)}）です。標準の圧縮（deflate）か無圧縮で ZIP を作り直してください。`,
    en: (c) => `ZIP entry ${f(c)} uses unsupported compression method ${d(c)}`,
  },
  ZIP_ENTRY_TOO_DEEP: {
    severity: 'error',
    ja: (c) => `ZIP 内の「${f(c)}」は階層が深すぎます。申請データの ZIP は「手続IDのフォルダー/ファイル」の 2 階層です。申請フォルダーを直接 ZIP に入れ、サブフォルダーを使わずに作り直してください。`,
    en: (c) => `ZIP entry ${f(c)} is nested deeper than {folder}/{file}`,
  },
  ZIP_ENTRY_OUTSIDE_FOLDER: {
    severity: 'error',
    ja: (c) => `ZIP の最上位に「${f(c)}」があります。ファイルはすべて手続IDのフォルダー（例: 900A010200001000(1)）の中に入れて ZIP を作り直してください。`,
    en: (c) => `ZIP entry ${f(c)} is at the root, outside any application folder`,
  },
  FOLDER_SYMLINK: {
    severity: 'error',
    ja: (c) => `「${f(c)}」はシンボリックリンク（またはショートカット）です。安全のため読み込みません。実際のファイルをフォルダーに置いてください。`,
    en: (c) => `${f(c)} is a symbolic link; not followed`,
  },
  FOLDER_NESTED: {
    severity: 'error',
    ja: (c) => `申請フォルダーの中にフォルダー「${f(c)}」があります。申請データにサブフォルダーは使えません。ファイルを申請フォルダーの直下に置いてください。`,
    en: (c) => `subfolder ${f(c)} inside an application folder`,
  },
  FOLDER_SPECIAL_FILE: {
    severity: 'error',
    ja: (c) => `「${f(c)}」は通常のファイルではないため読み込みません。通常のファイルに置き換えてください。`,
    en: (c) => `${f(c)} is not a regular file`,
  },
  FOLDER_LOOSE_FILE: {
    severity: 'warning',
    ja: (c) => `「${f(c)}」は申請フォルダーの外にあるため、申請データに含めません。申請に必要なファイルなら、該当する申請フォルダーに移してください。`,
    en: (c) => `${f(c)} lies outside any application folder and is not included`,
  },
  BATCH_EMPTY: {
    severity: 'error',
    ja: () => '申請フォルダーが見つかりません。手続IDの名前のフォルダー（例: 900A010200001000(1)）を選んでください。',
    en: () => 'no application folder found',
  },
  BATCH_TOO_MANY_APPLICATIONS: {
    severity: 'error',
    ja: (c) => `一度に送る申請が多すぎます（${c.actual} 件、上限 ${c.limit} 件）。複数回に分けて送信してください。`,
    en: (c) => `${c.actual} applications in one batch, limit ${c.limit}`,
  },
  BATCH_TOO_LARGE: {
    severity: 'error',
    ja: (c) => `申請データ全体が大きすぎます（${c.actual} バイト、上限 ${c.limit} バイト）。複数回に分けて送信してください。`,
    en: (c) => `batch of ${c.actual} bytes, limit ${c.limit}`,
  },
  FOLDER_NAME_INVALID: {
    severity: 'error',
    ja: (c) => `フォルダー名「${c.folder ?? ''}」が決まりに合いません。16 文字の手続IDに続けて (1)、(2) … と番号を付けた名前（例: 900A010200001000(1)）にしてください。`,
    en: (c) => `folder name ${c.folder ?? ''} is not {procedureId}({n}) or {procedureId}`,
  },
  FOLDER_NAME_ZERO_PADDED: {
    severity: 'warning',
    ja: (c) => `フォルダー名「${c.folder ?? ''}」の番号に先頭の 0 があります。受付はされますが、最終的な形式チェックの結果は確認されていません。(1)、(2) … の形にすることをお勧めします。`,
    en: (c) => `folder name ${c.folder ?? ''} has a zero-padded number`,
  },
  FOLDER_DUPLICATE: {
    severity: 'error',
    ja: (c) => `フォルダー名「${c.folder ?? ''}」が重複しています（大文字・小文字を同一視）。同じ手続の申請には (1)、(2) … と別の番号を付けてください。`,
    en: (c) => `duplicate application folder ${c.folder ?? ''}`,
  },
  FOLDER_BARE_AND_NUMBERED: {
    severity: 'warning',
    ja: (c) => `手続ID ${d(c)} に番号なしのフォルダーと番号付きのフォルダーが混在しています。同じ手続の申請が複数あるときは、すべてに (1)、(2) … と番号を付けてください。`,
    en: (c) => `procedure ${d(c)} has both a bare and numbered folders`,
  },
  APPLICATION_TOO_LARGE: {
    severity: 'error',
    ja: (c) => `申請フォルダー「${c.folder ?? ''}」のファイルの合計が大きすぎます（${c.actual} バイト、上限 ${c.limit} バイト）。添付書類を小さくしてください。`,
    en: (c) => `application ${c.folder ?? ''} totals ${c.actual} bytes, limit ${c.limit}`,
  },
  APPLICATION_TOO_MANY_FILES: {
    severity: 'error',
    ja: (c) => `申請フォルダー「${c.folder ?? ''}」のファイルが多すぎます（${c.actual} 個、上限 ${c.limit} 個）。不要なファイルを取り除いてください。`,
    en: (c) => `application ${c.folder ?? ''} holds ${c.actual} files, limit ${c.limit}`,
  },
  KOUSEI_MISSING: {
    severity: 'error',
    ja: (c) => `申請フォルダー「${c.folder ?? ''}」に kousei.xml（構成管理XML）がありません。申請データを作成したソフトで出力し直してください。`,
    en: (c) => `no kousei.xml in ${c.folder ?? ''}`,
  },
  KOUSEI_NO_KOUSEI_JOHO: {
    severity: 'error',
    ja: () => 'kousei.xml に DataRoot 直下の <構成情報 ID="構成情報"> がありません。構成管理XML ではないか、壊れています。申請データを作成し直してください。',
    en: () => 'kousei.xml has no DataRoot/構成情報 with ID="構成情報"',
  },
  KOUSEI_PROCEDURE_MISMATCH: {
    severity: 'error',
    ja: (c) => `kousei.xml の手続ID（${d(c)}）がフォルダー名「${c.folder ?? ''}」と一致しません。フォルダー名か kousei.xml のどちらかが別の申請のものです。確認して直してください。`,
    en: (c) => `kousei.xml names procedure ${d(c)}, folder is ${c.folder ?? ''}`,
  },
  KOUSEI_NO_FORM: {
    severity: 'warning',
    ja: () => 'kousei.xml に申請書（申請書属性情報）が一つも書かれていません。これまでに受け付けられた申請データにはすべて申請書がありました。作成したソフトで内容を確認してください。',
    en: () => 'kousei.xml lists no 申請書',
  },
  KOUSEI_LISTED_NAME_UNSAFE: {
    severity: 'error',
    ja: (c) => `kousei.xml に書かれたファイル名「${f(c)}」は使えません（${d(c)}）。フォルダーの区切り、「..」、制御文字を含まない名前にしてください。`,
    en: (c) => `kousei.xml lists an unsafe file name ${f(c)} (${d(c)})`,
  },
  FORM_MISSING: {
    severity: 'error',
    ja: (c) => `kousei.xml に書かれた申請書「${f(c)}」がフォルダーにありません。ファイルを置くか、ファイル名（大文字・小文字も）を kousei.xml と合わせてください。`,
    en: (c) => `申請書 ${f(c)} listed in kousei.xml is missing`,
  },
  ATTACHMENT_MISSING: {
    severity: 'error',
    ja: (c) => `kousei.xml に書かれた添付書類「${f(c)}」がフォルダーにありません。ファイルを置くか、ファイル名（大文字・小文字も）を kousei.xml と合わせてください。`,
    en: (c) => `添付書類 ${f(c)} listed in kousei.xml is missing`,
  },
  FILE_UNLISTED: {
    severity: 'warning',
    ja: (c) => `「${f(c)}」は kousei.xml に書かれていないため、e-Gov では申請書類として扱われません。必要なファイルなら kousei.xml に添付書類として登録し、不要なら取り除いてください。`,
    en: (c) => `${f(c)} is not listed in kousei.xml; e-Gov ignores it`,
  },
  FILE_NAME_UNSAFE: {
    severity: 'error',
    ja: (c) => `ファイル名「${f(c)}」は使えません（${d(c)}）。区切り文字、「..」、制御文字を含まない名前に変えてください。`,
    en: (c) => `unsafe file name ${f(c)} (${d(c)})`,
  },
  FILE_NAME_DUPLICATE: {
    severity: 'error',
    ja: (c) => `ファイル名「${f(c)}」が、大文字・小文字や文字の表記ゆれだけが違う別のファイルと重なります。Windows などでは同じ名前になるため、どちらかの名前を変えてください。`,
    en: (c) => `file name ${f(c)} collides with another after case folding and NFC`,
  },
  FILE_NAME_NOT_ASCII: {
    severity: 'warning',
    ja: (c) => `ファイル名「${f(c)}」に半角英数字以外の文字（空白や全角文字）が含まれています。e-Gov での扱いが確認されていないため、半角英数字の名前をお勧めします。`,
    en: (c) => `file name ${f(c)} has non-ASCII or space characters`,
  },
  FILE_TOO_LARGE: {
    severity: 'error',
    ja: (c) => `「${f(c)}」が大きすぎます（${c.actual} バイト、上限 ${c.limit} バイト）。ファイルを小さくするか、正しいファイルか確認してください。`,
    en: (c) => `${f(c)} is ${c.actual} bytes, limit ${c.limit}`,
  },
  FILE_EMPTY: {
    severity: 'warning',
    ja: (c) => `「${f(c)}」は空（0 バイト）です。正しいファイルか確認してください。`,
    en: (c) => `${f(c)} is empty`,
  },
  XML_NOT_UTF8: {
    severity: 'error',
    ja: (c) => `「${f(c)}」は UTF-8 ではありません${at(c)}。e-Gov の XML は UTF-8 だけです。UTF-8 で保存し直してください。`,
    en: (c) => `${f(c)} is not UTF-8${atEn(c)}`,
  },
  XML_BOM: {
    severity: 'warning',
    ja: (c) => `「${f(c)}」の先頭に BOM（バイト順マーク）があります。受け付けられた申請データには BOM がありませんでした。BOM なしの UTF-8 で保存し直すことをお勧めします。`,
    en: (c) => `${f(c)} starts with a UTF-8 BOM`,
  },
  XML_DOCTYPE: {
    severity: 'error',
    ja: (c) => `「${f(c)}」に文書型宣言（DOCTYPE）または実体宣言があります。e-Gov の申請データには使われないため、安全のため読み込みません。正しいファイルか確認してください。`,
    en: (c) => `${f(c)} contains a DOCTYPE or entity declarations`,
  },
  XML_MALFORMED: {
    severity: 'error',
    ja: (c) => `「${f(c)}」は XML として正しくありません（${d(c)}）。ファイルが壊れていないか確認し、作成し直してください。`,
    en: (c) => `${f(c)} is not well-formed XML: ${d(c)}`,
  },
  CHAR_ILLEGAL: {
    severity: 'error',
    ja: (c) => `「${f(c)}」に XML で使えない文字（${d(c)}）があります${at(c)}。その文字を削除してください。`,
    en: (c) => `${f(c)} contains ${d(c)}, not allowed in XML${atEn(c)}`,
  },
  CHAR_PLATFORM_DEPENDENT: {
    severity: 'warning',
    ja: (c) => `「${f(c)}」に機種依存文字「${d(c)}」があります${at(c)}。e-Gov で受け付けられない、または別の文字で表示されるおそれがあります。①→(1)、㈱→(株) のように置き換えてください。`,
    en: (c) => `${f(c)} contains the vendor-specific character ${d(c)}${atEn(c)}`,
  },
  CHAR_OUTSIDE_JIS: {
    severity: 'warning',
    ja: (c) => `「${f(c)}」に JIS 第1・第2水準にない文字「${d(c)}」があります${at(c)}。e-Gov で受け付けられないおそれがあります。常用の字体に置き換えてください（例: 𠮷→吉）。`,
    en: (c) => `${f(c)} contains ${d(c)}, outside JIS X 0208 / CP932${atEn(c)}`,
  },
};

export function problem(code: ProblemCode, ctx: ProblemContext = {}): CheckProblem {
  const entry = CATALOGUE[code];
  const out: CheckProblem = { severity: entry.severity, code, messageJa: entry.ja(ctx), message: entry.en(ctx) };
  if (ctx.folder !== undefined) out.folder = ctx.folder;
  if (ctx.file !== undefined) out.file = ctx.file;
  if (ctx.line !== undefined) out.line = ctx.line;
  if (ctx.column !== undefined) out.column = ctx.column;
  return out;
}

export function makeReport(problems: CheckProblem[]): CheckReport {
  const errors = problems.filter((p) => p.severity === 'error').length;
  return { ok: errors === 0, problems, errors, warnings: problems.length - errors };
}
