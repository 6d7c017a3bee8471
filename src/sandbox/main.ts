// Sandbox (Node). Entry of `npm run sandbox -- [flags]` (same flags as `todoke sandbox`).
import { runSandbox } from './run.js';

const code = await runSandbox(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
});
process.exitCode = code;
