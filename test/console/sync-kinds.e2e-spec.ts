/**
 * The console shows what an audience sync did, in a real browser: the sync's kind and
 * identifiers, the run's audience counters, and the sync log's added lines.
 */
import { randomUUID } from 'node:crypto';
import { memoryBackendNamed } from '../../connectors/memory';
import { createSync, memoryConnection, runSyncNow, type RunBody } from '../support/api-helpers';
import { startTestApp, type TestApp } from '../support/app';
import { launchBrowser, signIn, type ConsoleBrowser } from './browser';

describe('the console: an audience sync', () => {
  let app: TestApp;
  let browser: ConsoleBrowser;
  let syncId: string;
  let run: RunBody;
  const stores = { source: `ck-src-${randomUUID()}`, audience: `ck-aud-${randomUUID()}` };

  beforeAll(async () => {
    memoryBackendNamed(stores.source).seed('contacts', [
      { id: 'ann', fields: { email: 'ann@example.com', stage: 'customer' } },
      { id: 'bob', fields: { email: 'bob@example.com', stage: 'customer' } },
      { id: 'cyd', fields: { email: 'cyd@example.com', stage: 'lead' } },
    ]);
    memoryBackendNamed(stores.audience).createAudience('customers', { name: 'Customers' });
    app = await startTestApp();
    browser = await launchBrowser();
    syncId = await createSync(app, {
      name: 'Customers audience',
      kind: 'audience',
      left: {
        connectionId: await memoryConnection(app, 'Contacts', stores.source),
        object: 'contacts',
        filter: { combine: 'all', conditions: [{ field: 'stage', op: 'eq', value: 'customer' }] },
      },
      right: {
        connectionId: await memoryConnection(app, 'Ads', stores.audience),
        object: 'customers',
      },
      identifiers: { email: 'email' },
      mappings: [],
    });
    run = await runSyncNow(app, syncId);
    expect(run).toMatchObject({ status: 'succeeded', counters: { added: 2 } });
  });

  afterAll(async () => {
    const started: { browser?: ConsoleBrowser; app?: TestApp } = { browser, app };
    await started.browser?.close();
    await started.app?.stop();
  });

  it("shows the run's audience counters and the sync's kind", async () => {
    const page = await browser.newPage();
    await signIn(app.url, page, app.adminKey);
    await page.goto(`${app.url}/console/runs/${run.id}`);
    const counters = page.getByRole('region', { name: 'Records' });
    await counters.getByText('Added to audience').waitFor();
    expect(await counters.innerText()).toMatch(/Added to audience\s*2/);
    expect(await counters.getByText('Events sent').count()).toBe(0);

    await page.goto(`${app.url}/console/syncs/${syncId}`);
    await page.getByText('Identifiers').waitFor();
    const definition = await page.locator('dl.definition').first().innerText();
    expect(definition).toMatch(/Kind\s*audience/);
    expect(definition).toMatch(/Identifiers\s*email: email/);
  });
});
