// Main process (CLI host). What `todoke notices|doc|comment` work with: the filing context of the
// saved profile, its notice records and cases (the same database as its outbox), its vault
// (<profile>/vault, as the app's) and a NoticeFetcher that may log in. The 官職 CA anchors are the
// app's: <home>/official-ca/, plus the sandbox's own 官職 test CA only while the profile's endpoint
// is the built-in sandbox; a file that cannot be used is said once on stderr.
import { dirname, join } from 'node:path';
import { BUNDLED_CA_FILE } from '../../sandbox/trust-anchors.js';
import { officialAnchors } from '../documents/anchors.js';
import { NoticeError } from '../documents/notice-errors.js';
import { NoticeFetcher } from '../documents/notice-fetch.js';
import { Vault } from '../documents/vault.js';
import { CaseStore } from '../store/cases.js';
import { openStore } from '../store/db.js';
import { NoticeStore, type NoticeRecord } from '../store/notices.js';
import type { NoticeKind } from '../../shared/documents.js';
import { KIND_JA } from './notice-output.js';
import { withFiling, type FilingContext, type FilingFlags } from './filing-context.js';
import { profileFlag } from './identity-context.js';
import type { CliIo } from './io.js';

export interface NoticeContext {
  ctx: FilingContext;
  notices: NoticeStore;
  cases: CaseStore;
  vault: Vault;
  fetcher: NoticeFetcher;
}

/** Runs `task` with the profile's notices open; refuses a profile that is not set up. */
export async function withNotices<T>(io: CliIo, flags: FilingFlags, task: (nc: NoticeContext) => Promise<T>): Promise<T> {
  return withFiling(io, flags, async (ctx) => {
    const store = openStore(ctx.home, ctx.profileName);
    try {
      const notices = new NoticeStore(store);
      const vault = new Vault(join(ctx.profiles.dir(ctx.profileName), 'vault'));
      // the sandbox's 官職 test CA sits beside its test CA (assets/sandbox-pki)
      const sandboxPkiDir = ctx.profile.environment.kind === 'sandbox' ? dirname(BUNDLED_CA_FILE) : null;
      let warned = false;
      const anchors = async () => {
        const found = await officialAnchors({ home: ctx.home, sandboxPkiDir });
        if (found.problems.length && !warned) {
          warned = true;
          io.stderr(`警告: ${found.problems.join('\n警告: ')}\n`);
        }
        return found.certificates;
      };
      const fetcher = new NoticeFetcher({ gateway: ctx.gateway, session: ctx.session, vault, notices, anchors, now: () => io.now() });
      return await task({ ctx, notices, cases: new CaseStore(store), vault, fetcher });
    } finally {
      store.close();
    }
  });
}

const COMMAND_OF: Record<NoticeKind, string> = { amend: 'notices', document: 'doc', comment: 'comment' };

/**
 * The 公文書 / コメント `N` of a case; asks 公文書・コメント一覧 once when this PC has not seen it listed
 * (what is listed is recorded, nothing else changes at e-Gov).
 */
export async function listedNotice(nc: NoticeContext, arriveId: string, kind: 'document' | 'comment', noticeSubId: number): Promise<NoticeRecord> {
  const known = nc.notices.find(arriveId, kind, noticeSubId);
  if (known) return known;
  await nc.fetcher.listCase(arriveId, { amend: false });
  const listed = nc.notices.find(arriveId, kind, noticeSubId);
  if (listed) return listed;
  throw new NoticeError(
    'NOTICE_NOT_FOUND',
    {
      ja: `到達番号 ${arriveId} の${KIND_JA[kind]} ${noticeSubId} は e-Gov の一覧にありません。todoke notices${profileFlag(nc.ctx)} ${arriveId} で番号を確かめてください。`,
      en: `no ${kind} ${noticeSubId} listed for ${arriveId}`,
    },
    { detail: { arriveId, kind, noticeSubId } },
  );
}

/** The notice `N` kept in this PC's vault; refused (nothing is sent) when it is not. */
export function keptNotice(nc: NoticeContext, arriveId: string, kind: 'document' | 'comment', noticeSubId: number, what: string): NoticeRecord {
  const record = nc.notices.find(arriveId, kind, noticeSubId);
  if (record && record.keptAt !== null && record.zip) return record;
  throw new NoticeError(
    'NOTICE_NOT_KEPT',
    {
      ja:
        `到達番号 ${arriveId} の${KIND_JA[kind]} ${noticeSubId} はこの PC の保管庫にないため、${what}。` +
        `先に todoke ${COMMAND_OF[kind]} get${profileFlag(nc.ctx)} ${arriveId} ${noticeSubId} で取得してください。`,
      en: `${kind} ${noticeSubId} of ${arriveId} is not kept on this computer; run todoke ${COMMAND_OF[kind]} get first`,
    },
    { detail: { arriveId, kind, noticeSubId } },
  );
}
