/**
 * Alerts in a real browser: an editor sets a sync's alerts (a threshold out of range is refused
 * with its field named), a run that creates far more records than usual sends a record-count
 * alert to the webhook, and the sync's page lists it among the alerts sent, delivered.
 */
import { randomUUID } from 'node:crypto';
import { memoryBackendNamed } from '../../connectors/memory';
import { apiKey, createMemoryContactsSync, json, runSyncNow, until } from '../support/api-helpers';
import {
  type AlertReceiver,
  type ReceivedAlert,
  startAlertReceiver,
} from '../support/alert-receiver';
import { startTestApp, type TestApp } from '../support/app';
import { launchBrowser, signIn, type ConsoleBrowser } from './browser';

describe('the console: alerts', () => {
  let app: TestApp;
  let browser: ConsoleBrowser;
  let receiver: AlertReceiver;
  let receiverUrl = '';
  let received: ReceivedAlert[] = [];
  const stores = { left: `al-left-${randomUUID()}`, right: `al-right-${randomUUID()}` };
  const people = (from: number, count: number) =>
    Array.from({ length: count }, (_, i) => ({
      fields: { email: `al${String(from + i)}@example.com`, firstname: `Al ${String(from + i)}` },
    }));

  beforeAll(async () => {
    receiver = await startAlertReceiver();
    receiverUrl = receiver.url;
    received = receiver.received;
    memoryBackendNamed(stores.left).seed('contacts', people(0, 2));
    // The receiver listens on the loopback interface.
    app = await startTestApp({ SYNCLINE_ALERT_WEBHOOK_ALLOW_PRIVATE: 'true' });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    const started: { browser?: ConsoleBrowser; app?: TestApp } = { browser, app };
    await started.browser?.close();
    await started.app?.stop();
    await receiver.close();
  });

  it('lets an editor set the alerts and shows the alerts sent', async () => {
    const syncId = await createMemoryContactsSync(app, stores, {
      name: 'Usually quiet contacts',
      direction: 'left_to_right',
    });
    for (let run = 0; run < 3; run++) await runSyncNow(app, syncId);

    const page = await browser.newPage();
    await signIn(app.url, page, await apiKey(app, 'editor'));
    await page.goto(`${app.url}/console/syncs/${syncId}`);
    await page.getByRole('heading', { name: 'Alerts', exact: true }).waitFor();
    await page.getByText('No alert sent yet.').waitFor();
    await page.getByRole('button', { name: 'Edit alerts' }).click();
    const form = page.getByRole('form', { name: 'Alert settings' });
    await form.getByLabel('Webhook URL').fill(receiverUrl);
    await form.getByLabel('Unusual counts (times)').fill('1');
    await form.getByRole('button', { name: 'Save alerts' }).click();
    const refused = form.getByText(/^Unusual counts \(times\): must be a number from 2 to 1000/);
    await refused.waitFor();
    await browser.screenshot(page, 'console-alerts-refused');

    await form.getByLabel('Unusual counts (times)').fill('5');
    await form.getByRole('button', { name: 'Save alerts' }).click();
    const origin = new URL(receiverUrl).origin;
    await page
      .getByRole('region', { name: 'Alerts', exact: true })
      .getByText(
        `to ${origin}/…, when a run fails or records keep failing, when a run creates or deletes over 5 times its usual number`,
        { exact: true },
      )
      .waitFor();
    const sync = await json<{ alerts: unknown }>(app.request(`/api/v1/syncs/${syncId}`));
    expect(sync.alerts).toEqual({ webhookUrl: `${origin}/…`, anomalyFactor: 5 });

    memoryBackendNamed(stores.left).seed('contacts', people(2, 60));
    const burst = await runSyncNow(app, syncId);
    expect(burst.counters).toMatchObject({ created: 60 });
    await until('the alert at the webhook', () =>
      Promise.resolve(received.length > 0 ? true : undefined),
    );
    expect(received.map((alert) => alert.syncline)).toEqual([
      expect.objectContaining({ event: 'record_anomaly', syncId }),
    ]);

    await page.reload();
    const table = page.getByRole('table', { name: 'Alerts sent' });
    await table.waitFor();
    const rows = table.locator('tbody tr');
    expect(await rows.count()).toBe(1);
    const cells = await rows.first().locator('td').allTextContents();
    expect(cells.slice(1)).toEqual([
      'record anomalyits run',
      'Sync "Usually quiet contacts" created 60 records (usually 0)',
      `delivered to ${new URL(receiverUrl).host}`,
    ]);
    await browser.screenshot(page, 'console-alerts');
  });
});
