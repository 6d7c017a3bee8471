// End-to-end: the core dies in the middle of a login (a crashing driver, the OS killing it). The
// window stays up, says what happened, the password prompt of the dead core goes away, and the
// next login works against the restarted core with the profile as it was.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { scratchHome } from '../support/home.js';
import { repoRoot } from '../support/paths.js';
import { answerCredential, credentialDialog, identityCard, P12_PASSWORD, setUpWithFile, shot, startIdentityRig, type IdentityRig } from './support/identity.js';

const USER_ID = `crash${process.pid}`;
let rig: IdentityRig;
let page: Page;

before(async () => {
  rig = await startIdentityRig();
  page = rig.page;
  await setUpWithFile(page, USER_ID, 'register');
});

after(async () => {
  await rig?.close();
});

void describe('the core host killed during a login', () => {
  void test('the page shows the failure and the restart; the next login succeeds', async () => {
    assert.ok(rig.core, 'the core runs in its own process');
    await page.getByRole('button', { name: 'ログイン（再認証）' }).click();
    const dialog = credentialDialog(page, 'パスワードの入力');
    await dialog.waitFor();
    const pid = rig.core.pid;
    assert.ok(pid);
    process.kill(pid, 'SIGKILL');

    // the prompt of the dead process is withdrawn, and the login says why it did not happen
    await dialog.waitFor({ state: 'hidden' });
    const failure = page.getByRole('alert').filter({ hasText: 'ログインできませんでした' });
    await failure.waitFor();
    assert.match(await failure.innerText(), /アプリの内部処理が異常終了したため、実行中の操作は完了していません/);
    await page.getByRole('status').filter({ hasText: /内部処理が異常終了/ }).first().waitFor();
    await identityCard(page, USER_ID).waitFor();
    await shot(rig, 'core-crash-during-login');

    await page.getByRole('button', { name: 'ログイン（再認証）' }).click();
    await answerCredential(credentialDialog(page, 'パスワードの入力'), 'パスワード', P12_PASSWORD);
    await page.getByRole('alert').filter({ hasText: 'ログインしました。新しいアクセスキーを取得しました。' }).waitFor();
    await identityCard(page, USER_ID).waitFor();
    assert.equal(rig.core.status.state, 'running');
    assert.equal(rig.core.status.restarts, 1);
    assert.ok(rig.storedAccessKey(), 'the new access key is kept');
    await shot(rig, 'core-crash-next-login');
  });
});

void describe('a core host that cannot start', () => {
  void test('the window says why and offers a retry; it does not loop; the retry starts it', async () => {
    const dir = scratchHome('todoke-e2e-entry-');
    const entry = join(dir, 'entry.mts');
    const broken = await startIdentityRig({ coreEntry: entry });
    try {
      const p = broken.page;
      const banner = p.getByRole('alert').filter({ hasText: 'アプリの内部処理を起動できませんでした' });
      await banner.waitFor();
      assert.match(await banner.innerText(), /「再試行」を押してください/);
      await shot(broken, 'core-start-failed');
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(broken.core?.status.state, 'failed', 'no restart by itself');

      // the install is mended (here: the entry appears), and the person retries
      writeFileSync(entry, `import ${JSON.stringify(join(repoRoot, 'src', 'main', 'core-host', 'entry.ts'))};\n`);
      await banner.getByRole('button', { name: '再試行' }).click();
      await banner.waitFor({ state: 'hidden' });
      await p.getByRole('heading', { level: 1, name: '利用者の設定' }).waitFor();
      assert.equal(broken.core?.status.state, 'running');
    } finally {
      await broken.close();
    }
  });
});
