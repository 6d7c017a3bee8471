// The process boundaries are enforced by a tool (ARCHITECTURE.md "Boundaries are checked by lint"):
// the repository's own eslint.config.js rejects each kind of forbidden import and accepts the
// allowed ones (that the tree keeps them is `npm run lint`'s job), and the renderer's TypeScript
// project has no Node types. Linting runs without type information (the probe files do not exist
// on disk, and only the boundaries rule is asked for), which keeps it fast and independent of the
// TypeScript projects.
import assert from 'node:assert/strict';
import { dirname, join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import ts from 'typescript';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const RULE = 'todoke/boundaries';

const eslint = new ESLint({
  cwd: repoRoot,
  overrideConfigFile: join(repoRoot, 'eslint.config.js'),
  overrideConfig: { languageOptions: { parserOptions: { projectService: false, project: null } } },
  ruleFilter: ({ ruleId }) => ruleId === RULE,
});

/** The boundary reports for `code` placed at `file` (repository-relative); throws on a parse error. */
async function boundaryErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(repoRoot, file) });
  assert.ok(result, file);
  const fatal = result.messages.filter((m) => m.fatal);
  assert.deepEqual(fatal, [], `${file} did not parse`);
  return result.messages.filter((m) => m.ruleId === RULE).map((m) => m.message);
}

async function assertRejected(file: string, code: string, reason: RegExp): Promise<void> {
  const errors = await boundaryErrors(file, code);
  assert.ok(errors.length > 0, `${file} should reject: ${code}`);
  assert.ok(
    errors.some((e) => reason.test(e)),
    `${file}: ${code}\n${errors.join('\n')}`,
  );
}

async function assertAllowed(file: string, code: string): Promise<void> {
  assert.deepEqual(await boundaryErrors(file, code), [], `${file} should allow: ${code}`);
}

void describe('lint boundaries: src/renderer', () => {
  const file = 'src/renderer/screens/probe.tsx';

  void it('rejects Node built-ins, with or without node:', async () => {
    await assertRejected(file, "import { readFileSync } from 'node:fs';", /Node built-in/);
    await assertRejected(file, "import { readFileSync } from 'fs';", /Node built-in/);
    await assertRejected(file, "import { join } from 'path';", /Node built-in/);
    await assertRejected(file, "import { createHash } from 'crypto';", /Node built-in/);
    await assertRejected(file, "import { readFile } from 'fs/promises';", /Node built-in/);
    await assertRejected(file, "export const load = () => import('node:os');", /Node built-in/);
  });

  void it('rejects src/main, src/sandbox and src/preload, type-only imports and re-exports included', async () => {
    await assertRejected(file, "import { x } from '../../main/x.js';", /resolves to src\/main\/x\.js/);
    await assertRejected(file, "import type { X } from '../../main/signing/certificate.js';", /resolves to src\/main\//);
    await assertRejected(file, "export * from '../../main/app/dispatch.js';", /resolves to src\/main\//);
    await assertRejected(file, "import { x } from '../../sandbox/x.js';", /resolves to src\/sandbox\/x\.js/);
    await assertRejected(file, "import { createIpcBridge } from '../../preload/ipc-bridge.js';", /resolves to src\/preload\//);
    await assertRejected('src/renderer/probe.ts', "import { x } from '../main/x.js';", /resolves to src\/main\//);
  });

  void it('rejects electron', async () => {
    await assertRejected(file, "import { ipcRenderer } from 'electron';", /Only src\/main\/electron and src\/preload/);
  });

  void it('allows src/shared, its own modules and browser packages', async () => {
    await assertAllowed(
      file,
      [
        "import { useState } from 'react';",
        "import { createRoot } from 'react-dom/client';",
        "import { create } from 'zustand';",
        "import type { CertificateInfo } from '../../shared/domain.js';",
        "import { operationNames } from '../../shared/contract.js';",
        "import { formatAge } from '../format.js';",
        "import { Icon } from './../components/Icon.js';",
      ].join('\n'),
    );
  });
});

void describe('lint boundaries: src/shared', () => {
  const file = 'src/shared/probe.ts';

  void it('rejects any relative import leaving src/shared', async () => {
    await assertRejected(file, "import { x } from '../main/x.js';", /outside src\/shared/);
    await assertRejected(file, "import type { CertificateInfo } from '../main/signing/certificate.js';", /outside src\/shared/);
    await assertRejected(file, "import { formatAge } from '../renderer/format.js';", /outside src\/shared/);
    await assertRejected(file, "import { x } from './../sandbox/x.js';", /outside src\/shared/);
  });

  void it('rejects Node built-ins and npm packages', async () => {
    await assertRejected(file, "import { createHash } from 'node:crypto';", /Node built-in/);
    await assertRejected(file, "import { createHash } from 'crypto';", /Node built-in/);
    await assertRejected(file, "import { XMLParser } from 'fast-xml-parser';", /npm package/);
    await assertRejected(file, "import type { Document } from '@xmldom/xmldom';", /npm package/);
    await assertRejected(file, "import { ipcRenderer } from 'electron';", /npm package|Only src\/main\/electron/);
  });

  void it('allows its own modules', async () => {
    await assertAllowed(file, "import * as s from './schema.js';\nimport type { CertificateInfo } from './domain.js';\nexport * from './errors.js';");
  });
});

void describe('lint boundaries: src/sandbox', () => {
  const file = 'src/sandbox/identity/probe.ts';

  void it('rejects the client code that writes requests or reads responses', async () => {
    await assertRejected(file, "import { x } from '../../main/egov/authentication-codec.js';", /not on the allow-list/);
    await assertRejected(file, "import { x } from '../../main/egov/http.js';", /not on the allow-list/);
    await assertRejected(file, "import { createApp } from '../../main/app/create-app.js';", /not on the allow-list/);
    await assertRejected(file, "import { x } from '../../main/identity/endpoint.js';", /not on the allow-list/);
    await assertRejected(file, "import { x } from '../../main/cli/main.js';", /not on the allow-list/);
    // The signing barrel also exports the request signer: the sandbox names the verifier's modules.
    await assertRejected(file, "import { verifySignedXml } from '../../main/signing/xml/index.js';", /not on the allow-list/);
    await assertRejected(file, "import { signRequestBody } from '../../main/signing/xml/request-profile.js';", /not on the allow-list/);
  });

  void it('rejects electron', async () => {
    await assertRejected(file, "import { app } from 'electron';", /Only src\/main\/electron and src\/preload/);
  });

  void it('allows the listed utilities and the signature verifier, Node and its own modules', async () => {
    await assertAllowed(
      file,
      [
        "import { SigningError } from '../../main/signing/errors.js';",
        "import { parseXmlSafely } from '../../main/signing/xml/safe-xml.js';",
        "import { verifySignedXml } from '../../main/signing/xml/verify.js';",
        "import { judgeChain } from '../../main/signing/xml/chain.js';",
        "import { parseCertificates } from '../../main/signing/certificate.js';",
        "import { todokeHome } from '../../main/profiles/home.js';",
        "import { TodokeError } from '../../shared/errors.js';",
        "import { X509Certificate } from 'node:crypto';",
        "import type { Document } from '@xmldom/xmldom';",
        "import { failure } from '../messages.js';",
      ].join('\n'),
    );
  });
});

void describe('lint boundaries: electron', () => {
  void it('is rejected in the Electron-free core, whichever other zones hold the file', async () => {
    for (const file of ['src/main/app/probe.ts', 'src/main/egov/probe.ts', 'src/main/core-host/probe.ts', 'src/main/cli/probe.ts']) {
      await assertRejected(file, "import { app } from 'electron';", /Only src\/main\/electron and src\/preload/);
      await assertRejected(file, "import { utilityProcess } from 'electron/main';", /Only src\/main\/electron and src\/preload/);
      await assertRejected(file, "const { app } = require('electron');", /Only src\/main\/electron and src\/preload/);
    }
  });

  void it('is allowed in src/main/electron and src/preload', async () => {
    await assertAllowed('src/main/electron/probe.ts', "import { app, BrowserWindow } from 'electron';");
    await assertAllowed('src/preload/probe.ts', "import { contextBridge, ipcRenderer } from 'electron';");
  });

  void it('leaves the rest of the core free to use Node and packages', async () => {
    await assertAllowed('src/main/app/probe.ts', "import { readFile } from 'node:fs/promises';\nimport { x } from '../egov/http.js';\nimport Database from 'better-sqlite3';");
  });
});

void describe('the renderer TypeScript project', () => {
  function parsed(name: string): ts.ParsedCommandLine {
    const config = ts.readConfigFile(join(repoRoot, name), (p) => ts.sys.readFile(p));
    assert.equal(config.error, undefined, name);
    return ts.parseJsonConfigFileContent(config.config, ts.sys, repoRoot, undefined, join(repoRoot, name));
  }
  const relative = (files: string[]) => files.map((f) => f.slice(repoRoot.length + 1));

  void it('covers src/renderer and src/shared only, with no ambient types (no Node)', () => {
    const renderer = parsed('tsconfig.renderer.json');
    assert.deepEqual(renderer.errors, []);
    assert.deepEqual(renderer.options.types, []);
    assert.equal(renderer.options.jsx, ts.JsxEmit.ReactJSX);
    const files = relative(renderer.fileNames);
    assert.ok(files.includes('src/renderer/main.tsx'));
    assert.ok(files.includes('src/shared/contract.ts'));
    assert.deepEqual(files.filter((f) => !f.startsWith('src/renderer/') && !f.startsWith('src/shared/')), []);
  });

  void it('is the only project that lists src/renderer', () => {
    const root = parsed('tsconfig.json');
    assert.deepEqual(relative(root.fileNames).filter((f) => f.startsWith('src/renderer/')), []);
  });

  void it('rejects Node globals in renderer code', () => {
    const { options } = parsed('tsconfig.renderer.json');
    const probe = join(repoRoot, 'src', 'renderer', '__types_probe__.ts');
    const code = [
      'export const platform = process.platform;',
      "export const bytes = Buffer.from('x');",
      'export let timer: NodeJS.Timeout | undefined;',
      'export const fine = window.setTimeout(() => undefined, 1);',
    ].join('\n');
    const host = ts.createCompilerHost(options);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (name, version, ...rest) => (name === probe ? ts.createSourceFile(name, code, version) : getSourceFile(name, version, ...rest));
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (name) => name === probe || fileExists(name);
    const program = ts.createProgram({ rootNames: [probe], options, host });
    const errors = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file?.fileName === probe)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    for (const name of ['process', 'Buffer', 'NodeJS']) {
      assert.ok(
        errors.some((e) => e.includes(`'${name}'`)),
        `${name} should be unknown: ${errors.join(' | ')}`,
      );
    }
    assert.equal(errors.length, 3, errors.join(' | '));
  });
});
