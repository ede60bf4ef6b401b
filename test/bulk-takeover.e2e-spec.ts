/**
 * A Salesforce Bulk API 2.0 write whose worker is SIGKILLed the moment its upload completes (issue
 * 14): the job's ticket was journaled with the batch's intent as soon as Salesforce created the
 * job, so the run that takes over waits for that same job, links what it wrote, and sends nothing
 * again: one job, each record once. The emulator runs the job for a few seconds after
 * UploadComplete and writes its records only then, as Salesforce processes jobs on its own;
 * without the ticket, a takeover would find none of them and send a second job. (A job whose
 * worker died before its upload completed is aborted by the takeover and sent again:
 * test/sync/salesforce-bulk.spec.ts.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHubSpotEmulator, type HubSpotEmulator } from '../connectors/hubspot/emulator';
import {
  startSalesforceEmulator,
  type SalesforceEmulator,
} from '../connectors/salesforce/emulator';
import { replicaEnv, startReplica, type Replica } from '../bench/soak/replica';
import { generateApiKey } from '../src/auth/api-key-secret';
import { salesforceConnectionBody, until } from './support/api-helpers';
import { createTestDatabase, type TestDatabase } from './support/database';

const PEOPLE = 30;
const INGEST_CREATE = /^POST \/jobs\/ingest$/;
const UPLOAD_COMPLETE = /^PATCH \/jobs\/ingest\/:id$/;

describe('a Bulk API 2.0 write whose worker is killed while the job runs', () => {
  let hubspot: HubSpotEmulator;
  let salesforce: SalesforceEmulator;
  let database: TestDatabase | undefined;
  let dataDir: string | undefined;
  const replicas: Replica[] = [];
  const adminKey = generateApiKey().key;
  let env: Record<string, string>;

  beforeAll(async () => {
    hubspot = await startHubSpotEmulator();
    salesforce = await startSalesforceEmulator({ bulkProcessingMs: 8_000 });
    for (let i = 0; i < PEOPLE; i++)
      hubspot.store.insert('contacts', {
        email: `person${i}@example.com`,
        firstname: `P${i}`,
        lastname: `Bulk${i}`,
      });
    const onServer = process.env.DATABASE_URL !== undefined && process.env.DATABASE_URL !== '';
    if (onServer) database = await createTestDatabase();
    else dataDir = mkdtempSync(join(tmpdir(), 'syncline-bulk-takeover-'));
    env = replicaEnv({
      adminKey,
      database: database === undefined ? { dataDir: dataDir ?? '' } : { url: database.url },
    });
  }, 60_000);

  afterAll(async () => {
    for (const replica of replicas) await replica.kill('SIGTERM');
    await hubspot.close();
    await salesforce.close();
    await database?.drop();
    if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  async function launch(): Promise<Replica> {
    const replica = await startReplica(env);
    replicas.push(replica);
    await replica.waitUntilReady(120_000);
    return replica;
  }

  async function api<T>(replica: Replica, path: string, init: RequestInit = {}): Promise<T> {
    const res = await fetch(`${replica.url}/api/v1${path}`, {
      ...init,
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
    });
    const body = (await res.json()) as T;
    if (res.status >= 300) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`);
    return body;
  }

  it('is picked up by the run that takes over, and the job is applied once', async () => {
    const first = await launch();
    const post = (body: unknown): RequestInit => ({ method: 'POST', body: JSON.stringify(body) });
    const hubspotId = (
      await api<{ id: string }>(
        first,
        '/connections',
        post({
          name: 'HubSpot (emulator)',
          kind: 'hubspot',
          sandbox: true,
          settings: { baseUrl: hubspot.url },
          secrets: { accessToken: 'pat-emulator' },
        }),
      )
    ).id;
    const body = salesforceConnectionBody('Salesforce (emulator)', salesforce);
    const salesforceId = (
      await api<{ id: string }>(
        first,
        '/connections',
        post({ ...body, settings: { ...(body['settings'] as object), bulkThreshold: 10 } }),
      )
    ).id;
    const sync = await api<{ id: string }>(
      first,
      '/syncs',
      post({
        name: 'Contacts into Salesforce by Bulk API',
        direction: 'left_to_right',
        left: { connectionId: hubspotId, object: 'contacts', writeMode: 'upsert' },
        right: { connectionId: salesforceId, object: 'Contact', writeMode: 'create' },
        match: { left: 'email', right: 'Email', normalizer: 'email' },
        mappings: [
          { left: 'email', right: 'Email', direction: 'left_to_right' },
          { left: 'lastname', right: 'LastName', direction: 'left_to_right' },
        ],
        defaultPolicy: 'left_wins',
      }),
    );
    const run = await api<{ id: string }>(first, `/syncs/${sync.id}/runs`, post({}));

    // The job is uploaded and running at Salesforce: the worker dies now, whether or not it heard
    // Salesforce's answer (its ticket was journaled when the job was created).
    await until(
      'the Bulk job to be uploaded',
      () => Promise.resolve(salesforce.counters.matching(UPLOAD_COMPLETE) > 0 ? true : undefined),
      60_000,
    ).catch(async (error: unknown) => {
      const state = await api<unknown>(first, `/runs/${run.id}`);
      throw new Error(
        `${String(error)}: Salesforce saw ${JSON.stringify(salesforce.counters.byEndpoint())}; the run is ${JSON.stringify(state)}`,
      );
    });
    expect(salesforce.store.list('Contact')).toHaveLength(0);
    await first.kill('SIGKILL');

    const second = await launch();
    const ended = await until(
      'the run to end on the replica that took it over',
      async () => {
        const state = await api<{ status: string; counters: { created: number; failed: number } }>(
          second,
          `/runs/${run.id}`,
        );
        return state.status === 'running' || state.status === 'queued' ? undefined : state;
      },
      60_000,
    );
    expect(ended.status).toBe('succeeded');
    expect(ended.counters).toMatchObject({ created: PEOPLE, failed: 0 });

    // One job, each person once in Salesforce.
    expect(salesforce.counters.matching(INGEST_CREATE)).toBe(1);
    const emails = salesforce.store.list('Contact').map((record) => String(record.values['Email']));
    expect(emails.sort()).toEqual(
      Array.from({ length: PEOPLE }, (_, i) => `person${i}@example.com`).sort(),
    );
    // The sync log says where the creates came from.
    const events = await api<{ items: Array<{ action: string; message: string | null }> }>(
      second,
      `/runs/${run.id}/events?limit=100`,
    );
    const created = events.items.filter((event) => event.action === 'created');
    expect(created).toHaveLength(PEOPLE);
    expect(created[0]?.message).toMatch(/vendor job 750\w+, waited for to its end/);

    // A later run has nothing left to write.
    const again = await api<{ id: string }>(second, `/syncs/${sync.id}/runs`, post({}));
    const next = await until('the next run to end', async () => {
      const state = await api<{ status: string; counters: { created: number } }>(
        second,
        `/runs/${again.id}`,
      );
      return state.status === 'running' || state.status === 'queued' ? undefined : state;
    });
    expect(next).toMatchObject({ status: 'succeeded', counters: { created: 0 } });
    expect(salesforce.counters.matching(INGEST_CREATE)).toBe(1);
  }, 240_000);
});
