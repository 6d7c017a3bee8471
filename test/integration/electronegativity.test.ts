// Integration (Node): Electronegativity (Doyensec's Electron security scanner) over the code that
// talks to Electron — src/main/electron and src/preload, scanned together so its global checks
// (navigation limits, permission handler, CSP) see the whole picture. Every finding must be
// justified beside the flagged code:
//
//   // electronegativity-ignore: RULE_ID — why this is safe here (a sentence, not a word)
//
// on the flagged line itself, or in the comment lines directly above it (the reason may continue on
// the next comment lines). A finding of a global check that names no file (CSP_GLOBAL_CHECK) is
// justified by such a comment anywhere in the scanned code. The test also fails on a justification
// no finding uses (stale), on Electronegativity's own `eng-disable` (it hides a finding without a
// reason), and on a file the scanner could not parse. It runs offline: the scanner's two network
// look-ups (translations, Electron's release list) are stubbed and left out.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { contentSecurityPolicy } from '../../src/main/electron/policy.js';
import { repoRoot } from '../support/paths.js';

const SCANNED = ['src/main/electron', 'src/preload'];

/**
 * Checks left out, with the reason. AVAILABLE_SECURITY_FIXES_GLOBAL_CHECK downloads Electron's
 * release list and reads a package.json, which is not among the scanned folders; keeping Electron
 * current is the dependency updates' job, not this scan's.
 */
const EXCLUDED_CHECKS = ['AvailableSecurityFixesGlobalCheck'];

interface Finding {
  id: string;
  file: string;
  location: { line: number; column: number };
  description: string;
  shortenedURL?: string;
}
interface ScanResult {
  globalChecks: number;
  atomicChecks: number;
  errors: Array<{ file: string; message: string; tolerable: boolean }>;
  issues: Finding[];
}
type Electronegativity = (options: Record<string, unknown>) => Promise<ScanResult>;

const require = createRequire(import.meta.url);
const electronVersion = (require('electron/package.json') as { version: string }).version;

/** Loads the scanner with its translation download (got, in dist/locales/i18n.js) answered locally. */
function loadElectronegativity(): Electronegativity {
  const entry = require.resolve('@doyensec/electronegativity');
  const gotPath = createRequire(join(dirname(entry), 'locales', 'i18n.js')).resolve('got');
  const offline = new Module(gotPath);
  offline.filename = gotPath;
  offline.loaded = true;
  offline.exports = async () => ({ statusCode: 404, body: '' });
  require.cache[gotPath] = offline;
  return require(entry) as Electronegativity;
}

const scratch = mkdtempSync(join(tmpdir(), 'todoke-electronegativity-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
let electronegativity: Electronegativity;
before(() => {
  electronegativity = loadElectronegativity();
});

async function scan(dir: string): Promise<ScanResult> {
  const result = await electronegativity({ input: dir, isRelative: true, electronVersionOverride: electronVersion, excludeFromScan: EXCLUDED_CHECKS });
  for (const issue of result.issues) issue.file = issue.file.replaceAll('\\', '/');
  return result;
}

// ---------------------------------------------------------------------------------------------
// Justifications

interface Justification {
  rule: string;
  reason: string;
  file: string;
  /** the line (1-based) the comment speaks for, or null when no code follows it directly */
  line: number | null;
  at: number;
}

const DIRECTIVE = /(?:\/\/|\/\*)\s*electronegativity-ignore:\s*([A-Z][A-Z0-9_]*)\s*(?:—|--)\s*(.*?)\s*(?:\*\/)?\s*$/;
const COMMENT_ONLY = /^\s*(?:\/\/|\/\*|\*)/;
const MIN_REASON = 20;

function justificationsIn(file: string, text: string): Justification[] {
  const lines = text.split('\n');
  const found: Justification[] = [];
  lines.forEach((lineText, i) => {
    const m = DIRECTIVE.exec(lineText);
    if (!m) return;
    const [, rule = '', first = ''] = m;
    let reason = first;
    let j = i + 1;
    // the reason may run on over the following comment lines, up to the next directive
    for (; j < lines.length && COMMENT_ONLY.test(lines[j] ?? '') && !DIRECTIVE.test(lines[j] ?? ''); j++) reason += ' ' + (lines[j] ?? '').replace(/^\s*(?:\/\/|\/\*|\*\/?)\s?/, '').trim();
    while (j < lines.length && COMMENT_ONLY.test(lines[j] ?? '')) j++; // further directives for the same line
    const trailing = !COMMENT_ONLY.test(lineText);
    const target = trailing ? i : j < lines.length && (lines[j] ?? '').trim() !== '' ? j : null;
    found.push({ rule, reason: reason.trim(), file, line: target === null ? null : target + 1, at: i + 1 });
  });
  return found;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(repoRoot, dir)).flatMap((name) => {
    const path = `${dir}/${name}`;
    if (statSync(join(repoRoot, path)).isDirectory()) return sourceFiles(path);
    return /\.(?:[cm]?[jt]sx?|html)$/.test(name) ? [path] : [];
  });
}

/** Findings without a valid justification, and justifications that justify nothing. */
function judge(findings: Finding[], justifications: Justification[]): { unjustified: string[]; stale: string[]; weak: string[] } {
  const used = new Set<Justification>();
  const unjustified: string[] = [];
  for (const f of findings) {
    const fileless = f.file === 'N/A' || f.location.line === 0;
    const matches = justifications.filter((j) => j.rule === f.id && (fileless || (j.file === f.file && j.line === f.location.line)));
    matches.forEach((j) => used.add(j));
    if (matches.length === 0) unjustified.push(`${fileless ? '(no file)' : `${f.file}:${f.location.line}`} ${f.id} — ${f.description} ${f.shortenedURL ?? ''}`.trim());
  }
  const weak = justifications.filter((j) => j.reason.length < MIN_REASON).map((j) => `${j.file}:${j.at} ${j.rule}: the reason “${j.reason}” is too short to say why`);
  const stale = justifications.filter((j) => !used.has(j)).map((j) => `${j.file}:${j.at} ${j.rule}${j.line === null ? ' (no code directly below it)' : ` (line ${j.line})`}`);
  return { unjustified, stale, weak };
}

// ---------------------------------------------------------------------------------------------

void describe('Electronegativity over src/main/electron and src/preload', async () => {
  const input = join(scratch, 'app');
  for (const dir of SCANNED) cpSync(join(repoRoot, dir), join(input, dir), { recursive: true });
  const files = SCANNED.flatMap(sourceFiles);
  const texts = new Map(files.map((f) => [f, readFileSync(join(repoRoot, f), 'utf8')]));
  let result: ScanResult;
  before(async () => {
    result = await scan(input);
  });

  void test('parses every file (TypeScript included) and runs its checks', () => {
    assert.deepEqual(result.errors, [], 'a file the scanner cannot parse is a file it did not check');
    assert.ok(result.atomicChecks > 30 && result.globalChecks >= 5, `only ${result.atomicChecks} atomic and ${result.globalChecks} global checks ran`);
  });

  void test('every finding is justified beside the code, with a reason', () => {
    const justifications = files.flatMap((f) => justificationsIn(f, texts.get(f) ?? ''));
    const { unjustified, stale, weak } = judge(result.issues, justifications);
    const how = '\nFix the code, or justify it on or directly above the flagged line:\n  // electronegativity-ignore: RULE_ID — why this is safe here';
    assert.deepEqual(unjustified, [], `unjustified Electronegativity findings:\n  ${unjustified.join('\n  ')}${how}`);
    assert.deepEqual(weak, [], weak.join('\n'));
    assert.deepEqual(stale, [], `justifications that no finding uses (remove them, or move them onto the flagged line):\n  ${stale.join('\n  ')}`);
  });

  void test('no finding is hidden with Electronegativity’s own eng-disable (it carries no reason)', () => {
    const hidden = files.filter((f) => /eng-disable/.test(texts.get(f) ?? ''));
    assert.deepEqual(hidden, []);
  });
});

void describe('the scanner itself', () => {
  void test('finds insecure settings in TypeScript (type-only imports, satisfies, annotations), and a missing navigation limit and permission handler', async () => {
    const dir = join(scratch, 'canary');
    mkdirSync(join(dir, 'src'), { recursive: true });
    writeFileSync(
      join(dir, 'src', 'window.ts'),
      [
        "import type { BrowserWindowConstructorOptions } from 'electron';",
        "import { BrowserWindow } from 'electron';",
        'const base = { width: 800 } satisfies BrowserWindowConstructorOptions;',
        'export function open(url: string): BrowserWindow {',
        '  const win = new BrowserWindow({',
        '    ...base,',
        '    webPreferences: { contextIsolation: false, sandbox: false, webSecurity: false },',
        '  });',
        '  void win.loadURL(url as string);',
        '  return win;',
        '}',
        '',
      ].join('\n'),
    );
    const { issues, errors } = await scan(dir);
    assert.deepEqual(errors, []);
    const seen = issues.map((i) => `${i.id}@${i.file === 'N/A' ? 'global' : `${i.file}:${i.location.line}`}`);
    for (const expected of ['CONTEXT_ISOLATION_JS_CHECK@src/window.ts:7', 'SANDBOX_JS_CHECK@src/window.ts:7', 'WEB_SECURITY_JS_CHECK@src/window.ts:7', 'LIMIT_NAVIGATION_GLOBAL_CHECK@global', 'PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK@global']) {
      assert.ok(seen.includes(expected), `expected ${expected} among ${seen.join(', ')}`);
    }
  });

  void test('justification comments: on the line, above it, continued, stacked; a blank line breaks the link', () => {
    const text = [
      'const a = 1; // electronegativity-ignore: RULE_A — trailing reason that is long enough',
      '// electronegativity-ignore: RULE_B — a reason that starts here',
      '// and goes on here',
      '// electronegativity-ignore: RULE_C -- a second rule for the same line, long enough',
      'const b = new Thing({',
      '// electronegativity-ignore: RULE_D — floating above a blank line, long enough',
      '',
      'const c = 3;',
      '// electronegativity-ignore: RULE_E — ok',
      'const d = 4;',
    ].join('\n');
    const found = justificationsIn('x.ts', text).map(({ rule, line, reason }) => ({ rule, line, reason }));
    assert.deepEqual(found, [
      { rule: 'RULE_A', line: 1, reason: 'trailing reason that is long enough' },
      { rule: 'RULE_B', line: 5, reason: 'a reason that starts here and goes on here' },
      { rule: 'RULE_C', line: 5, reason: 'a second rule for the same line, long enough' },
      { rule: 'RULE_D', line: null, reason: 'floating above a blank line, long enough' },
      { rule: 'RULE_E', line: 10, reason: 'ok' },
    ]);
    const finding = (id: string, line: number): Finding => ({ id, file: 'x.ts', location: { line, column: 0 }, description: id });
    const verdict = judge([finding('RULE_A', 1), finding('RULE_B', 5), finding('RULE_C', 4), finding('RULE_E', 10), finding('RULE_F', 8)], justificationsIn('x.ts', text));
    assert.deepEqual(verdict.unjustified, ['x.ts:4 RULE_C — RULE_C', 'x.ts:8 RULE_F — RULE_F']);
    assert.deepEqual(verdict.stale, ['x.ts:4 RULE_C (line 5)', 'x.ts:6 RULE_D (no code directly below it)']);
    assert.deepEqual(verdict.weak, ['x.ts:9 RULE_E: the reason “ok” is too short to say why']);
  });
});

// CSP_GLOBAL_CHECK cannot see the policy (it is a header built by contentSecurityPolicy() and sent
// by protocol.ts), so the policy is judged here by the evaluator that check uses.
void describe('the renderer’s Content-Security-Policy, by Electronegativity’s CSP evaluator', () => {
  interface CspFinding {
    type: number;
    description: string;
    severity: number;
    directive: string;
    value?: string;
  }
  const csp = require('@doyensec/csp-evaluator') as {
    CspParser: new (policy: string) => { csp: unknown };
    CspEvaluator: new (csp: unknown, version: unknown) => { evaluate(): CspFinding[] };
    Version: { CSP3: unknown };
    severities: Record<string, number>;
  };
  /** What the evaluator reports and why each is acceptable here. Anything else fails. */
  const accepted: Array<{ directive: string; value?: string; why: string }> = [
    { directive: 'script-src', value: "'self'", why: "'self' is app://todoke, which serves only the built renderer: no JSONP endpoint, no uploaded files, no Angular" },
    { directive: 'require-trusted-types-for', why: 'Trusted Types (CSP3 extension) postdates the evaluator, which calls the directive unknown' },
    { directive: 'require-trusted-types-for', value: "'script'", why: "the one keyword require-trusted-types-for takes; the evaluator does not know it" },
    { directive: 'trusted-types', why: 'Trusted Types (CSP3 extension) postdates the evaluator, which calls the directive unknown' },
  ];

  void test('has no high or medium finding, and nothing beyond the accepted, explained ones', () => {
    const findings = new csp.CspEvaluator(new csp.CspParser(contentSecurityPolicy()).csp, csp.Version.CSP3).evaluate();
    const { HIGH = 10, MEDIUM = 30, HIGH_MAYBE = 40 } = csp.severities;
    const serious = findings.filter((f) => f.severity === HIGH || f.severity === MEDIUM || f.severity === HIGH_MAYBE);
    assert.deepEqual(serious, []);
    const unexplained = findings.filter((f) => !accepted.some((a) => a.directive === f.directive && a.value === f.value));
    assert.deepEqual(unexplained, [], 'explain each new evaluator finding in `accepted`, or fix the policy');
  });
});
