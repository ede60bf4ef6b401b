/**
 * The authorization matrix, from the OpenAPI document: every operation × every role, and × no key,
 * a revoked key and a dozen malformed ones. What each role may do is written here from the README's
 * table of roles, not read from the code, so a route that grants too much or too little fails here.
 * The credential-redirection cases (an editor re-pointing a connection that holds secrets) are
 * rows of it too.
 */
import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from './support/app';
import { apiKey, createMemoryContactsSync, json, type ErrorBody } from './support/api-helpers';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const ROLES = ['admin', 'editor', 'viewer', 'service'] as const;
type Role = (typeof ROLES)[number];

/** Answered without a key. */
const PUBLIC = new Set(['/health/live', '/health/ready']);
/** Authenticated by the vendor's signature, never by a key. */
const SIGNED = new Set(['/api/v1/webhooks/{connectionId}']);

/** The README's roles: admin everything; editor reads and configures; viewer reads; service runs. */
function allowed(role: Role, method: string, path: string): boolean {
  if (path === '/api/v1/me') return true;
  if (path.startsWith('/api/v1/api-keys')) return role === 'admin';
  if (role === 'admin') return true;
  if (role === 'service')
    return (
      path.startsWith('/api/v1/runs') ||
      path === '/api/v1/records' ||
      (method === 'post' && path.endsWith('/runs')) ||
      (method === 'get' &&
        (path.endsWith('/events') || path.endsWith('/events/export') || path.includes('/records/')))
    );
  // Validation reads a definition and changes nothing, so a viewer may ask for it.
  const reads = method === 'get' || path.endsWith('/validate');
  return reads || role === 'editor';
}

describe('the authorization matrix', () => {
  let app: TestApp;
  const keys = {} as Record<Role, string>;
  let revoked: string;
  let routes: Array<{ method: string; path: string }>;
  const real = { sync: '', connection: '', secretConnection: '' };

  beforeAll(async () => {
    app = await startTestApp({ SYNCLINE_ALLOW_SANDBOX: 'true', SYNCLINE_API_RATE_LIMIT: '100000' });
    keys.admin = app.adminKey;
    for (const role of ROLES.slice(1)) keys[role] = await apiKey(app, role);
    const created = await json<{ id: string; key: string }>(
      app.request('/api/v1/api-keys', {
        method: 'POST',
        body: JSON.stringify({ name: 'to be revoked', role: 'admin' }),
      }),
    );
    revoked = created.key;
    expect((await app.request(`/api/v1/api-keys/${created.id}`, { method: 'DELETE' })).status).toBe(
      200,
    );
    real.sync = await createMemoryContactsSync(
      app,
      { left: `az-l-${randomUUID()}`, right: `az-r-${randomUUID()}` },
      { name: 'Matrix', direction: 'left_to_right' },
    );
    real.connection = (
      await json<{ left: { connectionId: string } }>(app.request(`/api/v1/syncs/${real.sync}`))
    ).left.connectionId;
    const secret = await app.request('/api/v1/connections', {
      method: 'POST',
      body: JSON.stringify({
        name: 'HubSpot with a token',
        kind: 'hubspot',
        sandbox: true,
        settings: { baseUrl: 'http://127.0.0.1:9' },
        secrets: { accessToken: 'pat-secret' },
      }),
    });
    real.secretConnection = (await json<{ id: string }>(secret)).id;
    const doc = await json<{ paths: Record<string, Record<string, unknown>> }>(
      app.request('/api/docs-json', { key: null }),
    );
    routes = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((method) => METHODS.includes(method))
        .map((method) => ({ method, path })),
    );
  }, 60_000);

  afterAll(async () => {
    await app.stop();
  });

  /** Real ids where a route reads one; unknown ones where it deletes, so fixtures stay. */
  function concrete(method: string, path: string): string {
    const collection = path.split('/')[3];
    return path.replace(/\{([^}]+)\}/g, (_match, name: string) => {
      if (method === 'delete') return name === 'side' ? 'left' : randomUUID();
      if (name === 'side') return 'left';
      if (name === 'index') return '0';
      if (name === 'object') return 'contacts';
      if (name === 'recordId') return 'r1';
      if (collection === 'connections') return real.connection;
      if (collection === 'syncs' || name === 'syncId') return real.sync;
      return randomUUID();
    });
  }

  function call(method: string, path: string, authorization: string | null): Promise<Response> {
    const headers: Record<string, string> = {};
    if (authorization !== null) headers.authorization = authorization;
    const writes = method !== 'get' && method !== 'delete';
    if (writes) headers['content-type'] = 'application/json';
    return fetch(`${app.url}${concrete(method, path)}`, {
      method: method.toUpperCase(),
      headers,
      ...(writes ? { body: '{}' } : {}),
    });
  }

  it('lets each role call exactly what the README grants it, on every operation', async () => {
    const wrong: string[] = [];
    let checked = 0;
    for (const { method, path } of routes) {
      if (PUBLIC.has(path) || SIGNED.has(path)) continue;
      for (const role of ROLES) {
        const res = await call(method, path, `Bearer ${keys[role]}`);
        checked += 1;
        const expected = allowed(role, method, path);
        const body = (await res.json().catch(() => ({}))) as Partial<ErrorBody>;
        const got = res.status !== 401 && res.status !== 403;
        if (got !== expected)
          wrong.push(`${role} ${method.toUpperCase()} ${path}: ${String(res.status)}`);
        if (!expected && (res.status !== 403 || body.error?.code !== 'forbidden'))
          wrong.push(`${role} ${method.toUpperCase()} ${path}: ${String(res.status)} not 403`);
      }
    }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(150);
  }, 120_000);

  it('answers 401 on every operation without a key, with a revoked key and with each malformed one', async () => {
    const key = keys.admin;
    const authorizations: Array<[string, string | null]> = [
      ['none', null],
      ['revoked', `Bearer ${revoked}`],
      ['empty', ''],
      ['scheme only', 'Bearer'],
      ['scheme and space', 'Bearer '],
      ['another scheme', `Basic ${Buffer.from(`admin:${key}`).toString('base64')}`],
      ['token scheme', `Token ${key}`],
      ['bare key', key],
      ['one character changed', `Bearer ${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`],
      ['truncated', `Bearer ${key.slice(0, -4)}`],
      ['extended', `Bearer ${key}x`],
      ['prefix only', 'Bearer sl_'],
      ['two keys', `Bearer ${key},${key}`],
      ['scheme twice', `Bearer Bearer ${key}`],
      ['very long', `Bearer sl_${'a'.repeat(8_000)}`],
      ['latin-1', 'Bearer sl_\u00e9\u00e8'],
    ];
    const wrong: string[] = [];
    for (const { method, path } of routes) {
      if (PUBLIC.has(path)) continue;
      for (const [kind, authorization] of authorizations) {
        const res = await call(method, path, authorization);
        const body = (await res.json().catch(() => ({}))) as Partial<ErrorBody>;
        const expectedCode = SIGNED.has(path) ? 'invalid_signature' : 'unauthorized';
        if (res.status !== 401 || body.error?.code !== expectedCode)
          wrong.push(`${kind} ${method.toUpperCase()} ${path}: ${String(res.status)}`);
        else if (!SIGNED.has(path) && res.headers.get('www-authenticate') !== 'Bearer')
          wrong.push(`${kind} ${method.toUpperCase()} ${path}: no WWW-Authenticate`);
      }
    }
    expect(wrong).toEqual([]);
  }, 120_000);

  it('keeps credentials and where they go to the admin: the redirection rows', async () => {
    const connection = `/api/v1/connections/${real.secretConnection}`;
    const rows: Array<{ role: Role; method: string; path: string; body: unknown; status: number }> =
      [
        // Writing credentials.
        {
          role: 'editor',
          method: 'POST',
          path: '/api/v1/connections',
          body: { name: 'e1', kind: 'hubspot', secrets: { accessToken: 'x' } },
          status: 403,
        },
        {
          role: 'editor',
          method: 'PATCH',
          path: connection,
          body: { secrets: { accessToken: 'x' } },
          status: 403,
        },
        // Re-pointing a connection that holds them.
        {
          role: 'editor',
          method: 'PATCH',
          path: connection,
          body: { settings: { baseUrl: 'http://127.0.0.1:1' } },
          status: 403,
        },
        {
          role: 'editor',
          method: 'PATCH',
          path: connection,
          body: { sandbox: false },
          status: 403,
        },
        // What an editor may still change on it.
        {
          role: 'editor',
          method: 'PATCH',
          path: connection,
          body: { name: 'Renamed by an editor' },
          status: 200,
        },
        // The admin may re-point it.
        {
          role: 'admin',
          method: 'PATCH',
          path: connection,
          body: { settings: { baseUrl: 'http://127.0.0.1:2' } },
          status: 200,
        },
        // The rest of the roles may do none of it.
        {
          role: 'viewer',
          method: 'PATCH',
          path: connection,
          body: { settings: { baseUrl: 'http://127.0.0.1:3' } },
          status: 403,
        },
        {
          role: 'service',
          method: 'PATCH',
          path: connection,
          body: { secrets: { accessToken: 'y' } },
          status: 403,
        },
      ];
    for (const row of rows) {
      const res = await app.request(row.path, {
        method: row.method,
        key: keys[row.role],
        body: JSON.stringify(row.body),
      });
      expect({ ...row, status: res.status }).toEqual(row);
    }
    const after = await json<{ settings: { baseUrl: string }; secretsSet: string[] }>(
      app.request(connection),
    );
    expect(after.settings.baseUrl).toBe('http://127.0.0.1:2');
    expect(after.secretsSet).toEqual(['accessToken']);
  });
});
