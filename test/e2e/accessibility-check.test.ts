// End-to-end: the accessible-name check the identity specs run at every screenshot
// (support/accessibility.ts) really catches unnamed controls, so a passing spec means something.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createApp } from '../../src/main/app/create-app.js';
import { scratchHome } from '../support/home.js';
import { unnamedControls } from './support/accessibility.js';
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
