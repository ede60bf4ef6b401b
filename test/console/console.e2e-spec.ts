/**
 * The web console in a real browser (Chromium through playwright-core) against the in-process app:
 * sign in, the overview, a sync's page, a run followed live, and what each role is offered. The
 * console files come from dist/console (`npm run test:e2e` builds first).
 */
import { randomUUID } from 'node:crypto';
import { memoryBackendNamed } from '../../connectors/memory';
import {
  apiKey,
  createMemoryContactsSync,
  json,
  runSyncNow,
  type RunBody,
} from '../support/api-helpers';
import { startTestApp, type TestApp } from '../support/app';
import { launchBrowser, signIn, type ConsoleBrowser } from './browser';

const RECORDS = 40;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

describe('the console', () => {
  let app: TestApp;
  let browser: ConsoleBrowser;
  let oneWay: string;
  let twoWay: string;
  let lastRun: RunBody;

  beforeAll(async () => {
    const stores = {
      left: `console-left-${randomUUID()}`,
      right: `console-right-${randomUUID()}`,
      twoLeft: `console-two-left-${randomUUID()}`,
      twoRight: `console-two-right-${randomUUID()}`,
    };
    memoryBackendNamed(stores.left).seed(
      'contacts',
      Array.from({ length: RECORDS }, (_, i) => ({
        fields: { email: `person${i}@example.com`, firstname: `Person ${i}` },
      })),
    );
    app = await startTestApp();
    browser = await launchBrowser();
    oneWay = await createMemoryContactsSync(
      app,
      { left: stores.left, right: stores.right },
      { name: 'Contacts to the CRM', direction: 'left_to_right' },
    );
    twoWay = await createMemoryContactsSync(
      app,
      { left: stores.twoLeft, right: stores.twoRight },
      { name: 'Two-way contacts', direction: 'bidirectional' },
    );
    lastRun = await runSyncNow(app, twoWay);
  });

  afterAll(async () => {
    // Either may be missing when beforeAll failed half-way.
    const started: { browser?: ConsoleBrowser; app?: TestApp } = { browser, app };
    await started.browser?.close();
    await started.app?.stop();
  });

  it('is served at /console, deep links included, outside the API and its keys', async () => {
    const home = await fetch(`${app.url}/`, { redirect: 'manual' });
    expect(home.status).toBe(302);
    expect(new URL(home.headers.get('location') ?? '', `${app.url}/`).pathname).toBe('/console/');
    const bare = await fetch(`${app.url}/console`, { redirect: 'manual' });
    expect(new URL(bare.headers.get('location') ?? '', `${app.url}/console`).pathname).toBe(
      '/console/',
    );

    for (const path of ['/console/', `/console/syncs/${oneWay}`, '/console/runs/x/']) {
      const res = await fetch(`${app.url}${path}`);
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(await res.text()).toContain('<div id="root"></div>');
    }
    const html = await (await fetch(`${app.url}/console/`)).text();
    const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${app.url}${script ?? ''}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect(asset.headers.get('cache-control')).toContain('immutable');

    for (const path of [
      '/console/assets/missing.js',
      '/console/..%2f..%2fpackage.json',
      '/console/%2e%2e/%2e%2e/package.json',
    ]) {
      const res = await fetch(`${app.url}${path}`);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
    }
    // Not part of the API: not under /api/v1, not in its document.
    expect((await fetch(`${app.url}/api/v1/console/`)).status).toBe(404);
    const doc = await json<{ paths: Record<string, unknown> }>(fetch(`${app.url}/api/docs-json`));
    expect(
      Object.keys(doc.paths).filter((path) => path === '/' || path.startsWith('/console')),
    ).toEqual([]);
  });

  it('signs in with the admin key and shows every sync on the overview', async () => {
    const page = await browser.newPage();
    await signIn(app.url, page, app.adminKey);
    await page.getByText('admin (SYNCLINE_ADMIN_KEY)').waitFor();
    const rows = page.locator('[data-sync-id]');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(2);

    const two = page.locator(`[data-sync-id="${twoWay}"]`);
    expect(await two.getByRole('link', { name: 'Two-way contacts' }).count()).toBe(1);
    expect(await two.locator('[data-health]').textContent()).toBe('healthy');
    expect(await two.locator('[data-status]').textContent()).toBe(lastRun.status);
    const one = page.locator(`[data-sync-id="${oneWay}"]`);
    expect(await one.getByText('never run').count()).toBe(1);
    expect(await one.getByText('not scheduled').count()).toBe(1);
    // Budgets: one row per connection (two per sync).
    expect(await page.locator('[data-connection-id]').count()).toBe(4);
    await browser.screenshot(page, 'console-overview');
  });

  it('runs a sync from its page and follows the run live to "succeeded"', async () => {
    const page = await browser.newPage();
    await signIn(app.url, page, app.adminKey);
    await page.getByRole('link', { name: 'Contacts to the CRM' }).click();
    await page.getByRole('heading', { name: 'Field mappings' }).waitFor();
    expect(page.url()).toBe(`${app.url}/console/syncs/${oneWay}`);
    const mappings = page.getByRole('table', { name: 'Field mappings' });
    expect(await mappings.locator('tbody tr').count()).toBe(2);
    expect(await mappings.locator('tbody tr').first().textContent()).toContain(
      'Contacts to the CRM L to Contacts to the CRM R',
    );

    // A reload keeps the session (the key is in this tab's session storage).
    await page.reload();
    await page.getByRole('heading', { name: 'Contacts to the CRM' }).waitFor();

    await page.getByRole('button', { name: 'Run now' }).click();
    await page.waitForURL(/\/console\/runs\//);
    const runId = UUID.exec(page.url())?.[0];
    expect(runId).toBeDefined();
    // Marks this document: still there at the end means the page updated without a reload.
    await page.evaluate('window.__sameDocument = true');
    await page.locator('[role="status"] [data-status="succeeded"]').waitFor();
    expect(await page.evaluate('window.__sameDocument === true')).toBe(true);
    expect(await page.locator('[data-counter="read"]').textContent()).toBe(String(RECORDS));
    expect(await page.locator('[data-counter="created"]').textContent()).toBe(String(RECORDS));
    expect(await page.locator('[data-counter="failed"]').textContent()).toBe('0');

    const run = await json<RunBody>(app.request(`/api/v1/runs/${runId ?? ''}`));
    expect(run).toMatchObject({ syncId: oneWay, status: 'succeeded', trigger: 'manual' });
    await browser.screenshot(page, 'console-run-succeeded');
  });

  it('fits a phone’s width on every page, the header included', async () => {
    const page = await browser.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(app.url, page, app.adminKey);
    const pages: Array<[string, string, string]> = [
      ['overview', '/console/', 'Overview'],
      ['sync', `/console/syncs/${twoWay}`, 'Field mappings'],
      ['run', `/console/runs/${lastRun.id}`, 'Sync log'],
      ['conflicts', '/console/conflicts', 'Conflicts'],
      ['connections', '/console/connections', 'Connections'],
      ['records', '/console/records', 'Record history'],
    ];
    for (const [name, path, heading] of pages) {
      await page.goto(`${app.url}${path}`);
      await page.getByRole('heading', { name: heading }).first().waitFor();
      const width = await page.evaluate<number>('document.documentElement.scrollWidth');
      expect({ name, width }).toEqual({ name, width: 390 });
      const signOut = await page.getByRole('button', { name: 'Sign out' }).boundingBox();
      expect(signOut).not.toBeNull();
      expect((signOut?.x ?? 0) + (signOut?.width ?? 0)).toBeLessThanOrEqual(390);
      await browser.screenshot(page, `console-phone-${name}`);
    }
    await page.close();
  });

  it('says so when the key is not accepted', async () => {
    const page = await browser.newPage();
    await page.goto(`${app.url}/console/`);
    await page.getByLabel('API key').fill(`sl_0123456789_${'x'.repeat(43)}`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('This API key was not accepted');
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    await browser.screenshot(page, 'console-wrong-key');
  });

  it('offers a viewer no button that would fail with 403', async () => {
    const viewer = await apiKey(app, 'viewer');
    const page = await browser.newPage();
    await signIn(app.url, page, viewer);
    expect(await page.locator('[data-role="viewer"]').count()).toBe(1);
    await page.locator(`[data-sync-id="${twoWay}"]`).waitFor();

    await page.getByRole('link', { name: 'Two-way contacts' }).click();
    await page.getByRole('heading', { name: 'Field mappings' }).waitFor();
    expect(await page.getByRole('button', { name: 'Run now' }).count()).toBe(0);
    // Every button left on the page is one a viewer may use (the sync log's Filter and its
    // export only read).
    const readOnly = (texts: string[]): string[] =>
      texts.filter((text) => !['Filter', 'CSV', 'JSON'].includes(text));
    const buttons = await page.getByRole('button').allTextContents();
    expect(readOnly(buttons)).toEqual(['Sign out']);

    await page
      .getByRole('link', { name: /succeeded/ })
      .first()
      .click();
    await page.getByRole('heading', { name: 'Records', exact: true }).waitFor();
    expect(readOnly(await page.getByRole('button').allTextContents())).toEqual(['Sign out']);
    await browser.screenshot(page, 'console-viewer');
  });
});
