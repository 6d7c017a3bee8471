// End-to-end: the accessibility checks every screenshot runs (support/accessibility.ts) really
// catch problems — unnamed controls, and axe-core's serious and critical findings — so a passing
// spec means something.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createApp } from '../../src/main/app/create-app.js';
import { scratchHome } from '../support/home.js';
import { assertAccessible, axeFindings, unnamedControls } from './support/accessibility.js';
import { launchTodoke, type LaunchedTodoke } from './support/launch.js';

let todoke: LaunchedTodoke;

before(async () => {
  todoke = await launchTodoke({ app: createApp({ host: 'harness', version: 'test', home: scratchHome() }) });
  await todoke.page.getByRole('navigation', { name: 'メインメニュー' }).waitFor();
});

after(async () => {
  await todoke?.close();
});

void test('the start screen has no unnamed control; injected unnamed ones are reported by role', async () => {
  const page = todoke.page;
  assert.deepEqual(await unnamedControls(page), []);
  await page.evaluate(() => {
    const box = document.createElement('div');
    box.id = 'probe';
    // built with DOM calls: the page's CSP requires Trusted Types for innerHTML
    const unnamedButton = document.createElement('button');
    unnamedButton.type = 'button';
    const unnamedInput = document.createElement('input');
    const label = document.createElement('label');
    label.append('名前 ', document.createElement('input'));
    box.append(unnamedButton, unnamedInput, label);
    document.body.append(box);
  });
  assert.deepEqual((await unnamedControls(page)).sort(), ['button', 'textbox']);
  await page.evaluate(() => document.getElementById('probe')?.remove());
  assert.deepEqual(await unnamedControls(page), []);
});

void test('axe finds nothing serious on the start screen, and reports injected problems by rule and element', async () => {
  const page = todoke.page;
  assert.deepEqual(await axeFindings(page), []);
  await page.evaluate(() => {
    const box = document.createElement('div');
    box.id = 'axe-probe';
    // pale grey on white: about 1.6:1, far below the 4.5:1 that text needs
    const faint = document.createElement('p');
    faint.id = 'faint-text';
    faint.textContent = '読みにくい文字';
    faint.style.color = '#d0d0d0';
    faint.style.background = '#ffffff';
    // a button with an icon and no name at all
    const iconOnly = document.createElement('button');
    iconOnly.id = 'icon-only';
    iconOnly.type = 'button';
    box.append(faint, iconOnly);
    document.querySelector('main')?.append(box);
  });
  const findings = await axeFindings(page);
  assert.ok(
    findings.some((f) => f.startsWith('color-contrast (serious)') && f.includes('#faint-text')),
    findings.join('\n'),
  );
  assert.ok(
    findings.some((f) => f.startsWith('button-name (critical)') && f.includes('#icon-only')),
    findings.join('\n'),
  );
  await assert.rejects(assertAccessible(page, 'probe'), (e: Error) => /accessibility problems on probe/.test(e.message) && /color-contrast/.test(e.message) && /unnamed control: button/.test(e.message));
  await page.evaluate(() => document.getElementById('axe-probe')?.remove());
  assert.deepEqual(await axeFindings(page), []);
});

void test('ran without console errors or CSP violations (axe included)', () => {
  assert.deepEqual(todoke.problems, []);
});
