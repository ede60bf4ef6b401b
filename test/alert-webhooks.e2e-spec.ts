/**
 * Alert webhook URLs (issue 24): set by editors, so https and public addresses only unless the
 * operator allows more, and sealed at rest like connection secrets (a Slack webhook URL is its own
 * credential): the database never holds one in clear, rows written before are sealed at start.
 */
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { SyncsService } from '../src/syncs/syncs.service';
import { startTestApp, type TestApp } from './support/app';
import { apiKey, createMemoryContactsSync, json, type ErrorBody } from './support/api-helpers';

describe('alert webhooks', () => {
  let app: TestApp;
  let editorKey: string;
  let syncId: string;
  let version = 1;

  beforeAll(async () => {
    app = await startTestApp();
    editorKey = await apiKey(app, 'editor');
    syncId = await createMemoryContactsSync(
      app,
      { left: `aw-left-${randomUUID()}`, right: `aw-right-${randomUUID()}` },
      { name: 'Alerted contacts', direction: 'left_to_right' },
    );
  });

  afterAll(async () => {
    await app.stop();
  });

  async function setAlerts(alerts: unknown): Promise<Response> {
    const res = await app.request(`/api/v1/syncs/${syncId}`, {
      method: 'PATCH',
      key: editorKey,
      body: JSON.stringify({ version, alerts }),
    });
    if (res.status === 200) version++;
    return res;
  }

  it.each([
    ['http://hooks.slack.com/services/T/B/x', 'must be an https URL'],
    ['https://169.254.169.254/latest/meta-data', 'must be on a public address'],
    ['https://127.0.0.1:8080/hook', 'must be on a public address'],
    ['https://10.1.2.3/hook', 'must be on a public address'],
    ['https://[::1]/hook', 'must be on a public address'],
    ['https://[::ffff:192.168.0.1]/hook', 'must be on a public address'],
    ['https://localhost/hook', 'must be on a public address'],
    ['https://user:pw@hooks.slack.com/services/T/B/x', 'must not carry a user or password'],
  ])('refuses %s from an editor with 400 naming alerts.webhookUrl', async (webhookUrl, problem) => {
    const res = await setAlerts({ webhookUrl });
    expect(res.status).toBe(400);
    expect((await json<ErrorBody>(res)).error.details).toEqual([
      { path: 'alerts.webhookUrl', problem },
    ]);
  });

  it('keeps a webhook URL sealed in the database and shows it masked', async () => {
    const url = 'https://hooks.slack.com/services/T000/B000/SECRET-PATH-123';
    const res = await setAlerts({ webhookUrl: url, failedRecordRate: 0.2 });
    expect(res.status).toBe(200);
    expect((await json<{ alerts: unknown }>(res)).alerts).toEqual({
      webhookUrl: 'https://hooks.slack.com/…',
      failedRecordRate: 0.2,
    });
    const db = app.running.app.get(DataSource);
    const [row] = await db.query<Array<{ alerts: unknown }>>(
      'SELECT "alerts" FROM "syncs" WHERE "id" = $1',
      [syncId],
    );
    expect(JSON.stringify(row.alerts)).not.toContain('SECRET-PATH-123');
    expect(row.alerts).toMatchObject({
      webhookOrigin: 'https://hooks.slack.com',
      failedRecordRate: 0.2,
    });
  });

  it('seals at start a URL that an older version stored in clear', async () => {
    const db = app.running.app.get(DataSource);
    await db.query(`UPDATE "syncs" SET "alerts" = $2::jsonb WHERE "id" = $1`, [
      syncId,
      JSON.stringify({ webhookUrl: 'https://hooks.slack.com/services/T/B/OLD-SECRET' }),
    ]);
    await app.running.app.get(SyncsService).onApplicationBootstrap();
    const [row] = await db.query<Array<{ alerts: unknown }>>(
      'SELECT "alerts" FROM "syncs" WHERE "id" = $1',
      [syncId],
    );
    expect(JSON.stringify(row.alerts)).not.toContain('OLD-SECRET');
    const sync = await json<{ alerts: unknown }>(app.request(`/api/v1/syncs/${syncId}`));
    expect(sync.alerts).toEqual({ webhookUrl: 'https://hooks.slack.com/…' });
  });
});
