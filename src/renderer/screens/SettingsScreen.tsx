// Renderer. 設定: the display language and what is running.
import { Fact } from '../components/Fact.js';
import { useMessages } from '../messages/index.js';
import { useAppInfoStore } from '../stores/app-info.js';
import { useUiStore, type Language } from '../stores/ui.js';

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
