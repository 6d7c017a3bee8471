// Renderer (pure). Why a send, a 取下げ or a 補正 did not go through, in the person's language. The
// outbox stores a code and one message: e-Gov's own words (Japanese, shown as they came), or Todoke's
// in Japanese — older databases hold a short English note for a send cut off by the app stopping. The
// codes Todoke writes itself get their words here in both languages; any other message is shown as
// stored, with its code in English (it is Japanese, and the code is what a supporter can look up).
import type { EntryFailureView } from '../shared/case.js';
import type { Messages } from './messages/index.js';

export type StoredFailure = EntryFailureView;

type Own = 'INTERRUPTED' | 'WITHDRAWAL_REPLACED' | 'AMENDMENT_REPLACED' | 'AMENDMENT_INELIGIBLE';

const OWN: Record<Own, { ja: string | null; en: string }> = {
  INTERRUPTED: {
    ja: 'アプリが送信の途中で終了しました。届いたかどうかを e-Gov の一覧と照合します（照合が済むまで再送信しません）。',
    en: 'The app stopped while the request was being sent. Todoke checks with e-Gov whether it arrived before anything is sent again.',
  },
  WITHDRAWAL_REPLACED: { ja: null, en: 'Replaced by a new withdrawal (this one never reached e-Gov).' },
  AMENDMENT_REPLACED: { ja: null, en: 'Replaced by a new amendment (this one never reached e-Gov).' },
  // the Japanese one names the case's status as 状況照会 gave it: the stored words are kept
  AMENDMENT_INELIGIBLE: {
    ja: null,
    en: 'e-Gov refused the amendment (HTTP 500): the case is not open to an amendment. Check whether a correction notice arrived.',
  },
};

function isOwn(code: string): code is Own {
  return Object.prototype.hasOwnProperty.call(OWN, code);
}

export function failureText(failure: StoredFailure, m: Pick<Messages, 'lang'>): string {
  const own = isOwn(failure.code) ? OWN[failure.code] : null;
  if (m.lang === 'ja') return own?.ja ?? failure.message;
  return own ? own.en : `${failure.message} (${failure.code})`;
}
