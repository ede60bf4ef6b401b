/**
 * The console's conflicts, connections, preview and charts in a real browser (Chromium through
 * playwright-core): resolve conflicts (one side, a value of your own) and see the next run apply
 * them; a viewer offered no resolve button; the connections' API use and check; a sync's preview
 * and run history; and the sandbox (emulators + config/) with its syncs and conflicts.
 */
import { randomUUID } from 'node:crypto';
import { memoryBackendNamed } from '../../connectors/memory';
import {
  apiKey,
  createTwoConflicts,
  field,
  json,
  refuseWritesOf,
  rediscover,
  runSyncNow,
  until,
} from '../support/api-helpers';
import { startTestApp, type TestApp } from '../support/app';
import { launchBrowser, signIn, type ConsoleBrowser } from './browser';

interface ConflictBody {
  id: string;
  leftId: string;
  status: string;
}

describe('the console: conflicts, connections, preview, charts', () => {
  let app: TestApp;
  let browser: ConsoleBrowser;
  let syncId: string;
  let viewerKey: string;
  const stores = { left: `cc-left-${randomUUID()}`, right: `cc-right-${randomUUID()}` };
  const left = memoryBackendNamed(stores.left);
  const right = memoryBackendNamed(stores.right);
  let ids = { annL: '', annR: '', bobL: '', bobR: '' };

  beforeAll(async () => {
    app = await startTestApp();
    browser = await launchBrowser();
    ({ syncId, ids } = await createTwoConflicts(app, stores, 'Manual contacts'));
    viewerKey = await apiKey(app, 'viewer');
  });

  afterAll(async () => {
    const started: { browser?: ConsoleBrowser; app?: TestApp } = { browser, app };
    await started.browser?.close();
    await started.app?.stop();
  });

  async function conflictIdOf(leftId: string): Promise<string> {
    const list = await json<{ items: ConflictBody[] }>(
      app.request(`/api/v1/syncs/${syncId}/conflicts`),
    );
    const found = list.items.find((c) => c.leftId === leftId);
    if (found === undefined) throw new Error(`no conflict for ${leftId}`);
    return found.id;
  }

  it('offers a viewer the conflicts to read, with no button to resolve them', async () => {
    const page = await browser.newPage();
    await signIn(app.url, page, viewerKey);
    await page.getByRole('link', { name: 'Conflicts' }).first().click();
    await page.getByRole('heading', { name: 'Conflicts', level: 1 }).waitFor();
    await page.locator('[data-conflict-status="open"]').first().waitFor();
    expect(await page.locator('[data-conflict-status="open"]').count()).toBe(2);
    expect(await page.getByRole('button', { name: /^Keep / }).count()).toBe(0);
    expect(await page.getByLabel('Custom value').count()).toBe(0);
    expect((await page.getByRole('button').allTextContents()).sort()).toEqual([
      'Refresh',
      'Sign out',
    ]);
    expect(await page.getByText('may read conflicts but not resolve them').count()).toBe(1);

    // Nor a check, a preview or a run on the other pages.
    await page.getByRole('link', { name: 'Connections' }).click();
    await page.locator('[data-connection-id]').first().waitFor();
    expect(await page.getByRole('button', { name: /^Check/ }).count()).toBe(0);
    await browser.screenshot(page, 'console-conflicts-viewer');
    await page.close();
  });

  it('resolves conflicts (one side, a custom value) and shows the next run applying them', async () => {
    const ann = await conflictIdOf(ids.annL);
    const bob = await conflictIdOf(ids.bobL);
    const page = await browser.newPage();
    await signIn(app.url, page, app.adminKey);
    await page.getByRole('link', { name: 'Manual contacts' }).click();
    await page.getByRole('heading', { name: 'Field mappings' }).waitFor();
    await page.getByRole('link', { name: 'Conflicts' }).last().click();
    await page.waitForURL(`${app.url}/console/syncs/${syncId}/conflicts`);
    await page.getByRole('heading', { name: 'Conflicts of Manual contacts' }).waitFor();

    // Both values side by side.
    const annCard = page.locator(`[data-conflict-id="${ann}"]`);
    expect(await annCard.locator('[data-side="left"]').textContent()).toBe('Ann (HubSpot)');
    expect(await annCard.locator('[data-side="right"]').textContent()).toBe('Ann (Salesforce)');
    expect(await annCard.textContent()).toContain(ids.annR);

    await annCard.getByRole('button', { name: /^Keep Manual contacts R/ }).click();
    await page.locator(`[data-conflict-id="${ann}"][data-conflict-status="resolved"]`).waitFor();
    const bobCard = page.locator(`[data-conflict-id="${bob}"]`);
    // A value outside Salesforce's picklist is refused on the card, with the values it takes.
    right.setFieldDescriptors('Contact', [
      field('Email', 'email', { unique: true }),
      field('FirstName', 'enum', {
        options: ['Ann (Salesforce)', 'Bob (Salesforce)', 'Robert'].map((value) => ({
          value,
          label: value,
        })),
      }),
    ]);
    await rediscover(app, syncId);
    await bobCard.getByLabel('Custom value').fill('NotAName');
    await bobCard.getByLabel('Custom value').press('Enter');
    const refused = bobCard.getByRole('alert');
    await refused.waitFor();
    expect(await refused.textContent()).toBe(
      "This value does not fit. Contact.FirstName: 'NotAName' is not one of the allowed values: Ann (Salesforce), Bob (Salesforce), Robert",
    );
    expect(await bobCard.getAttribute('data-conflict-status')).toBe('open');
    await browser.screenshot(page, 'console-conflict-value-refused');
    await bobCard.getByLabel('Custom value').fill('Robert');
    await bobCard.getByLabel('Custom value').press('Enter');
    await page.locator(`[data-conflict-id="${bob}"][data-conflict-status="resolved"]`).waitFor();
    expect(await bobCard.textContent()).toContain('write Robert to both sides');
    expect(await page.getByText('2 resolved conflicts of Manual contacts wait').count()).toBe(1);

    await page.getByRole('button', { name: 'Run now' }).click();
    await page.locator('[data-next-run="succeeded"]').waitFor();
    await page.locator(`[data-conflict-id="${ann}"][data-conflict-status="applied"]`).waitFor();
    await page.locator(`[data-conflict-id="${bob}"][data-conflict-status="applied"]`).waitFor();
    expect(await annCard.textContent()).toContain('Applied');

    expect(left.getRecord('contacts', ids.annL)?.fields['firstname']).toBe('Ann (Salesforce)');
    expect(right.getRecord('Contact', ids.annR)?.fields['FirstName']).toBe('Ann (Salesforce)');
    expect(left.getRecord('contacts', ids.bobL)?.fields['firstname']).toBe('Robert');
    expect(right.getRecord('Contact', ids.bobR)?.fields['FirstName']).toBe('Robert');
    await browser.screenshot(page, 'console-conflicts-applied');

    // Nothing open any more: the empty state says so.
    await page.getByLabel('Show').selectOption('open');
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.getByText('No open conflicts').waitFor();
    await page.close();
  });

  it('shows each connection with its API use against its budget, and checks it', async () => {
    const connections = await json<{ items: Array<{ id: string; name: string }> }>(
      app.request('/api/v1/connections'),
    );
    const budgeted = connections.items.find((c) => c.name === 'Manual contacts L');
    expect(budgeted).toBeDefined();
    const patched = await app.request(`/api/v1/connections/${budgeted?.id ?? ''}`, {
      method: 'PATCH',
      body: JSON.stringify({ dailyCallBudget: 4, budgetThreshold: 0.5 }),
    });
    expect(patched.status).toBe(200);
    const usage = await json<{ calls: number; pastThreshold: boolean }>(
      app.request(`/api/v1/connections/${budgeted?.id ?? ''}/usage`),
    );

    const page = await browser.newPage();
    await signIn(app.url, page, app.adminKey);
    await page.getByRole('link', { name: 'Connections' }).click();
    await page.getByRole('heading', { name: 'Connections', level: 1 }).waitFor();
    const rows = page.locator('[data-connection-id]');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(connections.items.length);

    const row = page.locator(`[data-connection-id="${budgeted?.id ?? ''}"]`);
    const meter = row.getByRole('meter', { name: 'API budget used by Manual contacts L' });
    expect(await meter.getAttribute('aria-valuetext')).toContain(`${usage.calls} of 4 calls`);
    expect(await meter.getAttribute('aria-valuetext')).toContain('threshold 50%');
    expect(await row.getByText('past threshold').count()).toBe(usage.pastThreshold ? 1 : 0);
    expect(await row.textContent()).toContain('memory');

    await row.getByRole('button', { name: 'Check Manual contacts L' }).click();
    await row.locator('[data-check]').waitFor();
    expect(await row.locator('[data-check]').getAttribute('data-check')).toBe('ok');
    await browser.screenshot(page, 'console-connections');
    await page.close();
  });

  it('previews a sync (planned updates as a table) and charts its runs and the last 24 hours', async () => {
    left.update('contacts', ids.annL, { firstname: 'Annie' });
    const page = await browser.newPage();
    await signIn(app.url, page, app.adminKey);
    // The overview's hourly chart: the runs of this test, summed in the current hour.
    const hourly = page.locator('[data-chart="hourly"]');
    await hourly.waitFor();
    expect(await hourly.textContent()).toMatch(/\d+ runs? synced [\d,]+ records with 0 errors/);
    expect(await hourly.getByRole('img').count()).toBe(1);

    await page.getByRole('link', { name: 'Manual contacts' }).click();
    await page.getByRole('heading', { name: 'Field mappings' }).waitFor();
    const history = page.locator('[data-chart="history"]');
    await history.waitFor();
    expect(await history.textContent()).toContain('Over the last 3 runs');
    await history.getByText('Show as a table').first().click();
    expect(await history.locator('table').first().locator('tbody tr').count()).toBe(3);

    await page.getByLabel('Records per side').fill('50');
    await page.getByRole('button', { name: 'Preview' }).click();
    const result = page.locator('[data-preview="result"]');
    await result.waitFor();
    expect(await result.getByRole('status').textContent()).toContain('1 to update');
    const updates = page.getByRole('table', { name: 'Planned updates' });
    const row = updates.locator('tbody tr').first();
    expect(await row.textContent()).toContain('FirstName');
    expect(await row.textContent()).toContain('Ann (Salesforce)');
    expect(await row.textContent()).toContain('Annie');
    // A preview writes nothing.
    expect(right.getRecord('Contact', ids.annR)?.fields['FirstName']).toBe('Ann (Salesforce)');
    await browser.screenshot(page, 'console-sync-preview');
    await page.close();
  });

  it('shows a conflict raised again when its field changed after the resolution', async () => {
    const later = { left: `cc2-left-${randomUUID()}`, right: `cc2-right-${randomUUID()}` };
    const laterLeft = memoryBackendNamed(later.left);
    const laterRight = memoryBackendNamed(later.right);
    const created = await createTwoConflicts(app, later, 'Edited again');
    const list = await json<{ items: ConflictBody[] }>(
      app.request(`/api/v1/syncs/${created.syncId}/conflicts`),
    );
    const ann = list.items.find((c) => c.leftId === created.ids.annL)?.id ?? '';

    const page = await browser.newPage();
    await signIn(app.url, page, app.adminKey);
    await page.goto(`${app.url}/console/syncs/${created.syncId}/conflicts`);
    await page.getByRole('heading', { name: 'Conflicts of Edited again' }).waitFor();
    const annCard = page.locator(`[data-conflict-id="${ann}"]`);
    await annCard.getByRole('button', { name: /^Keep Edited again R/ }).click();
    await page.locator(`[data-conflict-id="${ann}"][data-conflict-status="resolved"]`).waitFor();

    // Someone edits Ann in HubSpot before the run applies the resolution.
    laterLeft.update('contacts', created.ids.annL, { firstname: 'Ann (HubSpot, later)' });
    await page.getByRole('button', { name: 'Run now' }).click();
    await page.locator('[data-next-run="succeeded"]').waitFor();
    await page.locator(`[data-conflict-id="${ann}"][data-conflict-status="open"]`).waitFor();
    const note = annCard.getByRole('note');
    expect(await note.textContent()).toContain(
      'Raised again: the left side changed since the conflict was raised',
    );
    expect(await annCard.locator('[data-side="left"]').textContent()).toBe('Ann (HubSpot, later)');
    // The older value was not written over the newer edit.
    expect(laterLeft.getRecord('contacts', created.ids.annL)?.fields['firstname']).toBe(
      'Ann (HubSpot, later)',
    );
    expect(laterRight.getRecord('Contact', created.ids.annR)?.fields['FirstName']).toBe(
      'Ann (Salesforce)',
    );
    expect(await annCard.getByRole('button', { name: /^Keep Edited again L/ }).count()).toBe(1);
    await browser.screenshot(page, 'console-conflict-raised-again');
    await page.close();
  });

  it('resolves several conflicts at once, and shows a resolution the vendor refused on its card', async () => {
    const bulk = { left: `cb-left-${randomUUID()}`, right: `cb-right-${randomUUID()}` };
    const created = await createTwoConflicts(app, bulk, 'Bulk');
    const lift = refuseWritesOf(
      bulk.right,
      created.ids.annR,
      'FirstName: locked by a validation rule',
    );
    const page = await browser.newPage();
    await signIn(app.url, page, app.adminKey);
    await page.goto(`${app.url}/console/syncs/${created.syncId}/conflicts`);
    await page.getByRole('heading', { name: 'Conflicts of Bulk' }).waitFor();
    const bar = page.getByRole('group', { name: 'Resolve several conflicts' });
    await bar.getByLabel('Select all 2 open').check();
    await bar.getByRole('button', { name: 'Keep Bulk L for 2' }).click();
    await bar
      .getByText('2 conflicts resolved: the next run keeps the Bulk L value.', { exact: true })
      .waitFor();
    expect(await page.locator('[data-conflict-status="resolved"]').count()).toBe(2);

    const run = await runSyncNow(app, created.syncId);
    expect(run.counters.failed).toBe(1);
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.getByLabel('Show').selectOption('resolved');
    const refused = page.locator('[data-conflict-status="resolved"]');
    await refused.getByRole('alert').waitFor();
    expect(await refused.count()).toBe(1);
    expect(await refused.getByRole('alert').textContent()).toMatch(
      /^Not written by the last run \(.+\): invalid_value FirstName: locked by a validation rule\./,
    );
    await browser.screenshot(page, 'console-conflict-refused');
    lift();
    await page.close();
  });
});

describe('the console on the sandbox', () => {
  let app: TestApp;
  let browser: ConsoleBrowser;

  beforeAll(async () => {
    app = await startTestApp({ SYNCLINE_SANDBOX: 'on', SYNCLINE_SANDBOX_ACTIVITY: 'off' });
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    const started: { browser?: ConsoleBrowser; app?: TestApp } = { browser, app };
    await started.browser?.close();
    await started.app?.stop();
  });

  it('shows the sandbox syncs, their connections and the two-way sync’s conflicts', async () => {
    const syncs = await until('the sandbox syncs', async () => {
      const list = await json<{ items: Array<{ id: string; name: string }> }>(
        app.request('/api/v1/syncs'),
      );
      return list.items.length === 9 ? list.items : undefined;
    });
    const twoWay = syncs.find((s) => s.name === 'HubSpot contacts ↔ Salesforce Contacts');
    expect(twoWay).toBeDefined();
    const twoWayId = twoWay?.id ?? '';
    // Its first run (scheduled, or this one) finds the sandbox's planted conflicts.
    await app.request(`/api/v1/syncs/${twoWayId}/runs`, { method: 'POST' });
    await until(
      'the first run of the two-way sandbox sync',
      async () => {
        const runs = await json<{ items: Array<{ status: string }> }>(
          app.request(`/api/v1/runs?syncId=${twoWayId}&limit=1`),
        );
        const status = runs.items[0]?.status;
        return status === 'succeeded' || status === 'partial' ? status : undefined;
      },
      60_000,
    );
    const open = await json<{ items: unknown[] }>(
      app.request(`/api/v1/syncs/${twoWayId}/conflicts?status=open&limit=100`),
    );
    const conflicts = open.items.length;
    expect(conflicts).toBeGreaterThan(0);

    const page = await browser.newPage();
    await signIn(app.url, page, app.adminKey);
    for (const sync of syncs) await page.locator(`[data-sync-id="${sync.id}"]`).waitFor();
    expect(
      await page.getByRole('link', { name: 'HubSpot contacts ↔ Salesforce Contacts' }).count(),
    ).toBe(1);
    await browser.screenshot(page, 'console-sandbox-overview');

    await page.getByRole('link', { name: 'Connections' }).click();
    await page.locator('[data-connection-id]').first().waitFor();
    expect(await page.getByText('HubSpot (sandbox)').count()).toBe(1);
    expect(await page.getByText('Salesforce (sandbox)').count()).toBe(1);

    await page.getByRole('link', { name: 'Conflicts' }).click();
    await page.locator('[data-conflict-status="open"]').first().waitFor();
    expect(await page.locator('[data-conflict-status="open"]').count()).toBe(conflicts);
    expect(await page.locator('.conflict-title').first().textContent()).toBe(
      'lifecyclestage ↔ Lifecycle_Stage__c',
    );
    // The sides by their vendors' names, each record linked to its page in the vendor's UI (here
    // the emulators' stand-ins for those pages).
    const card = page.locator('[data-conflict-status="open"]').first();
    expect(
      await card.getByRole('button', { name: /^Keep (HubSpot|Salesforce)/ }).allTextContents(),
    ).toEqual(['Keep HubSpot', 'Keep Salesforce']);
    const [hubspotLink, salesforceLink] = await Promise.all(
      ['HubSpot', 'Salesforce'].map((vendor) =>
        card.getByRole('link', { name: new RegExp(`^Open .+ in ${vendor}$`) }).getAttribute('href'),
      ),
    );
    expect(hubspotLink).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/contacts\/1000001\/record\/0-1\/\d+$/);
    expect(salesforceLink).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/lightning\/r\/Contact\/003\w+\/view$/,
    );
    for (const link of [hubspotLink, salesforceLink]) {
      const res = await fetch(link ?? '');
      expect(res.status).toBe(200);
      expect(await res.text()).toMatch(/Lifecycle_Stage__c|lifecyclestage/);
    }
    await browser.screenshot(page, 'console-sandbox-conflicts');
    await page.close();
  }, 90_000);
});
