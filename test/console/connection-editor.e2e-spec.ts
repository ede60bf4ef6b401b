/**
 * A connection made in the console, in a real browser: the catalogue, the HubSpot form generated
 * from its settings schema, a refusal shown under the field it names, then the OAuth flow walked
 * through the sandbox's HubSpot emulator (its authorize page, Allow) and back to the console, where
 * the new connection is checked ok. Its refresh token is kept, never shown. Then a companies ↔
 * Accounts sync made from scratch in the sync editor with the mapper only (suggestions, a type
 * mismatch and a picklist mismatch flagged before saving, a value map), previewed, saved and run:
 * the records arrive in both emulators. Then a mapping's policy edited, and the preview of the
 * unsaved edit shows the field's before and after; saved, the version history shows the change.
 */
import type { Page } from 'playwright-core';
import { SANDBOX_HUBSPOT_APP } from '../../connectors/sandbox';
import { SANDBOX_AUDIENCE, type SandboxEmulators } from '../../connectors/sandbox/emulators';
import { json } from '../support/api-helpers';
import { startTestApp, type TestApp } from '../support/app';
import { launchBrowser, signIn, type ConsoleBrowser } from './browser';

interface ConnectionView {
  id: string;
  name: string;
  kind: string;
  sandbox: boolean;
  settings: Record<string, unknown>;
  secretsSet: string[];
}

describe('the console: a new connection', () => {
  let app: TestApp;
  let browser: ConsoleBrowser;

  beforeAll(async () => {
    app = await startTestApp({ SYNCLINE_SANDBOX: 'on', SYNCLINE_SANDBOX_ACTIVITY: 'off' });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    const started: { browser?: ConsoleBrowser; app?: TestApp } = { browser, app };
    await started.browser?.close();
    await started.app?.stop();
  });

  const connections = async (): Promise<ConnectionView[]> =>
    (await json<{ items: ConnectionView[] }>(app.request('/api/v1/connections?limit=200'))).items;

  it('connects HubSpot through its OAuth page and checks the connection', async () => {
    const sandboxHubSpot = (await connections()).find((c) => c.name === 'HubSpot (sandbox)');
    expect(sandboxHubSpot).toBeDefined();
    const page = await browser.newPage();
    await signIn(app.url, page, app.adminKey);
    await page.goto(`${app.url}/console/connections`);
    await page.getByRole('link', { name: 'New connection' }).click();
    await page.getByRole('heading', { name: 'Choose what to connect' }).waitFor();
    await browser.screenshot(page, 'console-new-connection-catalogue');
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(
      390,
    );
    await browser.screenshot(page, 'console-new-connection-catalogue-phone');
    await page.setViewportSize({ width: 1280, height: 800 });

    await page.getByRole('button', { name: /^HubSpot CRM/ }).click();
    const form = page.getByRole('form', { name: 'New HubSpot CRM connection' });
    await form.waitFor();
    // The form is the connector's settings schema: each setting with its label and default.
    await form.getByLabel('Calls per 10 seconds').waitFor();
    expect(await form.getByLabel('API base URL').getAttribute('placeholder')).toBe(
      'https://api.hubapi.com',
    );
    await form.getByLabel('Name').fill('HubSpot via OAuth');
    await form.getByLabel('Sandbox: points at a local emulator').check();
    expect(await form.getByLabel('API base URL').inputValue()).toBe(
      sandboxHubSpot?.settings['baseUrl'],
    );
    expect(await form.getByLabel('Connect with HubSpot (OAuth)').isChecked()).toBe(true);
    await form.getByLabel('Client id').fill(SANDBOX_HUBSPOT_APP.clientId);

    // Without the client secret the API refuses, and the form says so under that field.
    await form.getByRole('button', { name: 'Connect with HubSpot' }).click();
    await form
      .getByText("is required to connect through OAuth (from the vendor app's settings)")
      .waitFor();
    expect(page.url()).toContain('/console/connections/new');

    await form.getByLabel('Client secret').fill(SANDBOX_HUBSPOT_APP.clientSecret);
    await browser.screenshot(page, 'console-new-connection-form');
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(
      390,
    );
    await browser.screenshot(page, 'console-new-connection-form-phone');
    await page.setViewportSize({ width: 1280, height: 800 });
    await form.getByRole('button', { name: 'Connect with HubSpot' }).click();

    // The emulator's authorize page, as HubSpot's install page: the app and its scopes.
    await page.getByRole('heading', { name: 'Connect an app to HubSpot (emulator)' }).waitFor();
    expect(page.url().startsWith(String(sandboxHubSpot?.settings['baseUrl']))).toBe(true);
    await page.getByText('crm.objects.companies.write').waitFor();
    expect((await connections()).map((c) => c.name)).not.toContain('HubSpot via OAuth');
    await page.getByRole('button', { name: 'Allow' }).click();

    // Back in the console: connected, checked.
    const done = page.getByRole('status', { name: 'Connection created' });
    await done.waitFor();
    await done.locator('[data-check="ok"]').waitFor();
    expect(await done.textContent()).toContain('Connection HubSpot via OAuth created');
    expect(page.url()).toBe(`${app.url}/console/oauth/callback`);
    await browser.screenshot(page, 'console-oauth-connected');
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(
      390,
    );
    await browser.screenshot(page, 'console-oauth-connected-phone');
    await page.setViewportSize({ width: 1280, height: 800 });

    const created = (await connections()).find((c) => c.name === 'HubSpot via OAuth');
    expect(created).toMatchObject({
      kind: 'hubspot',
      sandbox: true,
      settings: { baseUrl: sandboxHubSpot?.settings['baseUrl'] },
      secretsSet: ['clientId', 'clientSecret', 'refreshToken'],
    });
    expect(JSON.stringify(created)).not.toContain(SANDBOX_HUBSPOT_APP.clientSecret);

    // The connections page lists it; its check says ok there too.
    await done.getByRole('link', { name: 'Go to the connections' }).click();
    const row = page.locator(`tr[data-connection-id="${created?.id ?? ''}"]`);
    await row.getByRole('button', { name: 'Check HubSpot via OAuth' }).click();
    await row.locator('[data-check="ok"]').waitFor();
    await page.close();
  });

  const emulators = (): SandboxEmulators => {
    const sandbox = app.running.sandbox;
    if (sandbox === undefined) throw new Error('the sandbox is not running');
    return sandbox.vendors.emulators;
  };

  async function phoneShot(page: Page, name: string): Promise<void> {
    await browser.screenshot(page, name);
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(
      390,
    );
    await browser.screenshot(page, `${name}-phone`);
    await page.setViewportSize({ width: 1280, height: 800 });
  }

  it('creates a companies ↔ Accounts sync with the mapper, previews, saves and runs it', async () => {
    const { hubspot, salesforce } = emulators();
    const companiesBefore = hubspot.store.all('companies').length;
    const accountsBefore = salesforce.store.list('Account').length;
    const page = await browser.newPage();
    await signIn(app.url, page, app.adminKey);
    await page.getByRole('link', { name: 'New sync' }).click();
    await page.getByRole('heading', { name: 'New sync', level: 1 }).waitFor();
    const form = page.getByRole('form', { name: 'Sync definition' });
    await form.getByLabel('Name').fill('Companies ↔ Accounts');
    const left = form.getByRole('group', { name: 'Left side' });
    await left.getByLabel('Connection').selectOption({ label: 'HubSpot via OAuth' });
    await left.getByLabel('Object').selectOption('companies');
    const right = form.getByRole('group', { name: 'Right side' });
    await right.getByLabel('Connection').selectOption({ label: 'Salesforce (sandbox)' });
    await right.getByLabel('Object').selectOption('Account');
    await form.getByLabel('Match on HubSpot field').selectOption('domain');
    await form.getByLabel('equal to Salesforce field').selectOption('Website');
    await form.getByLabel('compared as').selectOption('domain');

    // Suggestions by name and type: the pairs whose values fit, not the picklists that differ.
    await form.getByRole('button', { name: 'Suggest mappings' }).click();
    const suggested = await form.getByRole('status').textContent();
    expect(suggested).toContain('name ↔ Name');
    expect(suggested).toContain('numberofemployees ↔ NumberOfEmployees');
    expect(suggested).not.toContain('industry');
    const count = await form.locator('li.mapping').count();

    // Text into a number is flagged before saving.
    await form.getByRole('button', { name: 'Add a mapping' }).click();
    const n = String(count + 1);
    await form.getByLabel(`HubSpot field of mapping ${n}`).selectOption('city');
    await form.getByLabel(`Salesforce field of mapping ${n}`).selectOption('AnnualRevenue');
    await form.locator('li.mapping').nth(count).getByText('text (string) into a number').waitFor();
    // So is a picklist value the target lacks; a value map settles it.
    await form.getByLabel(`HubSpot field of mapping ${n}`).selectOption('industry');
    await form.getByLabel(`Salesforce field of mapping ${n}`).selectOption('Industry');
    await form.getByLabel(`Direction of mapping ${n}`).selectOption('left_to_right');
    const industry = form.locator('li.mapping').nth(count);
    await industry.getByText('picklist values Industry lacks: "COMPUTER_SOFTWARE"').waitFor();
    await phoneShot(page, 'console-sync-editor-mismatch');
    await industry.getByRole('button', { name: 'Transforms' }).click();
    await industry.getByLabel('Add a transform HubSpot → Salesforce').selectOption('value_map');
    for (const [index, [from, to]] of [
      ['COMPUTER_SOFTWARE', 'Technology'],
      ['FINANCIAL_SERVICES', 'Banking'],
      ['RETAIL', 'Retail'],
    ].entries()) {
      await industry.getByRole('button', { name: 'Add a row' }).click();
      await industry.getByLabel(`Value map row ${String(index + 1)}: from`).fill(from);
      await industry.getByLabel(`Value map row ${String(index + 1)}: to`).fill(to);
    }
    expect(await industry.locator('[data-warning]').count()).toBe(0);

    // JSONata is parsed as it is typed: its error shows at once, and goes when it parses.
    const first = form.locator('li.mapping').first();
    await first.getByRole('button', { name: 'Transforms' }).click();
    await first.getByLabel('Add a transform HubSpot → Salesforce').selectOption('jsonata');
    const expression = first.getByLabel(/^JSONata/);
    await expression.fill('$uppercase(value');
    await first.locator('[data-jsonata-error]').waitFor();
    expect(await first.locator('[data-jsonata-error]').textContent()).toContain('Does not parse');
    await expression.fill('$uppercase(value)');
    expect(await first.locator('[data-jsonata-error]').count()).toBe(0);
    await first.getByRole('button', { name: 'Remove step' }).click();
    await first.getByRole('button', { name: 'Transforms' }).click();

    // The preview of the unsaved definition: how many would match, what would be created.
    const preview = page.getByRole('region', { name: 'Preview of this definition' });
    await preview.getByRole('button', { name: 'Preview' }).click();
    await preview.locator('[data-draft-preview]').waitFor({ timeout: 60_000 });
    expect(await preview.locator('[data-matching="left"]').textContent()).toMatch(
      /HubSpot: of 100 records read, 0 linked already, \d+ match a Salesforce record, \d+ would be created in Salesforce/,
    );
    await preview.getByRole('heading', { name: 'Planned creates' }).waitFor();
    await phoneShot(page, 'console-sync-editor-preview');

    await form.getByRole('button', { name: 'Create sync' }).click();
    await page.getByRole('heading', { name: 'Companies ↔ Accounts', level: 1 }).waitFor();
    const syncId = decodeURIComponent(page.url().split('/syncs/')[1] ?? '');
    await page.getByRole('button', { name: 'Run now' }).click();
    await page.waitForURL(/\/console\/runs\//);
    await page.locator('.run-status').getByText('succeeded').waitFor({ timeout: 200_000 });

    // The records arrived: HubSpot-only companies as Accounts and the other way round, with
    // the industry mapped through the value map.
    const companies = hubspot.store.all('companies');
    const accounts = salesforce.store.list('Account');
    expect(companies.length).toBeGreaterThan(companiesBefore);
    expect(accounts.length).toBeGreaterThan(accountsBefore);
    expect(companies.length).toBe(accounts.length);
    // Accounts the sync created (their Website is the company's domain, written by the match
    // rule; the seeded ones hold https://…) carry the industry through the value map.
    const created = accounts.filter(
      (account) => !String(account.values['Website']).startsWith('https://'),
    );
    expect(created.length).toBe(accounts.length - accountsBefore);
    const industries = new Set(created.map((account) => account.values['Industry']));
    expect(industries.has('Technology')).toBe(true);
    expect(
      [...industries].every((value) => ['Technology', 'Banking', 'Retail'].includes(String(value))),
    ).toBe(true);
    expect(syncId).not.toBe('');

    // Both sides edit a linked pair's name, Salesforce last.
    const pair = companies
      .map((company) => ({
        company,
        account: accounts.find(
          (account) =>
            account.values['Website'] === `https://${company.properties['domain'] ?? ''}`,
        ),
      }))
      .find((candidate) => candidate.account !== undefined);
    const companyId = pair?.company.id ?? '';
    const accountId = pair?.account?.Id ?? '';
    hubspot.store.edit('companies', companyId, { name: 'Named in HubSpot' });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    salesforce.store.update('Account', accountId, { Name: 'Named in Salesforce' });

    // The editor: the preview of the saved definition on that pair, then of an unsaved edit.
    await page.goto(`${app.url}/console/syncs/${syncId}`);
    await page.getByRole('link', { name: 'Edit' }).click();
    await page.getByRole('heading', { name: 'Edit sync', level: 1 }).waitFor();
    await form.getByLabel('HubSpot field of mapping 1').waitFor();
    expect(await form.getByLabel('HubSpot field of mapping 1').inputValue()).toBe('name');
    await preview.getByLabel('Only these HubSpot record ids').fill(companyId);
    await preview.getByLabel('Only these Salesforce record ids').fill(accountId);
    const updates = preview.getByRole('table', { name: 'Planned updates' });
    await preview.getByRole('button', { name: 'Preview' }).click();
    await updates.waitFor({ timeout: 60_000 });
    // Latest edit wins (the sync's default): HubSpot takes Salesforce's name.
    const before = await updates.textContent();
    expect(before).toContain(
      `HubSpot: ${companyId}${accountId}nameNamed in HubSpotNamed in Salesforce`,
    );
    expect(before).not.toContain(`Salesforce: ${accountId}`);

    await form.getByLabel('Conflict policy of mapping 1').selectOption('left_wins');
    await preview.getByRole('button', { name: 'Preview' }).click();
    await updates.getByText(`Salesforce: ${accountId}`).waitFor({ timeout: 60_000 });
    // Left (HubSpot) wins now: Salesforce would take HubSpot's name, HubSpot keeps its own.
    const after = await updates.textContent();
    expect(after).toContain(
      `Salesforce: ${accountId}${companyId}NameNamed in SalesforceNamed in HubSpot`,
    );
    expect(after).not.toContain(`HubSpot: ${companyId}`);
    await phoneShot(page, 'console-sync-editor-edit-preview');

    await form.getByRole('button', { name: 'Save changes' }).click();
    await form.getByText('Saved as version 2.').waitFor();
    const history = page.getByRole('region', { name: 'Version history' });
    await history.getByText('Version 2').waitFor();
    const diff = await history.locator('pre').first().textContent();
    expect(diff).toContain('mappings[0].policy (name ↔ Name)');
    expect(diff).toContain('"left_wins"');
    await phoneShot(page, 'console-sync-editor-history');
    // Nothing was written by the previews: the pair still holds both edits.
    expect(hubspot.store.get('companies', companyId)?.properties['name']).toBe('Named in HubSpot');
    expect(salesforce.store.get(accountId)?.values['Name']).toBe('Named in Salesforce');
    await page.close();
  }, 300_000);

  it('creates an audience sync in the editor: a filter, identifiers, the members previewed and added', async () => {
    const { mailchimp } = emulators();
    const list = mailchimp.store.list(SANDBOX_AUDIENCE);
    const tag = [...(list?.segments.values() ?? [])].find((s) => s.name === 'Opportunities');
    expect(tag?.members.size).toBe(0);
    const page = await browser.newPage();
    await signIn(app.url, page, app.adminKey);
    await page.goto(`${app.url}/console/syncs/new`);
    const form = page.getByRole('form', { name: 'Sync definition' });
    await form.getByLabel('Name').fill('Sales-qualified leads → Mailchimp tag');
    await form.getByLabel('Kind').selectOption('audience');
    const left = form.getByRole('group', { name: 'Left side' });
    await left.getByLabel('Connection').selectOption({ label: 'HubSpot (sandbox)' });
    await left.getByLabel('Object').selectOption('contacts');
    const right = form.getByRole('group', { name: 'Right side' });
    await right.getByLabel('Connection').selectOption({ label: 'Mailchimp (sandbox)' });
    await right
      .getByLabel('Audience')
      .selectOption({ label: `Opportunities (${String(tag?.id ?? '')})` });
    const filter = form.getByRole('group', { name: 'Which HubSpot records' });
    await filter.getByRole('button', { name: 'Add a condition' }).click();
    await filter.getByLabel('Field of condition 1').selectOption('lifecyclestage');
    await filter.getByLabel('Value of condition 1').fill('salesqualifiedlead');
    await form
      .getByRole('group', { name: 'The members' })
      .getByLabel('Email')
      .selectOption('email');

    const preview = page.getByRole('region', { name: 'Preview of this definition' });
    await preview.getByRole('button', { name: 'Preview' }).click();
    await preview.getByRole('heading', { name: 'Members to add' }).waitFor({ timeout: 60_000 });
    await phoneShot(page, 'console-sync-editor-audience');

    await form.getByRole('button', { name: 'Create sync' }).click();
    await page
      .getByRole('heading', { name: 'Sales-qualified leads → Mailchimp tag', level: 1 })
      .waitFor();
    await page.getByRole('button', { name: 'Run now' }).click();
    await page.waitForURL(/\/console\/runs\//);
    await page
      .locator('.run-status')
      .getByText(/succeeded|partial/)
      .waitFor({ timeout: 120_000 });
    // The sales-qualified leads and Mailchimp has as members now carry the tag.
    expect(tag?.members.size).toBeGreaterThan(0);
    await page.close();
  }, 300_000);
});
