/**
 * A connection made in the console, in a real browser: the catalogue, the HubSpot form generated
 * from its settings schema, a refusal shown under the field it names, then the OAuth flow walked
 * through the sandbox's HubSpot emulator (its authorize page, Allow) and back to the console, where
 * the new connection is checked ok. Its refresh token is kept, never shown.
 */
import { SANDBOX_HUBSPOT_APP } from '../../connectors/sandbox';
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
});
