/**
 * Connections: the catalogue, CRUD, credentials encrypted at rest and never returned, URLs kept to
 * the vendor's hosts, roles.
 */
import { DataSource } from 'typeorm';
import { startTestApp, type TestApp } from './support/app';

interface ConnectionBody {
  id: string;
  name: string;
  kind: string;
  settings: Record<string, unknown>;
  secretsSet: string[];
  sandbox: boolean;
}

interface ErrorBody {
  error: { code: string; message: string; details: Array<{ path: string; problem: string }> };
}

describe('connections', () => {
  let app: TestApp;
  const logLines: string[] = [];
  let editorKey: string;
  let viewerKey: string;

  beforeAll(async () => {
    // Capture everything the app logs (pino writes to stdout), from before it starts.
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      logLines.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    });
    app = await startTestApp({ SYNCLINE_ALLOW_SANDBOX: 'true', LOG_LEVEL: 'debug' });
    const key = async (role: string): Promise<string> => {
      const res = await app.request('/api/v1/api-keys', {
        method: 'POST',
        body: JSON.stringify({ name: role, role }),
      });
      return ((await res.json()) as { key: string }).key;
    };
    editorKey = await key('editor');
    viewerKey = await key('viewer');
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    await app.stop();
  });

  async function create(body: Record<string, unknown>, key?: string): Promise<Response> {
    return app.request('/api/v1/connections', {
      method: 'POST',
      body: JSON.stringify(body),
      ...(key ? { key } : {}),
    });
  }

  it('lists the connector catalogue', async () => {
    const res = await app.request('/api/v1/connectors', { key: viewerKey });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      items: Array<{ kind: string; settings: unknown[]; secrets: string[] }>;
    };
    expect(body.items.map((item) => item.kind)).toEqual(expect.arrayContaining(['memory']));
    expect(body.items.find((item) => item.kind === 'memory')?.settings.length).toBeGreaterThan(0);
  });

  it('creates, lists, pages, gets, changes and deletes a connection', async () => {
    const created = await create(
      { name: 'Memory A', kind: 'memory', settings: { store: 'a', pageSize: 50 } },
      editorKey,
    );
    expect(created.status).toBe(201);
    const a = (await created.json()) as ConnectionBody;
    expect(a).toMatchObject({
      name: 'Memory A',
      kind: 'memory',
      settings: { store: 'a', pageSize: 50 },
      secretsSet: [],
      sandbox: false,
    });
    const b = (await (await create({ name: 'Memory B', kind: 'memory' })).json()) as ConnectionBody;

    const page1 = (await (
      await app.request('/api/v1/connections?limit=1', { key: viewerKey })
    ).json()) as {
      items: ConnectionBody[];
      nextCursor: string | null;
    };
    expect(page1.items.map((c) => c.name)).toEqual(['Memory A']);
    expect(page1.nextCursor).not.toBeNull();
    const page2 = (await (
      await app.request(`/api/v1/connections?limit=1&cursor=${page1.nextCursor ?? ''}`, {
        key: viewerKey,
      })
    ).json()) as { items: ConnectionBody[]; nextCursor: string | null };
    expect(page2.items.map((c) => c.name)).toEqual(['Memory B']);
    expect(page2.nextCursor).toBeNull();

    expect(
      ((await (await app.request(`/api/v1/connections/${a.id}`)).json()) as ConnectionBody).name,
    ).toBe('Memory A');

    const patched = await app.request(`/api/v1/connections/${a.id}`, {
      method: 'PATCH',
      key: editorKey,
      body: JSON.stringify({ name: 'Memory A2', settings: { pageSize: null, maxBatch: 10 } }),
    });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({
      name: 'Memory A2',
      settings: { store: 'a', maxBatch: 10 },
    });

    const check = await app.request(`/api/v1/connections/${a.id}/check`, {
      method: 'POST',
      key: editorKey,
    });
    expect(check.status).toBe(200);
    expect(await check.json()).toMatchObject({ ok: true });

    expect(
      (await app.request(`/api/v1/connections/${b.id}`, { method: 'DELETE', key: editorKey }))
        .status,
    ).toBe(204);
    expect((await app.request(`/api/v1/connections/${b.id}`)).status).toBe(404);

    // Every change is in the audit log with the key that made it.
    const audit = (await (await app.request('/api/v1/audit-log?targetType=connection')).json()) as {
      items: Array<{ action: string; targetId: string; apiKeyId: string | null }>;
    };
    const ofA = audit.items.filter((e) => e.targetId === a.id).map((e) => e.action);
    expect(ofA).toEqual(['connection.updated', 'connection.created']);
    expect(audit.items.find((e) => e.targetId === b.id)?.action).toBe('connection.deleted');
    expect(audit.items.every((e) => e.apiKeyId !== null)).toBe(true);
  });

  it("names each connection's vendor and, where its settings tell, links to its records", async () => {
    const hubspot = await create({
      name: 'HubSpot EU',
      kind: 'hubspot',
      settings: { baseUrl: 'https://api-eu1.hubapi.com', portalId: 4711 },
    });
    expect(hubspot.status).toBe(201);
    expect(await hubspot.json()).toMatchObject({
      vendor: 'HubSpot',
      recordLinks: {
        template: 'https://app-eu1.hubspot.com/contacts/4711/record/{object}/{id}',
        objects: { contacts: '0-1', companies: '0-2', deals: '0-3', tickets: '0-5' },
      },
    });
    const unlinked = await create({ name: 'HubSpot, no portal', kind: 'hubspot' });
    expect(await unlinked.json()).toMatchObject({ vendor: 'HubSpot', recordLinks: null });
    const catalogue = (await (await app.request('/api/v1/connectors')).json()) as {
      items: Array<{ kind: string; vendor: string }>;
    };
    expect(catalogue.items.find((item) => item.kind === 'salesforce')?.vendor).toBe('Salesforce');
  });

  it('refuses bad input with 400 naming each field, and duplicates with 409', async () => {
    const unknownKind = await create({ name: 'X', kind: 'nope' });
    expect(unknownKind.status).toBe(400);
    expect(((await unknownKind.json()) as ErrorBody).error.details).toEqual([
      { path: 'kind', problem: 'is not a connector kind (see GET /api/v1/connectors)' },
    ]);

    const badSettings = await create({
      name: 'X',
      kind: 'memory',
      settings: { pageSize: 'ten', colour: 'red' },
      secrets: { password: 'p' },
    });
    expect(badSettings.status).toBe(400);
    const paths = ((await badSettings.json()) as ErrorBody).error.details.map((d) => d.path).sort();
    expect(paths).toEqual(['secrets.password', 'settings.colour', 'settings.pageSize']);

    await create({ name: 'Twin', kind: 'memory' });
    const twin = await create({ name: 'Twin', kind: 'memory' });
    expect(twin.status).toBe(409);
    expect(((await twin.json()) as ErrorBody).error.code).toBe('name_taken');
  });

  it('lets viewers read but not write', async () => {
    expect((await create({ name: 'By viewer', kind: 'memory' }, viewerKey)).status).toBe(403);
    expect((await app.request('/api/v1/connections', { key: viewerKey })).status).toBe(200);
    expect((await app.request('/api/v1/connections/not-a-uuid')).status).toBe(400);
    expect(
      (await app.request('/api/v1/connections/00000000-0000-4000-8000-000000000000')).status,
    ).toBe(404);
  });

  it('encrypts credentials at rest and never returns or logs them', async () => {
    const token = 'pat-na1-11111111-2222-3333-4444-555555555555';
    const refresh = 'refresh-66666666-7777';
    // A sandbox pointing at a closed loopback port: the check fails without leaving this machine.
    const created = await create({
      name: 'HubSpot prod',
      kind: 'hubspot',
      sandbox: true,
      settings: { baseUrl: 'http://127.0.0.1:9' },
      secrets: { accessToken: token },
    });
    expect(created.status).toBe(201);
    const createdText = await created.text();
    expect(createdText).not.toContain(token);
    const connection = JSON.parse(createdText) as ConnectionBody;
    expect(connection.secretsSet).toEqual(['accessToken']);

    const patched = await app.request(`/api/v1/connections/${connection.id}`, {
      method: 'PATCH',
      body: JSON.stringify({ secrets: { refreshToken: refresh } }),
    });
    const patchedText = await patched.text();
    expect(patched.status).toBe(200);
    expect(patchedText).not.toContain(refresh);
    expect((JSON.parse(patchedText) as ConnectionBody).secretsSet).toEqual([
      'accessToken',
      'refreshToken',
    ]);

    // Editors manage connections but only admins set credentials.
    const byEditor = await app.request(`/api/v1/connections/${connection.id}`, {
      method: 'PATCH',
      key: editorKey,
      body: JSON.stringify({ secrets: { accessToken: 'other' } }),
    });
    expect(byEditor.status).toBe(403);

    const responses = await Promise.all([
      app.request('/api/v1/connections').then((r) => r.text()),
      app.request(`/api/v1/connections/${connection.id}`).then((r) => r.text()),
    ]);
    for (const text of responses) {
      expect(text).not.toContain(token);
      expect(text).not.toContain(refresh);
    }

    const rows: Array<{ secrets: Buffer }> = await app.running.app
      .get(DataSource)
      .query('SELECT secrets FROM connections WHERE id = $1', [connection.id]);
    const raw = rows[0]?.secrets;
    expect(raw).toBeInstanceOf(Buffer);
    expect(raw.toString('latin1')).not.toContain(token);
    expect(raw.toString('latin1')).not.toContain(refresh);
    expect(raw.toString('latin1')).not.toContain('pat-na1');

    // Checking the connection makes the connector use them (and fail: nothing listens there).
    const check = await app.request(`/api/v1/connections/${connection.id}/check`, {
      method: 'POST',
    });
    expect(await check.json()).toMatchObject({ ok: false, code: 'network' });
    const logs = logLines.join('');
    expect(logs).toContain('request completed');
    expect(logs).toContain('connector:HubSpot prod');
    expect(logs).not.toContain(token);
    expect(logs).not.toContain(refresh);
  });

  it('keeps URLs on the vendor hosts unless the connection is a loopback sandbox', async () => {
    const problemsOf = async (
      body: Record<string, unknown>,
    ): Promise<ErrorBody['error']['details']> => {
      const res = await create(body);
      expect(res.status).toBe(400);
      return ((await res.json()) as ErrorBody).error.details;
    };
    expect(
      await problemsOf({
        name: 'u1',
        kind: 'hubspot',
        settings: { baseUrl: 'http://api.hubapi.com' },
      }),
    ).toEqual([{ path: 'settings.baseUrl', problem: 'must use https' }]);
    const internal = await problemsOf({
      name: 'u2',
      kind: 'hubspot',
      settings: { baseUrl: 'https://169.254.169.254/latest' },
    });
    expect(internal[0]?.path).toBe('settings.baseUrl');
    const sandboxElsewhere = await problemsOf({
      name: 'u3',
      kind: 'hubspot',
      sandbox: true,
      settings: { baseUrl: 'http://10.0.0.5:8080' },
    });
    expect(sandboxElsewhere[0]?.problem).toMatch(/loopback/);
    const sandbox = await create({
      name: 'u4',
      kind: 'hubspot',
      sandbox: true,
      settings: { baseUrl: 'http://127.0.0.1:9999' },
    });
    expect(sandbox.status).toBe(201);
  });
});
