/**
 * A sync whose vendor lost deletes, handled from the console: the sync's page says why it is
 * degraded, an editor starts a full refresh after reading what it does, and the record gone on one
 * side is deleted on the other; the run's page says it was a full refresh.
 */
import { randomUUID } from 'node:crypto';
import { memoryBackendNamed } from '../../connectors/memory';
import { apiKey, createMemoryContactsSync, json, runSyncNow } from '../support/api-helpers';
import { startTestApp, type TestApp } from '../support/app';
import { launchBrowser, signIn, type ConsoleBrowser } from './browser';

describe('the console: a full refresh', () => {
  let app: TestApp;
  let browser: ConsoleBrowser;
  const stores = { left: `fr-left-${randomUUID()}`, right: `fr-right-${randomUUID()}` };

  beforeAll(async () => {
    app = await startTestApp();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    const started: { browser?: ConsoleBrowser; app?: TestApp } = { browser, app };
    await started.browser?.close();
    await started.app?.stop();
  });

  it('finds the records a lost delete left behind', async () => {
    const left = memoryBackendNamed(stores.left);
    left.seed('contacts', [
      { id: 'ann', fields: { email: 'ann@example.com', firstname: 'Ann' } },
      { id: 'bob', fields: { email: 'bob@example.com', firstname: 'Bob' } },
    ]);
    const syncId = await createMemoryContactsSync(app, stores, {
      name: 'Contacts with lost deletes',
      direction: 'left_to_right',
      deletePolicy: 'propagate',
    });
    await runSyncNow(app, syncId);
    left.remove('contacts', 'ann');
    left.emptyRecycleBin('contacts');
    await runSyncNow(app, syncId);
    const emails = (): unknown[] =>
      memoryBackendNamed(stores.right)
        .all('Contact')
        .map((record) => record.fields['Email']);
    expect(emails()).toEqual(['ann@example.com', 'bob@example.com']);

    const page = await browser.newPage();
    await signIn(app.url, page, await apiKey(app, 'editor'));
    await page.goto(`${app.url}/console/syncs/${syncId}`);
    await page
      .getByText(/Deletes on left \(contacts\) between .+ may be lost/)
      .first()
      .waitFor();
    await page.getByRole('button', { name: 'Full refresh…' }).click();
    const confirm = page.getByRole('group', { name: 'Full refresh' });
    await confirm
      .getByText(
        'Reads both sides whole; a linked record that is not found counts as deleted, under the delete policy.',
      )
      .waitFor();
    await browser.screenshot(page, 'console-full-refresh-confirm');
    await confirm.getByRole('button', { name: 'Start full refresh' }).click();
    await page.getByText(/, full refresh,/).waitFor();
    await page.getByText('succeeded', { exact: true }).first().waitFor();
    await browser.screenshot(page, 'console-full-refresh-run');

    expect(emails()).toEqual(['bob@example.com']);
    const sync = await json<{ health: { status: string } }>(app.request(`/api/v1/syncs/${syncId}`));
    expect(sync.health.status).toBe('healthy');
  });
});
