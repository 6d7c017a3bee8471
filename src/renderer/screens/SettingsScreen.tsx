// Renderer. 設定: the display language, how often the background sync checks the cases (kept for the
// profile by the core: sync.configure), and what is running.
import { useEffect, useState } from 'react';
import { SYNC_INTERVAL_CHOICES } from '../../shared/case.js';
import type { ErrorPayload } from '../../shared/errors.js';
import { requireCoreApi } from '../api.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { Fact } from '../components/Fact.js';
import { Progress } from '../components/Progress.js';
import { useSyncActions } from '../components/SyncPanel.js';
import { useMessages } from '../messages/index.js';
import { useAppInfoStore } from '../stores/app-info.js';
import { useCaseStore } from '../stores/cases.js';
import { useUiStore, type Language } from '../stores/ui.js';
import './SettingsScreen.css';

/** the interval a new profile starts with (src/main/sync/poller.ts DEFAULT_POLL_INTERVAL_MS) */
const DEFAULT_MINUTES = 15;

export function SettingsScreen() {
  const m = useMessages();
  const language = useUiStore((s) => s.language);
  const setLanguage = useUiStore((s) => s.setLanguage);
  const info = useAppInfoStore((s) => s.info);
  const choices: { value: Language; label: string }[] = [
    { value: 'ja', label: m.language.ja },
    { value: 'en', label: m.language.en },
  ];
  return (
    <div className="stack">
      <section className="panel">
        <fieldset className="fieldset">
          <legend className="panel__title">{m.language.label}</legend>
          <p className="muted">{m.settings.languageLead}</p>
          <div className="radio-row">
            {choices.map((c) => (
              <label key={c.value} className="radio" lang={c.value}>
                <input type="radio" name="language" value={c.value} checked={language === c.value} onChange={() => setLanguage(c.value)} />
                <span>{c.label}</span>
              </label>
            ))}
          </div>
        </fieldset>
      </section>
      <SyncSettings />
      <section className="panel" aria-labelledby="settings-about">
        <h2 id="settings-about" className="panel__title">
          {m.settings.aboutTitle}
        </h2>
        {info && (
          <dl className="facts facts--compact">
            <Fact term={m.settings.version}>{info.version}</Fact>
            <Fact term={m.settings.host}>{info.host === 'electron' ? m.app.hostElectron : m.app.hostHarness}</Fact>
            <Fact term={m.settings.platform}>{info.platform}</Fact>
          </dl>
        )}
      </section>
    </div>
  );
}

/** The interval of the background sync: chosen here, kept by the core for the profile, used at once. */
function SyncSettings() {
  const m = useMessages();
  const sync = useCaseStore((s) => s.sync);
  const loadSync = useCaseStore((s) => s.loadSync);
  const applySync = useCaseStore((s) => s.applySync);
  const resume = useSyncActions();
  /** the choice being saved: shown chosen at once (a failure puts the stored one back) */
  const [pending, setPending] = useState<number | null>(null);
  const [saved, setSaved] = useState<number | null>(null);
  const [error, setError] = useState<ErrorPayload | null>(null);

  useEffect(() => {
    void loadSync();
  }, [loadSync]);

  const choose = async (minutes: number) => {
    if (pending !== null) return;
    setPending(minutes);
    setError(null);
    setSaved(null);
    const result = await requireCoreApi()['sync.configure']({ intervalMinutes: minutes });
    if (result.ok) {
      applySync(result.value);
      setSaved(minutes);
    } else {
      setError(result.error);
    }
    setPending(null);
  };

  const label = (minutes: number) => `${m.settings.syncEvery(minutes)}${minutes === DEFAULT_MINUTES ? m.settings.syncDefault : ''}`;
  const view = sync.status === 'ready' ? sync.value : null;
  const setUp = view !== null && view.state !== 'idle';
  const stored = view ? SYNC_INTERVAL_CHOICES.find((c) => c * 60_000 === view.intervalMs) : undefined;
  const current = pending ?? stored;

  return (
    <section className="panel">
      <fieldset className="fieldset" disabled={!setUp} aria-busy={pending !== null}>
        <legend className="panel__title">{m.settings.syncTitle}</legend>
        <p className="muted">{m.settings.syncLead}</p>
        {sync.status === 'error' && <ErrorAlert title={m.cases.syncFailed} error={sync.error} />}
        {(sync.status === 'idle' || sync.status === 'loading') && <Progress text={m.cases.loading} />}
        {view && (
          <div className="radio-row">
            {SYNC_INTERVAL_CHOICES.map((minutes) => (
              <label key={minutes} className="radio">
                <input type="radio" name="sync-interval" value={minutes} checked={current === minutes} onChange={() => void choose(minutes)} />
                <span>{label(minutes)}</span>
              </label>
            ))}
          </div>
        )}
        {view && current === undefined && <p className="muted">{m.settings.syncCurrent(view.intervalMs)}</p>}
        {view && !setUp && <p className="muted">{m.settings.syncNotSetUp}</p>}
      </fieldset>
      <p role="status" className="settings-saved">
        {saved !== null ? m.settings.syncSaved(m.settings.syncEvery(saved)) : ''}
      </p>
      {view?.state === 'paused' && (
        <div className="input-row">
          <p className="muted">{m.settings.syncPaused}</p>
          <button type="button" className="button" disabled={resume.busy !== null} onClick={() => void resume.act('resume')}>
            {m.cases.syncResume}
          </button>
        </div>
      )}
      {error && <ErrorAlert title={m.settings.syncFailed} error={error} />}
      {resume.error && <ErrorAlert title={m.cases.syncActionFailed} error={resume.error} />}
    </section>
  );
}
