// Renderer entry. Starts the React app once the host has provided `window.todoke`.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { coreApi } from './api.js';
import { App } from './App.js';
import { messagesFor } from './messages/index.js';
import { useUiStore } from './stores/ui.js';

// A file dropped outside the drop zone must not make the window try to open it.
for (const type of ['dragover', 'drop'] as const) window.addEventListener(type, (e) => e.preventDefault());

const container = document.getElementById('root');
if (!container) throw new Error('#root is missing from index.html');
const root = createRoot(container);

if (coreApi()) {
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
