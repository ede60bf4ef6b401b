/**
 * API keys and roles: every route but health needs a key; roles decide what a key may do.
 */
import { DataSource } from 'typeorm';
import { startTestApp, type TestApp } from './support/app';

interface KeyBody {
  id: string;
  name: string;
  role: string;
  prefix: string;
  key?: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

describe('API keys and roles', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });

  afterAll(async () => {
    await app.stop();
  });

  async function createKey(role: string, name = `${role} key`): Promise<KeyBody> {
    const res = await app.request('/api/v1/api-keys', {
      method: 'POST',
      body: JSON.stringify({ name, role }),
    });
    expect(res.status).toBe(201);
    return (await res.json()) as KeyBody;
  }

  it('answers 401 without a key, with a malformed key and with an unknown one', async () => {
    for (const key of [null, 'not-a-key', `sl_0123456789_${'x'.repeat(43)}`]) {
      const res = await app.request('/api/v1/api-keys', { key });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      const body = (await res.json()) as { error: { code: string } };
      expect(body.error.code).toBe('unauthorized');
    }
    expect((await app.request('/metrics', { key: null })).status).toBe(401);
  });

  it('keeps health public', async () => {
    expect((await app.request('/health/live', { key: null })).status).toBe(200);
    expect((await app.request('/health/ready', { key: null })).status).toBe(200);
  });

  it('shows a new key once, stores only its hash, and lists keys without it', async () => {
    const created = await createKey('service', 'Airflow');
    expect(created.key).toMatch(/^sl_[a-z0-9]{10}_[A-Za-z0-9_-]{43}$/);
    expect(created).toMatchObject({ name: 'Airflow', role: 'service', revokedAt: null });

    const list = await app.request('/api/v1/api-keys');
    expect(list.status).toBe(200);
    const text = await list.text();
    expect(text).not.toContain(created.key);
    const items = (JSON.parse(text) as { items: KeyBody[] }).items;
    const listed = items.find((k) => k.id === created.id);
    expect(listed).toMatchObject({ name: 'Airflow', role: 'service', prefix: created.prefix });
    expect(listed).not.toHaveProperty('key');

    const rows: Array<{ key_hash: string }> = await app.running.app
      .get(DataSource)
      .query('SELECT key_hash FROM api_keys WHERE id = $1', [created.id]);
    expect(rows[0]?.key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows)).not.toContain(created.key);
  });

  it('lets each role do only what it may', async () => {
    const viewer = await createKey('viewer');
    const editor = await createKey('editor');
    const service = await createKey('service');
    // Only admins manage keys.
    for (const key of [viewer, editor, service]) {
      const res = await app.request('/api/v1/api-keys', { key: key.key });
      expect(res.status).toBe(403);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('forbidden');
      expect(body.error.message).toContain(`The ${key.role} role may not`);
    }
    // Metrics need the read permission, which services do not have.
    expect((await app.request('/metrics', { key: viewer.key })).status).toBe(200);
    expect((await app.request('/metrics', { key: service.key })).status).toBe(403);
    // The last use is recorded.
    const items = ((await (await app.request('/api/v1/api-keys')).json()) as { items: KeyBody[] })
      .items;
    expect(items.find((k) => k.id === viewer.id)?.lastUsedAt).not.toBeNull();
  });

  it('tells any valid key its own name, role and permissions (GET /me)', async () => {
    const expected: Record<string, string[]> = {
      admin: [
        'read',
        'runs:read',
        'runs:trigger',
        'config:write',
        'credentials:write',
        'keys:manage',
      ],
      editor: ['read', 'runs:read', 'runs:trigger', 'config:write'],
      viewer: ['read', 'runs:read'],
      service: ['runs:read', 'runs:trigger'],
    };
    for (const role of ['editor', 'viewer', 'service']) {
      const key = await createKey(role, `${role} who am I`);
      const res = await app.request('/api/v1/me', { key: key.key });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({
        name: `${role} who am I`,
        role,
        permissions: expected[role],
      });
    }
    const admin = (await (await app.request('/api/v1/me')).json()) as {
      role: string;
      permissions: string[];
    };
    expect(admin).toMatchObject({ role: 'admin', permissions: expected.admin });

    for (const key of [null, 'not-a-key', `sl_0123456789_${'x'.repeat(43)}`]) {
      const res = await app.request('/api/v1/me', { key });
      expect(res.status).toBe(401);
    }
    const revoked = await createKey('viewer', 'revoked who am I');
    await app.request(`/api/v1/api-keys/${revoked.id}`, { method: 'DELETE' });
    expect((await app.request('/api/v1/me', { key: revoked.key })).status).toBe(401);
  });

  it('refuses bad bodies with 400 naming each field', async () => {
    const res = await app.request('/api/v1/api-keys', {
      method: 'POST',
      body: JSON.stringify({ role: 'root', colour: 'blue' }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as {
      error: { code: string; details: Array<{ path: string; problem: string }> };
    };
    expect(body.error.code).toBe('validation_failed');
    const paths = body.error.details.map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['name', 'role', 'colour']));
    expect(body.error.details.find((d) => d.path === 'role')?.problem).toBe(
      'role must be one of admin, editor, viewer, service',
    );

    const broken = await app.request('/api/v1/api-keys', { method: 'POST', body: '{"name": ' });
    expect(broken.status).toBe(400);
    const brokenBody = (await broken.json()) as { error: { code: string; message: string } };
    expect(brokenBody.error.code).toBe('bad_request');
    expect(brokenBody.error.message).toMatch(/JSON/);
  });

  it('answers 413 for a body over the limit', async () => {
    const res = await app.request('/api/v1/api-keys', {
      method: 'POST',
      body: JSON.stringify({ name: 'x'.repeat(2_000_000), role: 'viewer' }),
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe(
      'payload_too_large',
    );
  });

  it('revokes a key so that it stops working at once', async () => {
    const key = await createKey('viewer', 'to revoke');
    expect((await app.request('/metrics', { key: key.key })).status).toBe(200);
    const res = await app.request(`/api/v1/api-keys/${key.id}`, { method: 'DELETE' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as KeyBody).revokedAt).not.toBeNull();
    expect((await app.request('/metrics', { key: key.key })).status).toBe(401);
    const audit = (await (
      await app.request(`/api/v1/audit-log?targetType=api_key&targetId=${key.id}`)
    ).json()) as { items: Array<{ action: string; details: Record<string, unknown> }> };
    expect(audit.items.map((e) => e.action)).toEqual(['api_key.revoked', 'api_key.created']);
    expect(JSON.stringify(audit.items)).not.toContain(key.key ?? 'no key');

    const unknown = await app.request('/api/v1/api-keys/00000000-0000-4000-8000-000000000000', {
      method: 'DELETE',
    });
    expect(unknown.status).toBe(404);
    const malformed = await app.request('/api/v1/api-keys/nope', { method: 'DELETE' });
    expect(malformed.status).toBe(400);
  });
});
