/**
 * A first run held for confirmation, in a real browser: the sync's page says why (the match-rate
 * estimate), nothing is created until a person confirms, and the confirmed run creates the records.
 */
import { randomUUID } from 'node:crypto';
import { memoryBackendNamed } from '../../connectors/memory';
import { createMemoryContactsSync, runSyncNow } from '../support/api-helpers';
import { startTestApp, type TestApp } from '../support/app';
import { launchBrowser, signIn, type ConsoleBrowser } from './browser';

describe('the console: a first run waiting for confirmation', () => {
  let app: TestApp;
  let browser: ConsoleBrowser;
  const stores = { left: `fr-left-${randomUUID()}`, right: `fr-right-${randomUUID()}` };

  beforeAll(async () => {
    app = await startTestApp({ SYNCLINE_FIRST_RUN_MAX_UNMATCHED_PERCENT: '50' });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    const started: { browser?: ConsoleBrowser; app?: TestApp } = { browser, app };
    await started.browser?.close();
    await started.app?.stop();
  });

  it('shows why the first run waits, creates nothing, and runs it once confirmed', async () => {
    memoryBackendNamed(stores.left).seed('contacts', [
      { fields: { email: 'ann@example.com', firstname: 'Ann' } },
      { fields: { email: 'bob@example.com', firstname: 'Bob' } },
      { fields: { email: 'cyd@example.com', firstname: 'Cyd' } },
    ]);
    const syncId = await createMemoryContactsSync(app, stores, {
      name: 'Contacts into an empty side',
      direction: 'left_to_right',
    });
    const held = await runSyncNow(app, syncId);
    expect(held.status).toBe('cancelled');

    const page = await browser.newPage();
    await signIn(app.url, page, app.adminKey);
    await page.goto(`${app.url}/console/syncs/${syncId}`);
    const banner = page.getByRole('region', { name: 'First run confirmation' });
    await banner.waitFor();
    expect(await banner.textContent()).toContain(
      '0 of 3 left records match a right record (0%); 3 would be created on the right',
    );
    expect(memoryBackendNamed(stores.right).all('Contact')).toHaveLength(0);
    await browser.screenshot(page, 'console-first-run-confirmation');
    await page.setViewportSize({ width: 390, height: 844 });
    // On a phone the page fits the screen: nothing wider than it but what scrolls in its own box.
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(
      390,
    );
    await browser.screenshot(page, 'console-first-run-confirmation-phone');
    await page.setViewportSize({ width: 1280, height: 800 });

    await banner.getByRole('button', { name: 'Run the first run anyway' }).click();
    await page.waitForURL(/\/console\/runs\//);
    await page.locator('.run-status').getByText('succeeded').waitFor({ timeout: 30_000 });
    expect(
      memoryBackendNamed(stores.right)
        .all('Contact')
        .map((contact) => contact.fields['Email'])
        .sort(),
    ).toEqual(['ann@example.com', 'bob@example.com', 'cyd@example.com']);
    // The sync's page no longer asks.
    await page.goto(`${app.url}/console/syncs/${syncId}`);
    await page.getByRole('heading', { name: 'Contacts into an empty side' }).waitFor();
    await page.getByRole('heading', { name: 'Recent runs' }).waitFor();
    expect(await page.getByRole('region', { name: 'First run confirmation' }).count()).toBe(0);
    await page.close();
  });
});
