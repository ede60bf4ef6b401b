/**
 * Syncs and their mappings through the API: validation before saving, versions and 409s, the
 * audit log, and validation against what the vendors' discover() says.
 */
import { randomUUID } from 'node:crypto';
import { memoryBackendNamed } from '../connectors/memory';
import { field } from './support/api-helpers';
import { startTestApp, type TestApp } from './support/app';

interface ErrorBody {
  error: { code: string; message: string; details: Array<{ path: string; problem: string }> };
}
interface SyncBody {
  id: string;
  name: string;
  version: number;
  enabled: boolean;
  mappings: Array<Record<string, unknown>>;
  defaultPolicy: string;
}

describe('syncs', () => {
  let app: TestApp;
  let left: string;
  let right: string;
  let viewerKey: string;
  const stores = { left: `left-${randomUUID()}`, right: `right-${randomUUID()}` };

  const definition = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
    name: `Contacts ${randomUUID().slice(0, 8)}`,
    left: { connectionId: left, object: 'contacts', writeMode: 'upsert' },
    right: { connectionId: right, object: 'Contact', writeMode: 'upsert' },
    direction: 'bidirectional',
    match: { left: 'email', right: 'Email', normalizer: 'email' },
    mappings: [
      { left: 'email', right: 'Email', direction: 'both' },
      { left: 'firstname', right: 'FirstName', direction: 'both', policy: 'latest_wins' },
    ],
    defaultPolicy: 'right_wins',
    ...overrides,
  });

  const rightFields = [
    field('Email', 'email', { unique: true, externalId: true }),
    field('FirstName', 'string'),
    field('Status', 'enum', {
      options: [
        { value: 'Lead', label: 'Lead' },
        { value: 'Customer', label: 'Customer' },
      ],
    }),
    field('CreatedDate', 'datetime', { readOnly: true }),
  ];

  beforeAll(async () => {
    app = await startTestApp();
    const connection = async (name: string, store: string): Promise<string> => {
      const res = await app.request('/api/v1/connections', {
        method: 'POST',
        body: JSON.stringify({ name, kind: 'memory', settings: { store } }),
      });
      return ((await res.json()) as { id: string }).id;
    };
    left = await connection('Left', stores.left);
    right = await connection('Right', stores.right);
    const viewer = await app.request('/api/v1/api-keys', {
      method: 'POST',
      body: JSON.stringify({ name: 'v', role: 'viewer' }),
    });
    viewerKey = ((await viewer.json()) as { key: string }).key;

    memoryBackendNamed(stores.left).setFieldDescriptors('contacts', [
      field('email', 'email', { unique: true, externalId: true }),
      field('firstname', 'string'),
      field('status', 'enum', {
        options: [
          { value: 'lead', label: 'Lead' },
          { value: 'customer', label: 'Customer' },
        ],
      }),
    ]);
    memoryBackendNamed(stores.right).setFieldDescriptors('Contact', rightFields);
  });

  afterAll(async () => {
    await app.stop();
  });

  async function createSync(body: Record<string, unknown>, key?: string): Promise<Response> {
    return app.request('/api/v1/syncs', {
      method: 'POST',
      body: JSON.stringify(body),
      ...(key ? { key } : {}),
    });
  }

  it('creates a sync at version 1, with defaults filled in, and lists and gets it', async () => {
    const res = await createSync(definition({ name: 'HubSpot ↔ Salesforce' }));
    expect(res.status).toBe(201);
    const sync = (await res.json()) as SyncBody;
    expect(sync).toMatchObject({
      name: 'HubSpot ↔ Salesforce',
      version: 1,
      enabled: true,
      defaultPolicy: 'right_wins',
    });
    expect(sync).toMatchObject({ tieBreaker: 'left', deletePolicy: 'ignore' });
    expect(
      (
        (await (
          await app.request(`/api/v1/syncs/${sync.id}`, { key: viewerKey })
        ).json()) as SyncBody
      ).name,
    ).toBe('HubSpot ↔ Salesforce');
    const list = (await (await app.request('/api/v1/syncs')).json()) as { items: SyncBody[] };
    expect(list.items.map((s) => s.id)).toContain(sync.id);
  });

  it('refuses a bad definition before saving it, naming the mapping and the problem', async () => {
    const res = await createSync(
      definition({
        defaultPolicy: 'loudest_wins',
        left: { connectionId: randomUUID(), object: 'contacts', writeMode: 'upsert' },
        mappings: [
          { left: 'email', right: 'Email', direction: 'both' },
          { left: 'firstname', right: 'Email', direction: 'both' },
          {
            left: 'status',
            right: 'Status',
            direction: 'left_to_right',
            transforms: { leftToRight: [{ kind: 'jsonata', expression: '$uppercase(value' }] },
          },
        ],
      }),
    );
    expect(res.status).toBe(400);
    const details = ((await res.json()) as ErrorBody).error.details;
    const byPath = new Map(details.map((d) => [d.path, d.problem]));
    expect(byPath.get('defaultPolicy')).toMatch(
      /"loudest_wins" is not allowed \(expected one of left_wins, /,
    );
    expect(byPath.get('mappings[1].right')).toMatch(/already mapped by mappings\[0\]/);
    expect([...byPath.keys()]).toContain('mappings[2].transforms.leftToRight[0].expression');
    expect(byPath.get('left.connectionId')).toBe('no connection has this id');

    const shape = await createSync({ name: 'x', left: 'contacts', mappings: 'all' });
    expect(shape.status).toBe(400);
    const paths = ((await shape.json()) as ErrorBody).error.details.map((d) => d.path);
    expect(paths).toEqual(
      expect.arrayContaining(['left', 'right', 'direction', 'match', 'mappings']),
    );
  });

  it('takes the kind of a sync from the one schema: records by default, events and audience as asked', async () => {
    const created = await createSync(definition());
    expect(created.status).toBe(201);
    const sync = (await created.json()) as SyncBody & { kind: string };
    expect(sync.kind).toBe('records');
    const got = await app.request(`/api/v1/syncs/${sync.id}`);
    expect(((await got.json()) as { kind: string }).kind).toBe('records');

    const unknown = await createSync(definition({ kind: 'contacts' }));
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as ErrorBody).error.details).toContainEqual({
      path: 'kind',
      problem: '"contacts" is not allowed (expected one of records, events, audience)',
    });
    // A records definition given as an events sync: what that kind needs and does not use.
    const events = await createSync(definition({ kind: 'events' }));
    expect(events.status).toBe(400);
    expect(((await events.json()) as ErrorBody).error.details.map((detail) => detail.path)).toEqual(
      expect.arrayContaining(['match', 'identifiers', 'events']),
    );
    const badId = await createSync(
      definition({ right: { connectionId: 'not-a-uuid', object: 'Contact', writeMode: 'upsert' } }),
    );
    expect(((await badId.json()) as ErrorBody).error.details).toEqual([
      { path: 'right.connectionId', problem: 'must be a UUID' },
    ]);
  });

  it('bumps the version on every change and answers 409 to a stale one', async () => {
    const sync = (await (await createSync(definition())).json()) as SyncBody;
    const patch = (body: Record<string, unknown>): Promise<Response> =>
      app.request(`/api/v1/syncs/${sync.id}`, { method: 'PATCH', body: JSON.stringify(body) });

    const changed = await patch({ version: 1, defaultPolicy: 'left_wins' });
    expect(changed.status).toBe(200);
    expect(await changed.json()).toMatchObject({ version: 2, defaultPolicy: 'left_wins' });

    const stale = await patch({ version: 1, defaultPolicy: 'manual' });
    expect(stale.status).toBe(409);
    const staleBody = (await stale.json()) as ErrorBody;
    expect(staleBody.error.code).toBe('stale_version');
    expect(staleBody.error.details).toEqual([
      { path: 'version', problem: 'is 1; the sync is at version 2' },
    ]);

    const mappings = await app.request(`/api/v1/syncs/${sync.id}/mappings`, {
      method: 'PUT',
      body: JSON.stringify({
        version: 2,
        mappings: [{ left: 'email', right: 'Email', direction: 'both' }],
      }),
    });
    expect(mappings.status).toBe(200);
    expect(((await mappings.json()) as SyncBody).mappings).toHaveLength(1);

    const one = await app.request(`/api/v1/syncs/${sync.id}/mappings/0`, {
      method: 'PUT',
      body: JSON.stringify({
        version: 3,
        mapping: { left: 'email', right: 'Email', direction: 'left_to_right' },
      }),
    });
    expect(one.status).toBe(200);
    expect(await one.json()).toMatchObject({
      version: 4,
      mappings: [{ direction: 'left_to_right' }],
    });
    const missing = await app.request(`/api/v1/syncs/${sync.id}/mappings/5`, {
      method: 'PUT',
      body: JSON.stringify({
        version: 4,
        mapping: { left: 'email', right: 'Email', direction: 'both' },
      }),
    });
    expect(missing.status).toBe(404);

    const disabled = await app.request(`/api/v1/syncs/${sync.id}/disable`, {
      method: 'POST',
      body: '{}',
    });
    expect(await disabled.json()).toMatchObject({ enabled: false, version: 5 });
    const enabled = await app.request(`/api/v1/syncs/${sync.id}/enable`, {
      method: 'POST',
      body: JSON.stringify({ version: 4 }),
    });
    expect(enabled.status).toBe(409);

    const listed = (await (await app.request(`/api/v1/syncs/${sync.id}/mappings`)).json()) as {
      version: number;
      items: unknown[];
    };
    expect(listed).toMatchObject({
      version: 5,
      items: [{ left: 'email', right: 'Email', direction: 'left_to_right' }],
    });

    const audit = (await (
      await app.request(`/api/v1/audit-log?targetType=sync&targetId=${sync.id}`)
    ).json()) as {
      items: Array<{ action: string; apiKeyId: string | null; details: { version?: number } }>;
    };
    expect(audit.items.map((e) => e.action)).toEqual([
      'sync.disabled',
      'sync.updated',
      'sync.updated',
      'sync.updated',
      'sync.created',
    ]);
    expect(audit.items.every((e) => e.apiKeyId !== null)).toBe(true);
    expect(audit.items[0]?.details.version).toBe(5);
  });

  it("refuses to save mappings the vendors' fields do not allow, naming each field (POST and PATCH)", async () => {
    const bad = [
      { left: 'email', right: 'Email', direction: 'both' },
      { left: 'firstname', right: 'FirstNmae', direction: 'both' },
      { left: 'status', right: 'CreatedDate', direction: 'left_to_right' },
      {
        left: 'status',
        right: 'Status',
        direction: 'right_to_left',
        transforms: {
          rightToLeft: [{ kind: 'value_map', map: { Lead: 'lead', Customer: 'vip' } }],
        },
      },
    ];
    const before = (
      (await (await app.request('/api/v1/syncs?limit=200')).json()) as {
        items: unknown[];
      }
    ).items.length;
    const created = await createSync(definition({ mappings: bad }));
    expect(created.status).toBe(400);
    const refused = (await created.json()) as ErrorBody;
    expect(refused.error.code).toBe('validation_failed');
    expect(refused.error.details).toEqual(
      expect.arrayContaining([
        { path: 'mappings[1].right', problem: 'right object Contact has no field "FirstNmae"' },
        { path: 'mappings[2].right', problem: 'right field "CreatedDate" is read-only' },
      ]),
    );
    expect(
      refused.error.details.some(
        (p) => p.path === 'mappings[3].transforms.rightToLeft[0].map' && p.problem.includes('vip'),
      ),
    ).toBe(true);
    const after = (
      (await (await app.request('/api/v1/syncs?limit=200')).json()) as {
        items: unknown[];
      }
    ).items.length;
    expect(after).toBe(before);

    const good = (await (await createSync(definition())).json()) as SyncBody;
    const patched = await app.request(`/api/v1/syncs/${good.id}`, {
      method: 'PATCH',
      body: JSON.stringify({ version: good.version, mappings: bad.slice(0, 3) }),
    });
    expect(patched.status).toBe(400);
    const patchErrors = ((await patched.json()) as ErrorBody).error.details.map((p) => p.path);
    expect(patchErrors).toEqual(expect.arrayContaining(['mappings[1].right', 'mappings[2].right']));
    const replaced = await app.request(`/api/v1/syncs/${good.id}/mappings`, {
      method: 'PUT',
      body: JSON.stringify({
        version: good.version,
        mappings: [{ left: 'email', right: 'Emial', direction: 'both' }],
      }),
    });
    expect(replaced.status).toBe(400);
    expect(((await replaced.json()) as ErrorBody).error.details).toEqual([
      { path: 'mappings[0].right', problem: 'right object Contact has no field "Emial"' },
    ]);
    const unchanged = (await (await app.request(`/api/v1/syncs/${good.id}`)).json()) as SyncBody;
    expect(unchanged.version).toBe(good.version);
    // A rename is no change of the definition: saved without asking the vendors.
    const renamed = await app.request(`/api/v1/syncs/${good.id}`, {
      method: 'PATCH',
      body: JSON.stringify({ version: good.version, name: `${good.name} renamed` }),
    });
    expect(renamed.status).toBe(200);
  });

  it("validates a saved sync against the vendors' fields as they are now", async () => {
    const sync = (await (await createSync(definition())).json()) as SyncBody;
    const validate = async (): Promise<{
      valid: boolean;
      problems: Array<{ path: string; problem: string }>;
    }> => {
      const res = await app.request(`/api/v1/syncs/${sync.id}/validate`, {
        method: 'POST',
        key: viewerKey,
      });
      expect(res.status).toBe(200);
      return (await res.json()) as {
        valid: boolean;
        problems: Array<{ path: string; problem: string }>;
      };
    };
    expect(await validate()).toEqual({ valid: true, problems: [] });
    // The vendor drops FirstName; the connection is edited, so it is discovered again.
    const backend = memoryBackendNamed(stores.right);
    backend.setFieldDescriptors(
      'Contact',
      rightFields.filter((f) => f.name !== 'FirstName'),
    );
    try {
      const renamed = await app.request(`/api/v1/connections/${right}`, {
        method: 'PATCH',
        body: JSON.stringify({ name: 'Right (edited)' }),
      });
      expect(renamed.status).toBe(200);
      const body = await validate();
      expect(body.valid).toBe(false);
      expect(body.problems).toEqual([
        { path: 'mappings[1].right', problem: 'right object Contact has no field "FirstName"' },
      ]);
    } finally {
      backend.setFieldDescriptors('Contact', rightFields);
      await app.request(`/api/v1/connections/${right}`, {
        method: 'PATCH',
        body: JSON.stringify({ name: 'Right' }),
      });
    }
  });

  it('keeps writes to editors and admins, and deletes', async () => {
    expect((await createSync(definition(), viewerKey)).status).toBe(403);
    const sync = (await (await createSync(definition())).json()) as SyncBody;
    expect(
      (await app.request(`/api/v1/syncs/${sync.id}`, { method: 'DELETE', key: viewerKey })).status,
    ).toBe(403);
    expect((await app.request(`/api/v1/syncs/${sync.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await app.request(`/api/v1/syncs/${sync.id}`)).status).toBe(404);
    // A connection a sync uses cannot be deleted.
    await createSync(definition());
    const inUse = await app.request(`/api/v1/connections/${left}`, { method: 'DELETE' });
    expect(inUse.status).toBe(409);
  });
});
