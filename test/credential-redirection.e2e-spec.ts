/**
 * Where a connection sends its stored credentials is part of the credentials (issue 24): an editor
 * may not re-point a connection that holds secrets (its URL settings, its sandbox flag), no one
 * turns a real connection into a sandbox one, and the audit log keeps the old and new URL of an
 * admin's change. A listener stands where an attacker would point the connection, and must never
 * hear a token.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  startSalesforceEmulator,
  type SalesforceEmulator,
} from '../connectors/salesforce/emulator';
import { startTestApp, type TestApp } from './support/app';
import { apiKey, json, salesforceConnectionBody, type ErrorBody } from './support/api-helpers';

interface Heard {
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

describe('credentials stay where an admin pointed them', () => {
  let app: TestApp;
  let salesforce: SalesforceEmulator;
  let listener: Server;
  let listenerUrl: string;
  const heard: Heard[] = [];
  let editorKey: string;

  beforeAll(async () => {
    app = await startTestApp({ SYNCLINE_ALLOW_SANDBOX: 'true' });
    salesforce = await startSalesforceEmulator();
    listener = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        heard.push({ url: req.url ?? '', headers: req.headers, body });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{}');
      });
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    listenerUrl = `http://127.0.0.1:${String((listener.address() as AddressInfo).port)}`;
    editorKey = await apiKey(app, 'editor');
  });

  afterAll(async () => {
    await app.stop();
    await salesforce.close();
    await new Promise((resolve) => listener.close(resolve));
  });

  async function create(body: Record<string, unknown>): Promise<string> {
    const res = await app.request('/api/v1/connections', {
      method: 'POST',
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(201);
    return (await json<{ id: string }>(res)).id;
  }

  function patch(id: string, body: Record<string, unknown>, key?: string): Promise<Response> {
    return app.request(`/api/v1/connections/${id}`, {
      method: 'PATCH',
      body: JSON.stringify(body),
      ...(key === undefined ? {} : { key }),
    });
  }

  function check(id: string, key?: string): Promise<Response> {
    return app.request(`/api/v1/connections/${id}/check`, {
      method: 'POST',
      ...(key === undefined ? {} : { key }),
    });
  }

  it('refuses to turn a real connection into a sandbox one, whoever asks', async () => {
    const id = await create({
      name: 'HubSpot prod',
      kind: 'hubspot',
      secrets: { accessToken: 'pat-na1-real-token-0001' },
    });
    for (const key of [editorKey, undefined]) {
      const res = await patch(id, { sandbox: true, settings: { baseUrl: listenerUrl } }, key);
      expect(res.status).toBe(400);
      expect((await json<ErrorBody>(res)).error.details).toEqual([
        {
          path: 'sandbox',
          problem:
            'a real connection cannot become a sandbox connection; create a sandbox connection instead',
        },
      ]);
    }
    expect(await json(app.request(`/api/v1/connections/${id}`))).toMatchObject({
      sandbox: false,
      settings: {},
    });
    // An editor may not move it to another HubSpot host either.
    const moved = await patch(
      id,
      { settings: { baseUrl: 'https://api-eu1.hubapi.com' } },
      editorKey,
    );
    expect(moved.status).toBe(403);
    expect((await json<ErrorBody>(moved)).error).toMatchObject({
      code: 'forbidden',
      details: [
        {
          path: 'settings.baseUrl',
          problem: 'changing where stored credentials go needs an admin',
        },
      ],
    });
    expect(heard).toEqual([]);
  });

  it('keeps an editor from re-pointing a sandbox connection that holds a token, and audits an admin doing it', async () => {
    const id = await create({
      name: 'HubSpot sandbox',
      kind: 'hubspot',
      sandbox: true,
      settings: { baseUrl: 'http://127.0.0.1:9' },
      secrets: { accessToken: 'pat-sandbox-token-0002' },
    });
    const res = await patch(id, { settings: { baseUrl: listenerUrl } }, editorKey);
    expect(res.status).toBe(403);
    const asEditor = await check(id, editorKey);
    expect(asEditor.status).toBe(200);
    expect(heard).toEqual([]);
    // Turning it into a real connection (and so off the emulator) is a change of where it goes too.
    expect((await patch(id, { sandbox: false }, editorKey)).status).toBe(403);

    const admin = await patch(id, { settings: { baseUrl: listenerUrl } });
    expect(admin.status).toBe(200);
    const audit = await json<{
      items: Array<{ action: string; details: Record<string, unknown> }>;
    }>(app.request(`/api/v1/audit-log?targetType=connection&targetId=${id}`));
    expect(audit.items[0]).toMatchObject({
      action: 'connection.updated',
      details: { urls: { baseUrl: { from: 'http://127.0.0.1:9', to: listenerUrl } } },
    });
    expect(JSON.stringify(audit.items)).not.toContain('pat-sandbox-token-0002');
  });

  it('lets an editor re-point a connection that holds no credentials', async () => {
    const id = await create({
      name: 'HubSpot sandbox 2',
      kind: 'hubspot',
      sandbox: true,
      settings: { baseUrl: 'http://127.0.0.1:9' },
    });
    // No secrets stored: nothing to redirect.
    expect((await patch(id, { settings: { baseUrl: listenerUrl } }, editorKey)).status).toBe(200);
  });

  it('keeps an editor from re-pointing Salesforce’s instance or login URL, so no token leaves', async () => {
    const id = await create(salesforceConnectionBody('Salesforce sandbox', salesforce));
    for (const setting of ['instanceUrl', 'loginUrl']) {
      const res = await patch(id, { settings: { [setting]: listenerUrl } }, editorKey);
      expect(res.status).toBe(403);
      expect((await json<ErrorBody>(res)).error.details[0]?.path).toBe(`settings.${setting}`);
    }
    const checked = await json<{ ok: boolean }>(check(id, editorKey));
    expect(checked.ok).toBe(true);
    const leaked = heard.filter(
      (h) =>
        h.headers.authorization !== undefined ||
        h.body.includes(salesforce.auth.refreshToken) ||
        h.body.includes(salesforce.auth.clientSecret),
    );
    expect(leaked).toEqual([]);
  });
});
