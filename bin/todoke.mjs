#!/usr/bin/env node
// The `todoke` command. Runs the TypeScript sources through tsx so that the CLI needs no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main/cli/terminal.ts');
await main();
