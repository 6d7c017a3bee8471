// A fresh clone with nothing beside it must test, bench and run CI on its own: nothing under test/,
// bench/, scripts/ or .ci/ may reach for the team's shared folder outside the repository, and every
// folder of the committed e-Gov fixtures must say where it came from (PROVENANCE.md).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { egovDir, repoRoot } from '../support/paths.js';

// Built from pieces so that this file does not name what it looks for. A relative import of a
// module in src/shared (`../../shared/domain.js`) is fine; the folder beside the checkout is not.
const SHARED = 'sha' + 'red';
const forbidden: readonly { what: string; pattern: RegExp }[] = [
  { what: `../${SHARED}`, pattern: new RegExp(`\\.\\.[/\\\\]${SHARED}\\b(?![/\\\\][\\w./-]*\\.(?:[cm]?js|tsx?)\\b)`) },
  { what: `${SHARED}/egov-v1`, pattern: new RegExp(`\\b${SHARED}[/\\\\]egov-v1\\b`) },
  { what: `join(…, '..', '${SHARED}')`, pattern: new RegExp(`['"]\\.\\.['"]\\s*,\\s*['"]${SHARED}['"]`) },
  { what: 'the TODOKE_' + 'SHARED_DIR variable', pattern: new RegExp('TODOKE_' + 'SHARED_DIR') },
];

const fixturesDir = join(repoRoot, 'test', 'fixtures');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' || p === fixturesDir ? [] : filesUnder(p);
    return e.isFile() ? [p] : [];
  });
}

void describe('the repository stands on its own', () => {
  void it('test/, bench/, scripts/ and .ci/ read nothing from beside the checkout', () => {
    const offenders: string[] = [];
    for (const top of ['test', 'bench', 'scripts', '.ci']) {
      for (const file of filesUnder(join(repoRoot, top))) {
        const text = readFileSync(file, 'utf8');
        for (const { what, pattern } of forbidden) {
          if (pattern.test(text)) offenders.push(`${relative(repoRoot, file)} names ${what}`);
        }
      }
    }
    assert.deepEqual(offenders, [], 'read e-Gov reference material from test/fixtures/egov-v1 (test/support/paths.ts)');
  });

  void it('the e-Gov fixtures are inside the repository', () => {
    assert.equal(relative(repoRoot, egovDir), join('test', 'fixtures', 'egov-v1'));
  });

  void it('PROVENANCE.md names every top-level entry of test/fixtures/egov-v1', () => {
    const provenance = readFileSync(join(egovDir, 'PROVENANCE.md'), 'utf8');
    const missing = readdirSync(egovDir, { withFileTypes: true })
      .filter((e) => e.name !== 'PROVENANCE.md')
      .map((e) => (e.isDirectory() ? `${e.name}/` : e.name))
      .filter((name) => !provenance.includes(`\`${name}\``));
    assert.deepEqual(missing, [], 'say in PROVENANCE.md where these came from');
  });

  void it('git keeps the fixtures byte for byte (no line-ending conversion)', () => {
    // Recorded responses end lines with CRLF and signed files must not change by a byte.
    const attributes = readFileSync(join(repoRoot, '.gitattributes'), 'utf8').split('\n').map((l) => l.trim().split(/\s+/));
    assert.ok(
      attributes.some(([path, ...attrs]) => path === 'test/fixtures/**' && (attrs.includes('-text') || attrs.includes('binary'))),
      '.gitattributes must mark test/fixtures/** -text',
    );
  });
});
