/**
 * The console's run errors, sync log and record history in a real browser: a run whose target
 * refuses some records; its errors grouped by code, the log filtered by an error code (a link),
 * "Retry these" once the target accepts them again, and one record's history across runs.
 */
import { randomUUID } from 'node:crypto';
import type { Locator, Page } from 'playwright-core';
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

interface FailedList {
  items: Array<{ recordId: string; errorCode: string }>;
  nextCursor: string | null;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

describe('the console: run errors, sync log, record history', () => {
  let app: TestApp;
  let browser: ConsoleBrowser;
  let syncId: string;
  let firstRun: RunBody;
  let lift: () => void;
  const suffix = randomUUID().slice(0, 8);
  const ids = { ann: `ann-${suffix}`, bob: `bob-${suffix}`, cyd: `cyd-${suffix}` };
  const stores = { left: `el-left-${randomUUID()}`, right: `el-right-${randomUUID()}` };

  beforeAll(async () => {
    memoryBackendNamed(stores.left).seed('contacts', [
      { id: ids.ann, fields: { email: 'ann@example.com', firstname: 'Ann' } },
      { id: ids.bob, fields: { email: 'bob@example.com', firstname: 'Bob' } },
      { id: ids.cyd, fields: { email: 'cyd@example.com', firstname: 'Cyd' } },
      ...Array.from({ length: 5 }, (_, i) => ({
        id: `ok${i}-${suffix}`,
        fields: { email: `ok${i}@example.com`, firstname: `Ok ${i}` },
      })),
    ]);
    // The target refuses Ann and Bob (invalid_value) and Cyd (duplicate).
    lift = memoryBackendNamed(stores.right).faults.rejectRecords((op) => {
      const email = op.fields['Email'];
      if (email === 'ann@example.com' || email === 'bob@example.com')
        return { code: 'invalid_value', message: 'Email: rejected', retryable: false };
      if (email === 'cyd@example.com')
        return { code: 'duplicate', message: 'Duplicate record', retryable: false };
      return undefined;
    });
    app = await startTestApp();
    browser = await launchBrowser();
    syncId = await createMemoryContactsSync(app, stores, {
      name: 'Contacts with errors',
      direction: 'left_to_right',
      // Dead after the first failure: only a retry by hand tries them again.
      maxAttempts: 1,
      overlapMs: 0,
    });
    firstRun = await runSyncNow(app, syncId);
    expect(firstRun).toMatchObject({ status: 'partial', counters: { failed: 3, created: 5 } });
  });

  afterAll(async () => {
    lift();
    const started: { browser?: ConsoleBrowser; app?: TestApp } = { browser, app };
    await started.browser?.close();
    await started.app?.stop();
  });

  /** An attribute of every element `locator` finds, read at once (the list may be reloading). */
  async function attributes(locator: Locator, name: string): Promise<Array<string | null>> {
    return locator.evaluateAll(
      (elements: Array<{ getAttribute: (attribute: string) => string | null }>, attribute) =>
        elements.map((element) => element.getAttribute(attribute)),
      name,
    );
  }

  /** Asks `read` again until `done` holds for its answer (10 s at most), and gives that answer. */
  async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const value = await read();
      if (done(value)) return value;
      if (Date.now() > deadline) throw new Error(`still ${JSON.stringify(value)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** The codes of the log's lines once every line shown has `code` (waits for the reload). */
  async function logCodesAfterFilter(page: Page, code: string): Promise<Array<string | null>> {
    return until(
      () => attributes(page.locator('.sync-log tbody tr'), 'data-error-code'),
      (codes) => codes.length > 0 && codes.every((value) => value === code),
    );
  }

  it("groups the run's errors by code and filters its log by an error code, in the URL", async () => {
    const page = await browser.newPage();
    await signIn(app.url, page, app.adminKey);
    await page.goto(`${app.url}/console/runs/${firstRun.id}`);
    await page.getByRole('heading', { name: 'Errors', exact: true }).waitFor();

    const invalid = page.locator('[data-error-group="invalid_value"]');
    await invalid.waitFor();
    expect(await invalid.locator('h3').textContent()).toContain('2 failed writes, 2 records');
    expect(await invalid.getByRole('link', { name: ids.ann }).count()).toBe(1);
    expect(await invalid.getByRole('link', { name: ids.bob }).count()).toBe(1);
    const duplicate = page.locator('[data-error-group="duplicate"]');
    expect(await duplicate.locator('h3').textContent()).toContain('1 failed write, 1 record');
    expect(await duplicate.getByText('Duplicate record').count()).toBe(1);

    // The whole log first: created lines and failed ones.
    const log = page.locator('.sync-log');
    await log.locator('tbody tr').first().waitFor();
    expect(await log.locator('tbody tr[data-action="created"]').count()).toBe(5);

    await page.getByLabel('Error code').selectOption('duplicate');
    await page.getByRole('button', { name: 'Filter' }).click();
    expect(await logCodesAfterFilter(page, 'duplicate')).toEqual(['duplicate']);
    expect(await log.locator('tbody tr').first().textContent()).toContain(ids.cyd);
    expect(new URL(page.url()).searchParams.get('log.errorCode')).toBe('duplicate');

    // The filtered view is a link: a new tab opens it as it was.
    const linked = await browser.newPage();
    await signIn(app.url, linked, app.adminKey);
    await linked.goto(page.url());
    expect(await logCodesAfterFilter(linked, 'duplicate')).toEqual(['duplicate']);
    expect(await linked.getByLabel('Error code').inputValue()).toBe('duplicate');

    // By keyboard: the other code, then the filters cleared.
    await page.getByLabel('Error code').focus();
    await page.getByLabel('Error code').selectOption('invalid_value');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    expect((await logCodesAfterFilter(page, 'invalid_value')).length).toBe(2);
    await page.goBack();
    expect(await logCodesAfterFilter(page, 'duplicate')).toEqual(['duplicate']);
    await browser.screenshot(page, 'console-run-errors-filtered');

    await page.getByRole('button', { name: 'Clear filters' }).click();
    await until(
      () => page.locator('.sync-log tbody tr[data-action="created"]').count(),
      (created) => created === 5,
    );
    expect(new URL(page.url()).search).toBe('');
  });

  it('offers a viewer no "Retry these"', async () => {
    const viewer = await apiKey(app, 'viewer');
    const page = await browser.newPage();
    await signIn(app.url, page, viewer);
    await page.goto(`${app.url}/console/runs/${firstRun.id}`);
    await page.locator('[data-error-group="invalid_value"]').waitFor();
    await page.locator('.sync-log tbody tr').first().waitFor();
    expect(await page.getByRole('button', { name: 'Retry these' }).count()).toBe(0);
    const buttons = await page.getByRole('button').allTextContents();
    expect([...new Set(buttons)].sort()).toEqual(['Filter', 'Sign out']);
    await browser.screenshot(page, 'console-run-errors-viewer');
  });

  it('retries the failed records of one code in a new run, which succeeds', async () => {
    lift();
    const page = await browser.newPage();
    await signIn(app.url, page, app.adminKey);
    await page.goto(`${app.url}/console/runs/${firstRun.id}`);
    const invalid = page.locator('[data-error-group="invalid_value"]');
    await invalid.getByRole('button', { name: 'Retry these' }).click();

    await page.waitForURL((url) => UUID.test(url.pathname) && !url.pathname.includes(firstRun.id));
    const retryRunId = UUID.exec(page.url())?.[0] ?? '';
    await page.locator('[role="status"] [data-status="succeeded"]').waitFor();
    expect(await page.locator('[data-counter="created"]').textContent()).toBe('2');
    expect(await page.locator('[data-counter="failed"]').textContent()).toBe('0');
    await page.getByText('No record failed in this run.').waitFor();
    const retryRun = await json<RunBody>(app.request(`/api/v1/runs/${retryRunId}`));
    expect(retryRun).toMatchObject({ syncId, trigger: 'retry', status: 'succeeded' });
    await browser.screenshot(page, 'console-retry-succeeded');

    // Ann and Bob are no longer failed records; Cyd (another code) still is.
    const failed = await json<FailedList>(app.request(`/api/v1/syncs/${syncId}/failed-records`));
    expect(failed.items.map((record) => record.recordId)).toEqual([ids.cyd]);
    await page.goBack();
    await page.locator('[data-error-group="invalid_value"] [data-pending="0"]').waitFor();
    expect(
      await page
        .locator('[data-error-group="invalid_value"]')
        .getByRole('button', { name: 'Retry these' })
        .count(),
    ).toBe(0);
    expect(
      await page
        .locator('[data-error-group="duplicate"]')
        .getByRole('button', { name: 'Retry these' })
        .count(),
    ).toBe(1);
  });

  it("looks up a record's history across runs by id or email, newest first", async () => {
    const page = await browser.newPage();
    await signIn(app.url, page, app.adminKey);
    await page.getByRole('link', { name: 'Record history' }).click();
    await page.getByRole('heading', { name: 'Record history', level: 1 }).waitFor();
    await page.getByText('Enter a record id').waitFor();

    await page.getByLabel('Record id').fill(ids.ann);
    await page.getByLabel('Record id').press('Enter');
    const table = page.getByRole('table', { name: `History of record ${ids.ann}` });
    await table.waitFor();
    expect(new URL(page.url()).searchParams.get('recordId')).toBe(ids.ann);
    const actions = await attributes(table.locator('tbody tr'), 'data-action');
    // The retry run created it; the first run failed to.
    expect(actions).toEqual(['created', 'failed']);
    expect(await table.locator('tbody tr').last().textContent()).toContain('invalid_value');
    expect(await table.getByRole('link', { name: 'Contacts with errors' }).count()).toBe(2);

    // By email, without case: the sync's link gives both ids, the same history.
    await page.getByLabel('Record id').fill('ANN@example.com');
    await page.getByLabel('Record id').press('Enter');
    const byEmail = page.getByRole('table', { name: 'History of record ANN@example.com' });
    await byEmail.waitFor();
    expect(new URL(page.url()).searchParams.get('email')).toBe('ANN@example.com');
    expect(await attributes(byEmail.locator('tbody tr'), 'data-action')).toEqual([
      'created',
      'failed',
    ]);
    await browser.screenshot(page, 'console-record-history');

    // A record id no sync has seen.
    await page.getByLabel('Record id').fill('no-such-record');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText('No sync has logged anything for').waitFor();
  });
});
