// Renderer. Signing and sending checked 申請データ, in one place under the check report: the
// button (after a confirmation), then one progress view for check → sign → pack → send →
// 形式チェック → 到達 that can be stopped until the request is recorded, then the 送信番号 and,
// once e-Gov's 形式チェック ends, every 到達番号. The same data sent before is sent again only after
// the person confirms the earlier 送信番号 by name.
import { useEffect, useId, useState } from 'react';
import type { ArrivedApplication, BatchView } from '../../shared/filing.js';
import { requireCoreApi } from '../api.js';
import { useMessages, type Messages } from '../messages/index.js';
import { useBatchStore, type SendState } from '../stores/batches.js';
import { useIdentityStore } from '../stores/identity.js';
import { useRouterStore } from '../stores/router.js';
import { Alert } from './Alert.js';
import { ConfirmDialog } from './ConfirmDialog.js';
import { ErrorAlert } from './ErrorAlert.js';
import { Icon } from './Icon.js';
import './SendPanel.css';

type StepName = keyof Messages['send']['steps'];
type StepState = 'done' | 'current' | 'pending' | 'failed';
const STEPS: readonly StepName[] = ['check', 'sign', 'pack', 'send', 'formatCheck', 'arrive'];

export function SendPanel({ paths, applications }: { paths: string[]; applications: number }) {
  const m = useMessages();
  const s = m.send;
  const titleId = useId();
  const send = useBatchStore((st) => st.send);
  const startSend = useBatchStore((st) => st.startSend);
  const [confirming, setConfirming] = useState(false);
  const batch = useBatchStore((st) => (send.status === 'sent' ? st.batches[send.entryId] : undefined));
  const identity = useIdentityStore((st) => (st.load.status === 'ready' ? st.load.identity : null));
  const signer = identity
    ? s.signer(identity.certificate.certificate.commonName, identity.signer.kind === 'pkcs11' ? s.signerToken(identity.signer.tokenLabel) : s.signerFile(identity.signer.fileName))
    : null;

  const start = () => {
    setConfirming(false);
    void startSend(paths);
  };

  return (
    <section className="panel send-panel stack" aria-labelledby={titleId}>
      <h2 className="panel__title" id={titleId}>
        {send.status === 'running' || send.status === 'sent' ? s.progressTitle : s.title}
      </h2>
      {(send.status === 'idle' || send.status === 'cancelled' || send.status === 'error' || send.status === 'same-data') && (
        <>
          {send.status === 'cancelled' && <Alert tone="info" title={s.cancelled} />}
          {send.status === 'error' && <ErrorAlert title={s.errorTitle} error={send.error} />}
          <p>{s.lead(applications)}</p>
          {signer && <p className="send-panel__signer">{signer}</p>}
          <p className="muted">{s.signerNote}</p>
          <div>
            <button type="button" className="button button--primary" onClick={() => setConfirming(true)}>
              <Icon name="send" />
              {send.status === 'idle' || send.status === 'same-data' ? s.start : s.again}
            </button>
          </div>
        </>
      )}
      {(send.status === 'running' || send.status === 'sent') && <SendSteps send={send} batch={batch} />}
      {send.status === 'sent' && batch && <SendOutcome batch={batch} resumed={send.resumed} />}
      {confirming && (
        <ConfirmDialog title={s.confirmTitle} confirmLabel={s.confirm} tone="primary" onConfirm={start} onCancel={() => setConfirming(false)}>
          <p>{s.confirmBody(applications)}</p>
          {signer && <p>{signer}</p>}
          <p className="muted">{s.confirmNote}</p>
        </ConfirmDialog>
      )}
      {send.status === 'same-data' && <SameDataDialog send={send} />}
    </section>
  );
}

function SameDataDialog({ send }: { send: Extract<SendState, { status: 'same-data' }> }) {
  const s = useMessages().send;
  const startSend = useBatchStore((st) => st.startSend);
  const resetSend = useBatchStore((st) => st.resetSend);
  const numbers = send.earlierSendNumbers.join('、');
  return (
    <ConfirmDialog
      title={s.sameTitle}
      confirmLabel={s.sameConfirm}
      tone="danger"
      onConfirm={() => void startSend(send.paths, send.earlierSendNumbers)}
      onCancel={resetSend}
    >
      <p>{s.sameBody(numbers)}</p>
      <p className="muted">{s.sameNote}</p>
    </ConfirmDialog>
  );
}

function stepStates(send: SendState, batch: BatchView | undefined): Record<StepName, StepState> {
  const states = Object.fromEntries(STEPS.map((n) => [n, 'pending'])) as Record<StepName, StepState>;
  let current: number;
  if (send.status === 'running') current = STEPS.indexOf(send.step);
  else if (!batch || batch.state !== 'done') current = STEPS.indexOf('formatCheck');
  else current = STEPS.length;
  STEPS.forEach((name, i) => {
    if (i < current) states[name] = 'done';
    else if (i === current) states[name] = 'current';
  });
  if (batch?.state === 'done' && batch.arrivedCount === 0) states.arrive = 'failed';
  return states;
}

function SendSteps({ send, batch }: { send: SendState; batch: BatchView | undefined }) {
  const m = useMessages();
  const s = m.send;
  const cancel = useBatchStore((st) => st.cancel);
  const states = stepStates(send, batch);
  const running = send.status === 'running' ? send : null;
  const cancellable = running !== null && running.step !== 'send' && !running.cancelling;
  const detail = (name: StepName): string | null => {
    if (name === 'sign' && running && running.step === 'sign' && running.total > 0) return s.signing(running.done, running.total);
    if (name === 'send' && running?.step === 'send') return s.sendingNow;
    if (name === 'formatCheck' && states.formatCheck === 'current' && batch) return s.waiting(batch.workStatus || m.sends.state[batch.state]);
    return null;
  };
  return (
    <div className="stack">
      <ol className="send-steps" aria-label={s.progressTitle}>
        {STEPS.map((name) => (
          <li key={name} className={`send-steps__step send-steps__step--${states[name]}`} aria-current={states[name] === 'current' ? 'step' : undefined}>
            <span className="send-steps__mark" aria-hidden="true">
              {states[name] === 'done' ? <Icon name="check" size={16} /> : states[name] === 'current' ? <span className="spinner spinner--small" /> : states[name] === 'failed' ? <Icon name="close" size={16} /> : null}
            </span>
            <span className="send-steps__text">
              <span className="send-steps__label">
                {s.steps[name]}
                <span className="visually-hidden">（{s.stepState[states[name]]}）</span>
              </span>
              {detail(name) && <span className="send-steps__detail">{detail(name)}</span>}
            </span>
          </li>
        ))}
      </ol>
      {running && (
        <div>
          <button type="button" className="button" onClick={() => void cancel()} disabled={!cancellable}>
            {running.cancelling ? s.cancelling : s.cancel}
          </button>
        </div>
      )}
    </div>
  );
}

function SendOutcome({ batch, resumed }: { batch: BatchView; resumed: boolean }) {
  const m = useMessages();
  const s = m.send;
  const navigate = useRouterStore((st) => st.navigate);
  const resetSend = useBatchStore((st) => st.resetSend);
  const [arrived, setArrived] = useState<ArrivedApplication[] | null>(null);
  const done = batch.state === 'done';

  useEffect(() => {
    if (!done) return;
    let live = true;
    void requireCoreApi()['batch.get']({ entryId: batch.id }).then((r) => {
      if (live && r.ok) setArrived(r.value.applications);
    });
    return () => {
      live = false;
    };
  }, [done, batch.id, batch.arrivedCount]);

  const failed = batch.formatCheck ? batch.formatCheck.errorCount : 0;
  return (
    <div className="stack" aria-live="polite">
      {batch.sendNumber && <Alert tone="success" title={s.sentTitle(batch.sendNumber)}>{resumed && <p>{s.resumedNote}</p>}</Alert>}
      {done && (
        <section className="stack--tight" aria-label={s.arrivedTitle(batch.arrivedCount, batch.applicationCount)}>
          <h3 className="send-panel__subtitle">{s.arrivedTitle(batch.arrivedCount, batch.applicationCount)}</h3>
          {arrived && arrived.length > 0 && (
            <ul className="arrived-list">
              {arrived.map((a) => (
                <li key={a.arriveId} className="arrived-list__item">
                  <span className="arrived-list__id mono">{a.arriveId}</span>
                  <span className="arrived-list__what">
                    <span>{a.procedureName}</span>
                    <span className="muted">
                      {a.applicantName}
                      {a.applicantName && ' · '}
                      <span className="mono">{a.procedureFolderName}</span>
                    </span>
                  </span>
                </li>
              ))}
            </ul>
          )}
          {failed > 0 && <Alert tone="warning" title={s.someFailed(failed)} />}
        </section>
      )}
      <div className="button-row">
        <button type="button" className="button" onClick={() => navigate({ name: 'batch', entryId: batch.id })}>
          {s.openHistory}
        </button>
        {done && (
          <button type="button" className="button button--quiet" onClick={resetSend}>
            {s.newData}
          </button>
        )}
      </div>
    </div>
  );
}
