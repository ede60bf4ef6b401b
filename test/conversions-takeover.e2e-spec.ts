/**
 * Conversions whose worker is SIGKILLed between send and acknowledgement (issue 18): Meta and
 * LinkedIn have taken the events and hold their answers back; the worker dies before it hears
 * them. The run that takes over sends the events again under the same event ids, and each vendor
 * keeps each conversion once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type LinkedInEmulator,
  TEST_ACCESS_TOKEN as LINKEDIN_TOKEN,
  startLinkedInEmulator,
} from '../connectors/linkedin/emulator';
import {
  type MetaEmulator,
  TEST_ACCESS_TOKEN,
  startMetaEmulator,
} from '../connectors/meta/emulator';
import {
  startSalesforceEmulator,
  type SalesforceEmulator,
} from '../connectors/salesforce/emulator';
import { replicaEnv, startReplica, type Replica } from '../bench/soak/replica';
import { generateApiKey } from '../src/auth/api-key-secret';
import { opportunityEventsBody, salesforceConnectionBody, until } from './support/api-helpers';
import { createTestDatabase, type TestDatabase } from './support/database';

const WON = 12;

describe('conversions whose worker is killed before the vendors answer', () => {
  let meta: MetaEmulator;
  let linkedin: LinkedInEmulator;
  let salesforce: SalesforceEmulator;
  let database: TestDatabase | undefined;
  let dataDir: string | undefined;
  const replicas: Replica[] = [];
  const adminKey = generateApiKey().key;
  let env: Record<string, string>;

  beforeAll(async () => {
    meta = await startMetaEmulator();
    linkedin = await startLinkedInEmulator();
    salesforce = await startSalesforceEmulator();
    const today = new Date().toISOString().slice(0, 10);
    for (let n = 0; n < WON; n++)
      salesforce.store.create('Opportunity', {
        Name: `Deal ${String(n)}`,
        StageName: 'Closed Won',
        CloseDate: today,
        Amount: 100 * (n + 1),
        Contact_Email__c: `buyer${String(n)}@example.com`,
      });
    const onServer = process.env.DATABASE_URL !== undefined && process.env.DATABASE_URL !== '';
    if (onServer) database = await createTestDatabase();
    else dataDir = mkdtempSync(join(tmpdir(), 'syncline-conversions-takeover-'));
    env = replicaEnv({
      adminKey,
      database: database === undefined ? { dataDir: dataDir ?? '' } : { url: database.url },
    });
  }, 60_000);

  afterAll(async () => {
    for (const replica of replicas) await replica.kill('SIGTERM');
    await meta.close();
    await linkedin.close();
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

  it('sends each conversion once to each vendor, through the run that takes over', async () => {
    const first = await launch();
    const post = (body: unknown): RequestInit => ({ method: 'POST', body: JSON.stringify(body) });
    const created = async (body: unknown) =>
      (await api<{ id: string }>(first, '/connections', post(body))).id;
    const salesforceId = await created(
      salesforceConnectionBody('Salesforce (emulator)', salesforce),
    );
    const account = meta.store.createAccount('Acme Ads').id;
    const pixel = meta.store.createPixel('CRM').id;
    const metaId = await created({
      name: 'Meta (emulator)',
      kind: 'meta',
      sandbox: true,
      settings: { adAccountId: `act_${account}`, pixelId: pixel, baseUrl: meta.url },
      secrets: { accessToken: TEST_ACCESS_TOKEN },
    });
    const linkedinAccount = linkedin.store.createAccount('Acme B2B').id;
    const rule = linkedin.store.createRule(linkedinAccount, 'Closed won');
    const linkedinId = await created({
      name: 'LinkedIn (emulator)',
      kind: 'linkedin',
      sandbox: true,
      settings: { adAccountId: linkedinAccount, baseUrl: linkedin.url },
      secrets: { accessToken: LINKEDIN_TOKEN },
    });
    const sync = (name: string, right: Record<string, unknown>) =>
      api<{ id: string }>(
        first,
        '/syncs',
        post(opportunityEventsBody({ name, salesforceId, right })),
      );
    const syncs = [
      await sync('Won → Meta', { connectionId: metaId, object: 'Purchase' }),
      await sync('Won → LinkedIn', { connectionId: linkedinId, object: rule.id }),
    ];
    // Both vendors take the events at once and hold their answers back for 20 s.
    meta.faults.latencyMs = 20_000;
    linkedin.faults.latencyMs = 20_000;
    const runs = [];
    for (const each of syncs)
      runs.push(await api<{ id: string }>(first, `/syncs/${each.id}/runs`, post({})));
    const held = () => meta.store.pixels.get(pixel)?.events ?? [];
    await until(
      'both vendors to hold the conversions',
      () => Promise.resolve(held().length === WON && rule.events.length === WON ? true : undefined),
      60_000,
    );
    await first.kill('SIGKILL');
    meta.faults.latencyMs = 0;
    linkedin.faults.latencyMs = 0;

    const second = await launch();
    for (const run of runs) {
      const ended = await until(
        'the run to end on the replica that took it over',
        async () => {
          const state = await api<{ status: string; counters: { sent: number; failed: number } }>(
            second,
            `/runs/${run.id}`,
          );
          return state.status === 'running' || state.status === 'queued' ? undefined : state;
        },
        90_000,
      );
      expect(ended).toMatchObject({ status: 'succeeded', counters: { failed: 0 } });
    }
    // Sent twice each, held once each.
    expect(meta.counters.matching(/^POST .*\/events$/)).toBeGreaterThanOrEqual(2);
    expect(held()).toHaveLength(WON);
    expect(new Set(held().map((event) => event.eventId)).size).toBe(WON);
    expect(rule.events).toHaveLength(WON);
    expect(new Set(rule.events.map((event) => event.eventId)).size).toBe(WON);
  }, 300_000);
});
