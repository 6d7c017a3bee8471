// Unit: the outbox repository (src/main/store/outbox.ts) over a real SQLite file: bytes and hash
// recorded before `sending`, every transition through the repository, illegal ones refused with
// the state unchanged, the same data sent again only with a confirmation naming the 送信番号.
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import type { ArrivedApplication } from '../../src/shared/filing.js';
import { openStore, type Store } from '../../src/main/store/db.js';
import { Outbox, sha256Hex, type NewOutboxEntry } from '../../src/main/store/outbox.js';
import { OutboxTransitionError } from '../../src/main/sync/outbox-states.js';
import { reconcile } from '../../src/main/sync/reconcile.js';
import { arrivedApplication } from '../support/arrived.js';
import { scratchHome } from '../support/home.js';

const opened: Store[] = [];
afterEach(() => {
  while (opened.length) opened.pop()!.close();
});

const clock = Date.UTC(2015, 3, 28, 2, 44, 55); // 2015-04-28 11:44:55 JST
function outbox(options: { inlineLimit?: number } = {}): { box: Outbox; store: Store } {
  const store = openStore(scratchHome(), 'default');
  opened.push(store);
  return { box: new Outbox(store, { now: () => clock, ...options }), store };
}

function entry(overrides: Partial<NewOutboxEntry> = {}): NewOutboxEntry {
  return {
    userId: 'user0001',
    kind: 'batch',
    request: Buffer.from('<?xml version="1.0"?><DataRoot><ApplData Id="ApplData"><Upload><FileName>apply.zip</FileName><FileData>UEsDBA==</FileData></Upload></ApplData></DataRoot>'),
    sourcePaths: ['/data/900A010200001000(001)', '/data/900A010200001000(002)'],
    contentSha256: sha256Hex(Buffer.from('application data v1')),
    applicationCount: 2,
    folderNames: ['900A010200001000(001)', '900A010200001000(002)'],
    applicantNames: ['窓口　一郎', '窓口　二郎'],
    ...overrides,
  };
}

const receipt = (sendNumber = '201504281145005643') => ({
  sendNumber,
  sendDate: sendNumber.slice(0, 14),
  sendFileName: 'apply.zip',
  sendApplyCount: 2,
  errorCount: 0,
});

const application = (arriveId: string, folder: string): ArrivedApplication => arrivedApplication(arriveId, { procedureFolderName: folder });

void describe('Outbox: recording', () => {
  void it('records the exact bytes and their SHA-256 in `ready`, before any attempt', async () => {
    const { box, store } = outbox();
    const input = entry();
    const e = await box.record(input);
    assert.equal(e.state, 'ready');
    assert.equal(e.profile, 'default');
    assert.equal(e.userId, 'user0001');
    assert.equal(e.requestSha256, sha256Hex(input.request));
    assert.equal(e.requestSize, input.request.byteLength);
    assert.equal(e.requestInFile, false);
    assert.equal(e.attemptStartedAt, null);
    assert.deepEqual(e.folderNames, input.folderNames);
    assert.deepEqual(e.applicantNames, input.applicantNames);
    assert.deepEqual(e.sourcePaths, input.sourcePaths);
    assert.deepEqual(await box.requestBytes(e.id), Buffer.from(input.request));
    const row = store.db.prepare('SELECT request_bytes, request_sha256 FROM outbox_entries WHERE id = ?').get(e.id) as { request_bytes: Buffer; request_sha256: string };
    assert.deepEqual(row.request_bytes, Buffer.from(input.request));
    assert.deepEqual(
      box.history(e.id).map((t) => [t.from, t.to, t.event]),
      [[null, 'ready', 'recorded']],
    );
  });

  void it('keeps a large request in a durable file beside the database, hash checked on read', async () => {
    const { box, store } = outbox({ inlineLimit: 64 });
    const big = Buffer.alloc(4096, 'A');
    const e = await box.record(entry({ request: big }));
    assert.equal(e.requestInFile, true);
    const path = join(store.dir, 'outbox', `${e.id}.request`);
    assert.ok(existsSync(path));
    assert.deepEqual(await box.requestBytes(e.id), big);
    // tampered on disk: refused, never sent
    writeFileSync(path, Buffer.alloc(4096, 'B'));
    await assert.rejects(box.requestBytes(e.id), { code: 'OUTBOX_REQUEST_CORRUPT' });
    await assert.rejects(box.beginAttempt(e.id), { code: 'OUTBOX_REQUEST_CORRUPT' });
    assert.equal(box.get(e.id)?.state, 'ready');
  });

  void it('refuses bad input with a typed error', async () => {
    const { box } = outbox();
    await assert.rejects(box.record(entry({ contentSha256: 'abc' })), { code: 'OUTBOX_INVALID' });
    await assert.rejects(box.record(entry({ folderNames: ['only one'] })), { code: 'OUTBOX_INVALID' });
    await assert.rejects(box.record(entry({ request: new Uint8Array() })), { code: 'OUTBOX_INVALID' });
  });
});

void describe('Outbox: transitions', () => {
  void it('ready → sending → sent → following → done, applications stored with the send number', async () => {
    const { box } = outbox();
    const e = await box.record(entry());
    const { entry: sending, request } = await box.beginAttempt(e.id);
    assert.equal(sending.state, 'sending');
    assert.equal(sending.attemptStartedAt, clock);
    assert.equal(sending.attemptCount, 1);
    assert.equal(sha256Hex(request), e.requestSha256);
    const sent = box.markAccepted(e.id, receipt());
    assert.equal(sent.state, 'sent');
    assert.equal(sent.sendNumber, '201504281145005643');
    assert.equal(sent.sendApplyCount, 2);
    assert.equal(box.markProcessing(e.id, '処理待ち').workStatus, '処理待ち');
    box.storeApplications(e.id, [application('9002015000243958', '900A010200001000(001)')]);
    const done = box.markCompleted(e.id, [application('9002015000243958', '900A010200001000(001)'), application('9002015000243959', '900A010200001000(002)')]);
    assert.equal(done.state, 'done');
    assert.deepEqual(
      box.applications(e.id).map((a) => a.arriveId),
      ['9002015000243959', '9002015000243958'],
    );
    assert.deepEqual(
      box.history(e.id).map((t) => t.to),
      ['ready', 'sending', 'sent', 'following', 'done'],
    );
  });

  void it('sending → failed when refused; sending → ready when provably not sent', async () => {
    const { box } = outbox();
    const a = await box.record(entry());
    await box.beginAttempt(a.id);
    const failed = box.markRefused(a.id, { code: 'EGOV_REFUSED', message: '申請データが不正です' });
    assert.equal(failed.state, 'failed');
    assert.deepEqual(failed.failure, { code: 'EGOV_REFUSED', message: '申請データが不正です' });

    const b = await box.record(entry({ contentSha256: sha256Hex(Buffer.from('other')) }));
    await box.beginAttempt(b.id);
    assert.equal(box.markNotDelivered(b.id, { code: 'EGOV_CONNECT', message: 'ECONNREFUSED' }).state, 'ready');
    assert.equal((await box.beginAttempt(b.id)).entry.attemptCount, 2);
  });

  void it('unknown → reconciled: matched → sent; not-found → ready-for-resend → sending', async () => {
    const { box } = outbox();
    const a = await box.record(entry());
    await box.beginAttempt(a.id);
    assert.equal(box.markDeliveryUnknown(a.id, { code: 'EGOV_TIMEOUT', message: 'no answer' }).state, 'unknown');
    const subject = box.reconcileSubject(a.id);
    const decision = reconcile(subject, [
      { sendNumber: '201504281145005643', sendDate: '20150428114500', workStatus: '処理待ち', normalCount: 0, allCount: 2, errorCount: 0, supplementaryMessage: '', errorFileBase64: null, applications: [] },
    ], { claimed: box.claimedSendNumbers(a.id), now: clock + 3_600_000 });
    assert.equal(box.applyReconciliation(a.id, decision).sendNumber, '201504281145005643');

    const b = await box.record(entry({ contentSha256: sha256Hex(Buffer.from('b')) }));
    await box.beginAttempt(b.id);
    box.markDeliveryUnknown(b.id, { code: 'EGOV_TIMEOUT', message: 'no answer' });
    assert.equal(box.applyReconciliation(b.id, { kind: 'too-early', retryAt: clock + 1 }).state, 'unknown');
    assert.equal(box.applyReconciliation(b.id, { kind: 'not-found' }).state, 'ready-for-resend');
    assert.equal((await box.beginAttempt(b.id)).entry.state, 'sending');
  });

  void it('ambiguous waits for the user: a candidate chosen, or a resend confirmed; never a not-found', async () => {
    const { box } = outbox();
    const a = await box.record(entry());
    await box.beginAttempt(a.id);
    box.markDeliveryUnknown(a.id, { code: 'X', message: 'x' });
    const amb = box.applyReconciliation(a.id, { kind: 'ambiguous', candidates: ['201504281145005643', '201504281146005644'] });
    assert.equal(amb.state, 'ambiguous');
    assert.deepEqual(amb.candidates, ['201504281145005643', '201504281146005644']);
    await assert.rejects(box.beginAttempt(a.id), OutboxTransitionError);
    assert.throws(() => box.applyReconciliation(a.id, { kind: 'not-found' }), OutboxTransitionError);
    assert.throws(() => box.chooseCandidate(a.id, '209999999999990000'), { code: 'OUTBOX_INVALID' });
    const chosen = box.chooseCandidate(a.id, '201504281146005644');
    assert.equal(chosen.state, 'sent');
    assert.equal(chosen.sendNumber, '201504281146005644');
    assert.deepEqual(chosen.candidates, []);

    const b = await box.record(entry({ contentSha256: sha256Hex(Buffer.from('b')) }));
    await box.beginAttempt(b.id);
    box.markDeliveryUnknown(b.id, { code: 'X', message: 'x' });
    box.applyReconciliation(b.id, { kind: 'ambiguous', candidates: ['201504281145005643'] });
    assert.equal(box.confirmResend(b.id).state, 'ready-for-resend');
  });

  void it('illegal transitions throw the typed error and change nothing', async () => {
    const { box } = outbox();
    const e = await box.record(entry());
    assert.throws(() => box.markAccepted(e.id, receipt()), OutboxTransitionError);
    assert.throws(() => box.markDeliveryUnknown(e.id, { code: 'X', message: 'x' }), OutboxTransitionError);
    assert.throws(() => box.markCompleted(e.id, []), OutboxTransitionError);
    assert.throws(() => box.applyReconciliation(e.id, { kind: 'matched', sendNumber: '201504281145005643' }), OutboxTransitionError);
    await box.beginAttempt(e.id);
    await assert.rejects(box.beginAttempt(e.id), OutboxTransitionError); // never two attempts at once
    box.markAccepted(e.id, receipt());
    assert.throws(() => box.markRefused(e.id, { code: 'X', message: 'x' }), OutboxTransitionError);
    assert.throws(() => box.markAccepted(e.id, receipt('201504281145005699')), OutboxTransitionError);
    const after = box.get(e.id)!;
    assert.equal(after.state, 'sent');
    assert.equal(after.sendNumber, '201504281145005643');
    assert.equal(box.history(e.id).length, 3);
    assert.throws(() => box.get('nope') ?? box.markRefused('nope', { code: 'X', message: 'x' }), { code: 'OUTBOX_NOT_FOUND' });
  });

  void it('a 送信番号 belongs to one entry only', async () => {
    const { box } = outbox();
    const a = await box.record(entry());
    await box.beginAttempt(a.id);
    box.markAccepted(a.id, receipt());
    const b = await box.record(entry({ contentSha256: sha256Hex(Buffer.from('b')) }));
    await box.beginAttempt(b.id);
    box.markDeliveryUnknown(b.id, { code: 'X', message: 'x' });
    assert.deepEqual([...box.claimedSendNumbers(b.id)], ['201504281145005643']);
    assert.throws(() => box.applyReconciliation(b.id, { kind: 'matched', sendNumber: '201504281145005643' }), { code: 'OUTBOX_SEND_NUMBER_CLAIMED' });
    assert.equal(box.get(b.id)?.state, 'unknown');
  });

  void it('recoverInterrupted turns every `sending` into `unknown`, nothing else', async () => {
    const { box } = outbox();
    const a = await box.record(entry());
    const b = await box.record(entry({ contentSha256: sha256Hex(Buffer.from('b')) }));
    await box.beginAttempt(a.id);
    const recovered = box.recoverInterrupted();
    assert.deepEqual(
      recovered.map((e) => [e.id, e.state]),
      [[a.id, 'unknown']],
    );
    assert.equal(box.get(b.id)?.state, 'ready');
    assert.equal(box.get(a.id)?.failure?.code, 'INTERRUPTED');
    // the person's words (the CLI prints them as stored; the app says them in either language by the code)
    assert.match(box.get(a.id)?.failure?.message ?? '', /^アプリが送信の途中で終了しました/);
  });
});

void describe('Outbox: the same application data again', () => {
  void it('is refused while an earlier entry of it has no 送信番号', async () => {
    const { box } = outbox();
    const a = await box.record(entry());
    await assert.rejects(box.record(entry()), { code: 'OUTBOX_SAME_DATA_IN_FLIGHT' });
    await box.beginAttempt(a.id);
    box.markDeliveryUnknown(a.id, { code: 'X', message: 'x' });
    await assert.rejects(box.record(entry()), { code: 'OUTBOX_SAME_DATA_IN_FLIGHT' });
  });

  void it('needs a confirmation naming every earlier 送信番号; a refused one does not count', async () => {
    const { box } = outbox();
    const refused = await box.record(entry());
    await box.beginAttempt(refused.id);
    box.markRefused(refused.id, { code: 'EGOV_REFUSED', message: 'x' });
    const a = await box.record(entry()); // the refused one was never accepted: no confirmation
    await box.beginAttempt(a.id);
    box.markAccepted(a.id, receipt());
    assert.deepEqual(
      box.findEarlierSend(entry().contentSha256).map((e) => [e.entryId, e.sendNumber]),
      [[a.id, '201504281145005643']],
    );
    await assert.rejects(box.record(entry()), (e: unknown) => {
      const err = e as { code: string; detail: { earlierSendNumbers: string[] }; messageJa: string };
      return err.code === 'OUTBOX_SAME_DATA_UNCONFIRMED' && err.detail.earlierSendNumbers[0] === '201504281145005643' && err.messageJa.includes('201504281145005643');
    });
    await assert.rejects(box.record(entry({ confirmedEarlierSends: ['201504281145000000'] })), { code: 'OUTBOX_SAME_DATA_UNCONFIRMED' });
    const again = await box.record(entry({ confirmedEarlierSends: ['201504281145005643'] }));
    assert.equal(again.state, 'ready');
    assert.deepEqual(box.findEarlierSend(sha256Hex(Buffer.from('never sent'))), []);
  });
});
