// Renderer (the 電子納付 hand-off window's chrome strip, app://todoke/payment-chrome.html). No preload,
// no IPC, no React: the host writes the state into this page's URL fragment and the page redraws on
// hashchange, and once a second for the countdown. Anything the fragment holds that is not exactly
// a state (src/shared/payment-chrome.ts) leaves the strip saying so, never showing a guessed origin.
import { chromeView, parseChromeState, type ChromeState } from '../../shared/payment-chrome.js';
import './payment-chrome.css';

function element(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`the chrome page lacks #${id}`);
  return el;
}

const strip = element('strip');
const lock = element('lock');
const scheme = element('scheme');
const host = element('host');
const port = element('port');
const bank = element('bank');
const countdown = element('countdown');
const message = element('message');

let state: ChromeState | null = null;

function draw(): void {
  if (state === null) {
    strip.dataset.phase = 'expired';
    for (const el of [lock, scheme, host, port, bank, countdown]) el.textContent = '';
    message.textContent = '表示する情報を読めません。このウィンドウを閉じ、Todoke からやり直してください。';
    return;
  }
  const view = chromeView(state, Date.now());
  strip.dataset.phase = view.phase;
  lock.textContent = view.secure ? '🔒' : '';
  scheme.textContent = view.scheme;
  host.textContent = view.host;
  port.textContent = view.port;
  bank.textContent = view.bank;
  countdown.textContent = view.countdown;
  message.textContent = view.message;
  document.title = view.title;
  document.documentElement.lang = state.lang;
}

function read(): void {
  state = parseChromeState(window.location.hash);
  draw();
}

window.addEventListener('hashchange', read);
window.setInterval(draw, 1000);
read();
