// Renderer entry. Starts the React app once the host has provided `window.todoke`.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
// The global stylesheets come first: each component's own stylesheet, imported by the component,
// follows them in the bundle and may refine them.
import './styles/base.css';
import './styles/controls.css';
import { coreApi } from './api.js';
import { App } from './App.js';
import { listenToCore } from './events.js';
import { messagesFor } from './messages/index.js';
import { useUiStore } from './stores/ui.js';

// A file dropped outside the drop zone must not make the window try to open it.
for (const type of ['dragover', 'drop'] as const) window.addEventListener(type, (e) => e.preventDefault());

const container = document.getElementById('root');
if (!container) throw new Error('#root is missing from index.html');
const root = createRoot(container);

const api = coreApi();
if (api) {
  // The core's events reach the stores from now on, whatever is on the screen (events.ts).
  listenToCore(api);
  root.render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
} else {
  const m = messagesFor(useUiStore.getState().language);
  root.render(
    <main className="fatal" role="alert">
      <h1>{m.app.coreUnavailableTitle}</h1>
      <p>{m.app.coreUnavailableBody}</p>
    </main>,
  );
}
