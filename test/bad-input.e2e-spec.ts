/**
 * Bad input a fuzzer found answering 500 (or 502): each is a 400 naming the field, a 404, or a
 * check with `ok: false` and a reason. Every case here answered 5xx before the fix.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestApp, type TestApp } from './support/app';
import {
  apiKey,
  createMemoryContactsSync,
  createTwoConflicts,
  json,
  type ErrorBody,
} from './support/api-helpers';

describe('bad input', () => {
  let app: TestApp;
  let editor: string;
  let syncId: string;
  let connectionId: string;
  let conflictId: string;
  /** A server that answers every request `200 {}`: not a vendor's API. */
  let empty: Server;
  let emptyUrl: string;

  beforeAll(async () => {
    app = await startTestApp({ SYNCLINE_ALLOW_SANDBOX: 'true' });
    editor = await apiKey(app, 'editor');
    const stores = { left: `bad-left-${randomUUID()}`, right: `bad-right-${randomUUID()}` };
    syncId = await createMemoryContactsSync(app, stores, {
      name: 'Bad input',
      direction: 'bidirectional',
    });
    const sync = await json<{ left: { connectionId: string } }>(
      app.request(`/api/v1/syncs/${syncId}`),
    );
    connectionId = sync.left.connectionId;
    const conflicted = await createTwoConflicts(
      app,
      { left: `bad-cl-${randomUUID()}`, right: `bad-cr-${randomUUID()}` },
      'Bad input conflicts',
    );
    const conflicts = await json<{ items: Array<{ id: string }> }>(
      app.request(`/api/v1/syncs/${conflicted.syncId}/conflicts`),
    );
    conflictId = conflicts.items[0]?.id ?? '';
    empty = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    await new Promise<void>((resolve) => empty.listen(0, '127.0.0.1', resolve));
    emptyUrl = `http://127.0.0.1:${(empty.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await app.stop();
    await new Promise((resolve) => empty.close(resolve));
  });

  async function expectFieldError(
    response: Promise<Response>,
    path: string,
    status = 400,
  ): Promise<ErrorBody> {
    const res = await response;
    const body = (await res.json()) as ErrorBody;
    expect({ status: res.status, code: body.error.code }).toEqual({
      status,
      code: 'validation_failed',
    });
    expect(body.error.details.map((detail) => detail.path)).toContain(path);
    return body;
  }

  function send(method: string, path: string, body: string, key?: string): Promise<Response> {
    return app.request(path, { method, body, key });
  }

  it('refuses a body nested thousands deep with a 400, before validation overflows', async () => {
    const deep = `{"name":${'['.repeat(3000)}${']'.repeat(3000)}}`;
    const body = await expectFieldError(
      send('POST', '/api/v1/syncs', deep),
      'name' + '[0]'.repeat(63),
    );
    expect(body.error.details[0]?.problem).toBe('is nested deeper than 64 levels');
    await expectFieldError(
      send(
        'PATCH',
        `/api/v1/connections/${connectionId}`,
        `{"settings":${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}}`,
      ),
      `settings${'.a'.repeat(63)}`,
    );
    // The API still answers.
    expect((await app.request('/api/v1/syncs')).status).toBe(200);
  });

  it('refuses an impossible date in from and to on every route that filters by time', async () => {
    for (const route of [
      '/api/v1/runs',
      `/api/v1/runs/${randomUUID()}/events`,
      `/api/v1/syncs/${syncId}/events`,
      '/api/v1/audit-log',
    ]) {
      for (const param of ['from', 'to']) {
        const res = await app.request(`${route}?${param}=2020-02-30`);
        expect({ route, param, status: res.status }).toEqual({ route, param, status: 400 });
        const body = (await res.json()) as ErrorBody;
        expect(body.error.details.map((detail) => detail.path)).toContain(param);
      }
    }
    expect((await app.request('/api/v1/runs?from=2020-02-29')).status).toBe(200);
  });

  it('refuses a NUL or a lone surrogate in an email, a record id, a path id or a name', async () => {
    await expectFieldError(app.request('/api/v1/records?email=ann%00@example.com'), 'email');
    await expectFieldError(app.request(`/api/v1/syncs/${syncId}/records/left/r%001`), 'recordId');
    await expectFieldError(
      send('POST', `/api/v1/failed-records/${syncId}/left/r%001/retry`, '{}'),
      'recordId',
    );
    await expectFieldError(
      send('DELETE', `/api/v1/failed-records/${syncId}/left/r%001`, '{}'),
      'recordId',
    );
    await expectFieldError(app.request('/api/v1/connections/abc%00def'), 'id');
    await expectFieldError(
      send('POST', '/api/v1/connections', JSON.stringify({ name: 'a\u0000b', kind: 'memory' })),
      'name',
    );
    await expectFieldError(
      send('PATCH', `/api/v1/syncs/${syncId}`, JSON.stringify({ name: 'x\ud800y' })),
      'name',
    );
    await expectFieldError(
      send('POST', '/api/v1/api-keys', JSON.stringify({ name: 'k\u0000', role: 'viewer' })),
      'name',
    );
    // A key with a NUL is named too.
    await expectFieldError(
      send(
        'PATCH',
        `/api/v1/connections/${connectionId}`,
        JSON.stringify({ settings: { 'a\u0000': 1 } }),
      ),
      'settings.a\u0000',
    );
  });

  it('refuses a conflict resolution holding a NUL or a lone surrogate, for an id that exists or not', async () => {
    for (const id of [conflictId, randomUUID()]) {
      for (const value of ['a\u0000b', '\udc00', 'x\ud800']) {
        await expectFieldError(
          send('POST', `/api/v1/conflicts/${id}/resolve`, JSON.stringify({ value })),
          'value',
        );
      }
    }
    // The conflict is still open, and a good resolution goes through.
    const open = await json<{ status: string }>(app.request(`/api/v1/conflicts/${conflictId}`));
    expect(open.status).toBe('open');
  });

  it('refuses null where a value is needed: budgetThreshold, secrets, recordIds', async () => {
    await expectFieldError(
      send('PATCH', `/api/v1/connections/${connectionId}`, '{"budgetThreshold":null}'),
      'budgetThreshold',
    );
    await expectFieldError(
      send('POST', '/api/v1/connections', '{"name":"n","kind":"memory","budgetThreshold":null}'),
      'budgetThreshold',
    );
    for (const key of [undefined, editor]) {
      await expectFieldError(
        send('POST', '/api/v1/connections', '{"name":"s","kind":"hubspot","secrets":null}', key),
        'secrets',
      );
      await expectFieldError(
        send('PATCH', `/api/v1/connections/${connectionId}`, '{"secrets":null}', key),
        'secrets',
      );
    }
    await expectFieldError(
      send('POST', `/api/v1/syncs/${syncId}/preview`, '{"recordIds":null}'),
      'recordIds',
    );
    // The connection kept its threshold.
    const connection = await json<{ budgetThreshold: number }>(
      app.request(`/api/v1/connections/${connectionId}`),
    );
    expect(connection.budgetThreshold).toBe(0.75);
  });

  it('checks a HubSpot or Salesforce connection against a server answering 200 {} as failed, with the reason', async () => {
    const create = async (body: Record<string, unknown>): Promise<string> => {
      const res = await send(
        'POST',
        '/api/v1/connections',
        JSON.stringify({ sandbox: true, ...body }),
      );
      expect(res.status).toBe(201);
      return (await json<{ id: string }>(res)).id;
    };
    const hubspot = await create({
      name: 'Not HubSpot',
      kind: 'hubspot',
      settings: { baseUrl: emptyUrl },
      secrets: { accessToken: 'pat-x' },
    });
    const salesforce = await create({
      name: 'Not Salesforce',
      kind: 'salesforce',
      settings: { instanceUrl: emptyUrl, loginUrl: emptyUrl },
      secrets: { accessToken: 'token-x' },
    });
    for (const [id, reason] of [
      [hubspot, /GET \/crm\/v3\/objects\/contacts has no results list/],
      [salesforce, /lists no sobjects resource/],
    ] as const) {
      const res = await send('POST', `/api/v1/connections/${id}/check`, '{}');
      expect(res.status).toBe(200);
      const result = await json<{ ok: boolean; code: string; reason: string }>(res);
      expect(result).toMatchObject({ ok: false, code: 'bad_request' });
      expect(result.reason).toMatch(reason);
    }
  });
});
