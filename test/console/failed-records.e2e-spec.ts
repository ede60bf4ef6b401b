/**
 * The admin on call, in a real browser: a sync whose records fail run after run reads `degraded`
 * on the overview, its count of failed records links to their page, and there one record is
 * retried alone and another discarded alone.
 */
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { memoryBackendNamed } from '../../connectors/memory';
import { createMemoryContactsSync, json, runSyncNow, until } from '../support/api-helpers';
import { startTestApp, type TestApp } from '../support/app';
import { launchBrowser, signIn, type ConsoleBrowser } from './browser';

interface EventList {
  items: Array<{ id: string; action: string; leftId: string | null; runId: string }>;
}

interface FailedList {
  items: Array<{ recordId: string; dead: boolean; nextAttemptAt: string }>;
}

describe('the console: failed records of a degraded sync', () => {
  let app: TestApp;
  let browser: ConsoleBrowser;
  let syncId: string;
  const suffix = randomUUID().slice(0, 8);
  const ids = { ann: `ann-${suffix}`, bob: `bob-${suffix}` };
  const stores = { left: `fr-left-${randomUUID()}`, right: `fr-right-${randomUUID()}` };

  beforeAll(async () => {
    memoryBackendNamed(stores.left).seed('contacts', [
      { id: ids.ann, fields: { email: 'ann@example.com', firstname: 'Ann' } },
      { id: ids.bob, fields: { email: 'bob@example.com', firstname: 'Bob' } },
    ]);
    memoryBackendNamed(stores.right).faults.rejectRecords(() => ({
      code: 'locked',
      message: 'row locked by another process',
      retryable: true,
    }));
    app = await startTestApp();
    browser = await launchBrowser();
    syncId = await createMemoryContactsSync(app, stores, {
      name: `Locked contacts ${suffix}`,
      direction: 'left_to_right',
    });
    // Two runs in a row with failed records: degraded.
    expect((await runSyncNow(app, syncId)).status).toBe('partial');
    await app.request(`/api/v1/syncs/${syncId}/failed-records/retry`, {
      method: 'POST',
      body: '{}',
    });
    expect((await runSyncNow(app, syncId)).status).toBe('partial');
  });

  afterAll(async () => {
    const started: { browser?: ConsoleBrowser; app?: TestApp } = { browser, app };
    await started.browser?.close();
    await started.app?.stop();
  });

  async function failed(): Promise<FailedList['items']> {
    return (await json<FailedList>(app.request(`/api/v1/syncs/${syncId}/failed-records`))).items;
  }

  it('shows degraded on the overview and retries and discards records one by one', async () => {
    const page = await browser.newPage();
    await signIn(app.url, page, app.adminKey);
    const row = page.locator(`tr[data-sync-id="${syncId}"]`);
    await row.waitFor();
    expect(await row.locator('[data-health]').getAttribute('data-health')).toBe('degraded');
    expect(await row.locator('[data-health]').getAttribute('title')).toContain(
      '2 records failed in the last run',
    );
    await row.getByRole('link', { name: '2 failed records' }).click();

    await page.getByRole('heading', { name: /Failed records of Locked contacts/ }).waitFor();
    const table = page.getByRole('table');
    await table.getByText('row locked by another process').first().waitFor();
    expect(await table.locator('tbody tr').count()).toBe(2);

    // Retry Ann alone: due now, the other still waits.
    const before = await failed();
    const bobWait = before.find((record) => record.recordId === ids.bob)?.nextAttemptAt;
    await page.getByRole('button', { name: `Retry ${ids.ann}` }).click();
    await page.getByText(`${ids.ann} is due again`).waitFor();
    const after = await failed();
    const ann = after.find((record) => record.recordId === ids.ann);
    expect(Date.parse(ann?.nextAttemptAt ?? '')).toBeLessThanOrEqual(Date.now());
    expect(after.find((record) => record.recordId === ids.bob)?.nextAttemptAt).toBe(bobWait);

    // Discard Bob alone: gone from the list, Ann stays.
    await page.getByRole('button', { name: `Discard ${ids.bob}` }).click();
    await page.getByText(`${ids.bob} was discarded`).waitFor();
    await page.locator(`tr[data-record-id="${ids.bob}"]`).waitFor({ state: 'detached' });
    expect((await failed()).map((record) => record.recordId)).toEqual([ids.ann]);
    expect(await table.locator('tbody tr').count()).toBe(1);
  });

  it('shows the newest line of the sync log first, and a time filter narrows it', async () => {
    const newest = await json<EventList>(
      app.request(`/api/v1/syncs/${syncId}/events?order=newest&limit=1`),
    );
    const latest = newest.items.at(0);
    if (latest === undefined) throw new Error('the sync has no log');
    // A line from three days ago, written first (the log's order is the order of writing).
    const db = app.running.app.get(DataSource);
    await db.query(
      `INSERT INTO "record_events" ("id", "run_id", "sync_id", "side", "left_id", "action", "at")
       VALUES (0, $1, $2, 'right', 'old-record', 'created', now() - interval '3 days')`,
      [latest.runId, syncId],
    );
    const page = await browser.newPage();
    await signIn(app.url, page, app.adminKey);
    await page.goto(`${app.url}/console/syncs/${syncId}`);
    const log = page.getByRole('region', { name: 'Sync log' });
    const firstRow = log.locator('tbody tr').first();
    await firstRow.waitFor();
    // The newest line first (the last run's); the three-day-old one last.
    expect(await firstRow.innerText()).toContain(latest.leftId ?? '');
    expect(await log.locator('tbody tr').last().innerText()).toContain('old-record');

    await log.getByLabel('When').selectOption('24h');
    await log.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/log\.since=24h/);
    await log.locator('tbody tr').first().waitFor();
    // Walk every page of the filtered log: the old line is on none of them.
    const seen: string[] = [];
    for (;;) {
      await log.locator('tbody tr').first().waitFor();
      seen.push(await log.locator('tbody').innerText());
      const next = log.getByRole('button', { name: 'Next page' });
      if ((await next.count()) === 0) break;
      await next.click();
      await page.waitForURL(/log\.after=/);
    }
    expect(seen.join('\n')).not.toContain('old-record');

    // The filtered log as a file.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      log.getByRole('button', { name: 'CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`sync-${syncId}-log.csv`);

    // A person known by email: only the lines of that record.
    await log.getByRole('button', { name: 'Clear filters' }).click();
    await log.getByLabel('Email').fill('ANN@example.com');
    await log.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/log\.email=ANN/);
    const rows = await until("only Ann's lines", async () => {
      const texts = await log.locator('tbody tr').allInnerTexts();
      return texts.length > 0 && texts.every((text) => text.includes(ids.ann)) ? texts : undefined;
    });
    expect(rows.length).toBeGreaterThan(0);
  });

  it("finds a failed create's history by the email it was read with", async () => {
    const matches = await json<{ items: Array<{ leftId: string | null; rightId: string | null }> }>(
      app.request('/api/v1/records?email=ANN@example.com'),
    );
    expect(matches.items).toContainEqual(
      expect.objectContaining({ leftId: ids.ann, rightId: null }),
    );
    const page = await browser.newPage();
    await signIn(app.url, page, app.adminKey);
    await page.goto(`${app.url}/console/records?email=ann%40example.com`);
    const rows = page.locator('table tbody tr');
    await rows.first().waitFor();
    const text = await page.locator('table tbody').innerText();
    expect(text).toContain(ids.ann);
    expect(text).toContain('row locked by another process');
    expect(text).not.toContain(ids.bob);
    // Each line shows the values it tried to write, before and after.
    expect(text).toMatch(/FirstName: empty → Ann/);

    // By her name alone: the records whose log shows it.
    await page.getByLabel('Record id, email or name').fill('ann');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/recordId=ann$/);
    const named = await until("Ann's history by name", async () => {
      const shown = await page.locator('table tbody').innerText();
      return shown.includes(ids.ann) ? shown : undefined;
    });
    expect(named).not.toContain(ids.bob);
    expect(named).toContain('row locked by another process');
  });

  it('lists the failed records of every sync, and retries or discards the ticked ones', async () => {
    const other = { left: `fr2-left-${randomUUID()}`, right: `fr2-right-${randomUUID()}` };
    const people = ['cy', 'dee', 'eve'].map((name) => `${name}-${suffix}`);
    memoryBackendNamed(other.left).seed(
      'contacts',
      people.map((id) => ({ id, fields: { email: `${id}@example.com`, firstname: id } })),
    );
    memoryBackendNamed(other.right).faults.rejectRecords(() => ({
      code: 'invalid_value',
      message: 'Email: on a deny list',
      retryable: true,
    }));
    const otherId = await createMemoryContactsSync(app, other, {
      name: `Denied contacts ${suffix}`,
      direction: 'left_to_right',
    });
    expect((await runSyncNow(app, otherId)).counters).toMatchObject({ failed: 3 });

    const page = await browser.newPage();
    await signIn(app.url, page, app.adminKey);
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Failed records' })
      .click();
    await page.getByRole('heading', { name: 'Failed records', exact: true }).waitFor();
    const table = page.getByRole('table');
    for (const id of people) await table.locator(`tr[data-record-id="${id}"]`).waitFor();
    // Every sync's, each with its sync.
    expect(await table.locator(`tr[data-record-id="${ids.ann}"]`).innerText()).toContain(
      `Locked contacts ${suffix}`,
    );
    expect(await table.locator(`tr[data-record-id="${people[0] ?? ''}"]`).innerText()).toContain(
      `Denied contacts ${suffix}`,
    );

    for (const id of people) await page.getByLabel(`Select ${id}`).check();
    await page.getByRole('button', { name: 'Retry 3' }).click();
    await page.getByText('3 records are due again').waitFor();
    const due = (await json<FailedList>(app.request(`/api/v1/syncs/${otherId}/failed-records`)))
      .items;
    expect(due).toHaveLength(3);
    for (const record of due)
      expect(Date.parse(record.nextAttemptAt)).toBeLessThanOrEqual(Date.now());

    for (const id of people.slice(0, 2)) await page.getByLabel(`Select ${id}`).check();
    await page.getByRole('button', { name: 'Discard 2' }).click();
    await page.getByText('2 records were discarded').waitFor();
    expect(
      (await json<FailedList>(app.request(`/api/v1/syncs/${otherId}/failed-records`))).items.map(
        (record) => record.recordId,
      ),
    ).toEqual([people[2]]);
    await browser.screenshot(page, 'console-failed-records-all');
  });
});
