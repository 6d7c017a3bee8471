// Core host process entry (bundled to build/core-host/entry.js for Electron's utilityProcess; run
// from source under child_process.fork by the web harness). The core — signing, PKCS#11 drivers,
// HTTP, SQLite — lives here, so a long run never freezes a window and a crashing driver takes down
// this process only: the host restarts it and tells the person what happened.
import { parentChannel } from './channel.js';
import { serveCoreHost } from './serve.js';

const channel = parentChannel();
serveCoreHost(channel);
// With no host there is nobody to answer: leave rather than linger as an orphan.
channel.onDisconnect(() => process.exit(0));
