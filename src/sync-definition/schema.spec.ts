import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { definitionFrom } from '../engine/definition';
import { schemaProblems } from '../sync-config/schema';
import { definitionBody, fileSpec, specFromServer } from '../sync-config/spec';
import { type Sync, type SyncBody, syncBodySchema, syncFileSchema } from './schema';

describe('the sync definition schema', () => {
  it('is what config/schema/sync.schema.json holds (run `npm run schema` after changing it)', () => {
    const file = join(__dirname, '..', '..', 'config', 'schema', 'sync.schema.json');
    const written: unknown = JSON.parse(readFileSync(file, 'utf8'));
    expect(written).toEqual(JSON.parse(JSON.stringify(syncFileSchema)));
  });
});

describe('a field of the definition', () => {
  // Every key of the body carries a value that is not its default, so that none is dropped as one.
  const body = {
    kind: 'records',
    left: {
      connectionId: '6f1c1f7e-0000-4000-8000-000000000001',
      object: 'contacts',
      writeMode: 'update',
    },
    right: {
      connectionId: '6f1c1f7e-0000-4000-8000-000000000002',
      object: 'Contact',
      writeMode: 'create',
    },
    direction: 'left_to_right',
    match: { left: 'email', right: 'Email', normalizer: 'trim' },
    // Shape only (a records sync does not use these: the engine's validation says so).
    identifiers: { email: 'email', phone: 'mobile' },
    consent: { ad_user_data: 'gdpr_ok' },
    events: { key: 'c-{id}', occurredAt: 'closedAt', since: '2026-01-01T00:00:00Z' },
    mappings: [{ left: 'email', right: 'Email', direction: 'left_to_right', policy: 'left_wins' }],
    defaultPolicy: 'latest_wins',
    tieBreaker: 'right',
    deletePolicy: 'propagate',
    overlapMs: 1234,
    maxAttempts: 3,
  } satisfies SyncBody;

  it('is one change in the schema: every conversion carries every key the schema gives a body', () => {
    // The sample covers the schema: a key added there and not here fails this test first.
    expect(Object.keys(body).sort()).toEqual(Object.keys(syncBodySchema.properties).sort());
    const names = new Map([
      [body.left.connectionId, 'CRM A'],
      [body.right.connectionId, 'CRM B'],
    ]);
    const server = {
      ...body,
      id: '6f1c1f7e-0000-4000-8000-00000000000a',
      name: 'A sync',
      enabled: false,
      version: 4,
      schedule: null,
      nextRunAt: null,
      alerts: null,
      health: { status: 'healthy', consecutiveFailures: 0, retryAt: null, reason: null },
      createdAt: '2026-12-04T00:00:00.000Z',
      updatedAt: '2026-12-04T00:00:00.000Z',
    } satisfies Sync;
    const file = fileSpec(specFromServer(server, names));
    expect(schemaProblems(file)).toEqual([]);
    const { left: _l, right: _r, ...rest } = body;
    const { kind: _kind, ...shown } = rest;
    // A file leaves out the schema's defaults (records is the kind's).
    expect(file).toMatchObject({ name: 'A sync', enabled: false, ...shown });
    expect(file).not.toHaveProperty('kind');
    const sent = definitionBody(file, {
      left: body.left.connectionId,
      right: body.right.connectionId,
    });
    expect(sent).toEqual(body);
    const engine = definitionFrom('s1', body);
    expect(engine).toEqual({
      ...rest,
      id: 's1',
      left: { object: 'contacts', writeMode: 'update' },
      right: { object: 'Contact', writeMode: 'create' },
    });
  });
});
