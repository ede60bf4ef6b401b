/**
 * Three Syncline processes (`npm start`) on one real Postgres, with the HubSpot and Salesforce
 * emulators in this process:
 * - ten syncs scheduled every few seconds for a minute: no sync ever has two runs at once, every
 *   due run runs (no gap in a sync's runs longer than its interval plus the tick), the runs spread
 *   over the replicas, and each target holds its records once;
 * - a large run whose process is killed (SIGKILL) in its middle: another process takes it over
 *   after the lease expires, and the target holds every record exactly once;
 * - a large run whose process stops gracefully (SIGTERM): the run goes back to the queue at the
 *   end of its page and another process finishes it.
 * Needs a Postgres server (DATABASE_URL); the embedded database serves one process only, and
 * test/scheduling.e2e-spec.ts covers scheduling on it.
 */
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { startHubSpotEmulator, type HubSpotEmulator } from '../connectors/hubspot/emulator';
import {
  startSalesforceEmulator,
  type SalesforceEmulator,
} from '../connectors/salesforce/emulator';
import { generateApiKey } from '../src/auth/api-key-secret';
import { salesforceConnectionBody, sleep, until } from './support/api-helpers';
import { createTestDatabase, type TestDatabase } from './support/database';
import { freePort, startSynclineProcess, type SynclineProcess } from './support/process';

interface RunItem {
  id: string;
  syncId: string;
  trigger: string;
  status: string;
  startedAt: string;
  finishedAt: string | null;
  workerId: string | null;
  takeovers: number;
  error: string | null;
  counters: { read: number; created: number };
}

const onServer = process.env.DATABASE_URL !== undefined && process.env.DATABASE_URL !== '';
const describeOnServer = onServer ? describe : describe.skip;

const SYNCS = 10;
const INTERVAL_SECONDS = 3;
const TICK_SECONDS = 1;
const LEASE_SECONDS = 4;
const OBSERVE_MS = 60_000;
const BIG_RUN_RECORDS = 4000;

function alive(replica: SynclineProcess): boolean {
  return replica.child.exitCode === null && replica.child.signalCode === null;
}

function pidOf(replica: SynclineProcess): string | undefined {
  return /"pid":(\d+)/.exec(replica.output())?.[1];
}

describeOnServer('three replicas on one Postgres', () => {
  let database: TestDatabase;
  const replicas: SynclineProcess[] = [];
  const emulators: Array<{ close(): Promise<void> }> = [];
  const adminKey = generateApiKey().key;

  async function api<T>(
    replica: SynclineProcess,
    path: string,
    init: RequestInit = {},
  ): Promise<T> {
    const res = await fetch(`${replica.url}/api/v1${path}`, {
      ...init,
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
    });
    const text = await res.text();
    if (res.status >= 300)
      throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${text}`);
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  async function connectPair(
    replica: SynclineProcess,
    name: string,
    hubspot: HubSpotEmulator,
    salesforce: SalesforceEmulator,
  ): Promise<{ left: string; right: string }> {
    const left = await api<{ id: string }>(replica, '/connections', {
      method: 'POST',
      body: JSON.stringify({
        name: `${name} HubSpot`,
        kind: 'hubspot',
        sandbox: true,
        settings: { baseUrl: hubspot.url },
        secrets: { accessToken: 'pat-emulator' },
      }),
    });
    const right = await api<{ id: string }>(replica, '/connections', {
      method: 'POST',
      body: JSON.stringify(salesforceConnectionBody(`${name} Salesforce`, salesforce)),
    });
    return { left: left.id, right: right.id };
  }

  function syncBody(name: string, pair: { left: string; right: string }): Record<string, unknown> {
    return {
      name,
      left: { connectionId: pair.left, object: 'contacts', writeMode: 'upsert' },
      right: { connectionId: pair.right, object: 'Contact', writeMode: 'upsert' },
      direction: 'left_to_right',
      match: { left: 'email', right: 'Email', normalizer: 'email' },
      mappings: [
        { left: 'email', right: 'Email', direction: 'left_to_right' },
        { left: 'firstname', right: 'FirstName', direction: 'left_to_right' },
        { left: 'lastname', right: 'LastName', direction: 'left_to_right' },
      ],
    };
  }

  async function runsOf(syncId: string): Promise<RunItem[]> {
    const replica = replicas.find(alive);
    if (replica === undefined) throw new Error('no replica is running');
    const body = await api<{ items: RunItem[] }>(replica, `/runs?syncId=${syncId}&limit=200`);
    return body.items;
  }

  /** Every live contact of the HubSpot emulator arrived in Salesforce exactly once. */
  function expectExactlyOnce(hubspot: HubSpotEmulator, salesforce: SalesforceEmulator): void {
    const emails = salesforce.store
      .list('Contact')
      .map((record) => String(record.values.Email).toLowerCase());
    const expected = hubspot.store
      .all('contacts')
      .map((record) => record.properties.email.toLowerCase());
    expect(emails.length).toBe(new Set(emails).size);
    expect([...emails].sort()).toEqual([...expected].sort());
  }

  beforeAll(async () => {
    // One build before three processes start (`npm start` builds a stale tree itself).
    const built = spawnSync(process.execPath, [join(__dirname, '..', 'scripts', 'build.js')], {
      stdio: 'inherit',
    });
    if (built.status !== 0) throw new Error('build failed');
    database = await createTestDatabase();
    const env = {
      NODE_ENV: 'test',
      DATABASE_URL: database.url,
      SYNCLINE_ADMIN_KEY: adminKey,
      SYNCLINE_SECRET_KEY: randomBytes(32).toString('base64'),
      SYNCLINE_ALLOW_SANDBOX: 'true',
      // These tests bring their own emulators.
      SYNCLINE_SANDBOX: 'off',
      SYNCLINE_TICK_SECONDS: String(TICK_SECONDS),
      SYNCLINE_RUN_LEASE_SECONDS: String(LEASE_SECONDS),
      SYNCLINE_WORKER_CONCURRENCY: '2',
      // Its syncs fill empty sides: no first run waits for a confirmation.
      SYNCLINE_FIRST_RUN_MAX_UNMATCHED_PERCENT: '100',
      LOG_LEVEL: 'info',
    };
    // All three at once on an empty database: their migrations take turns.
    for (let i = 0; i < 3; i++)
      replicas.push(
        startSynclineProcess({ ...env, SYNCLINE_DATA_DIR: undefined }, await freePort()),
      );
    await Promise.all(replicas.map((replica) => replica.waitUntilReady(60_000)));
  });

  afterAll(async () => {
    for (const replica of replicas.filter(alive))
      await replica.stop('SIGTERM').catch(() => replica.stop('SIGKILL'));
    for (const emulator of emulators) await emulator.close();
    await database.drop();
  });

  it(`runs ${String(SYNCS)} syncs every ${String(INTERVAL_SECONDS)} s for a minute: never two runs of a sync at once, no due run lost`, async () => {
    const pairs: Array<{ hubspot: HubSpotEmulator; salesforce: SalesforceEmulator; id: string }> =
      [];
    for (let i = 0; i < SYNCS; i++) {
      const hubspot = await startHubSpotEmulator();
      const salesforce = await startSalesforceEmulator();
      emulators.push(hubspot, salesforce);
      hubspot.seed('contacts', 5);
      const replica = replicas[i % replicas.length];
      const pair = await connectPair(replica, `Scheduled ${String(i)}`, hubspot, salesforce);
      const sync = await api<{ id: string }>(replica, '/syncs', {
        method: 'POST',
        body: JSON.stringify({
          ...syncBody(`Scheduled ${String(i)}`, pair),
          schedule: { intervalSeconds: INTERVAL_SECONDS },
        }),
      });
      pairs.push({ hubspot, salesforce, id: sync.id });
    }
    const started = Date.now();
    // Changes keep arriving while the schedules run.
    while (Date.now() - started < OBSERVE_MS - 10_000) {
      await sleep(10_000);
      for (const pair of pairs) pair.hubspot.seed('contacts', 1);
    }
    await sleep(OBSERVE_MS - (Date.now() - started));
    for (const [i, pair] of pairs.entries()) {
      const replica = replicas[i % replicas.length];
      const { version } = await api<{ version: number }>(replica, `/syncs/${pair.id}`);
      await api(replica, `/syncs/${pair.id}/disable`, {
        method: 'POST',
        body: JSON.stringify({ version }),
      });
    }
    const stopped = Date.now();
    const workers = new Set<string>();
    const counts: number[] = [];
    for (const pair of pairs) {
      const runs = await until(
        'the last runs to finish',
        async () => {
          const all = await runsOf(pair.id);
          return all.every((run) => run.finishedAt !== null) ? all : undefined;
        },
        30_000,
      );
      const ordered = [...runs].sort((a, b) => a.startedAt.localeCompare(b.startedAt));
      counts.push(ordered.length);
      for (const run of ordered) {
        expect({ trigger: run.trigger, status: run.status, error: run.error }).toEqual({
          trigger: 'schedule',
          status: 'succeeded',
          error: null,
        });
        if (run.workerId !== null) workers.add(run.workerId.split(':')[1] ?? '');
      }
      // Never two at once: each run was requested after the previous one finished.
      for (let i = 1; i < ordered.length; i++) {
        const previous = ordered[i - 1];
        const current = ordered[i];
        expect(Date.parse(current.startedAt)).toBeGreaterThanOrEqual(
          Date.parse(previous.finishedAt ?? ''),
        );
      }
      // Every due run ran: no gap longer than the interval plus a tick (and some slack).
      const slackMs = (INTERVAL_SECONDS + TICK_SECONDS + 2) * 1000;
      const starts = ordered.map((run) => Date.parse(run.startedAt));
      for (let i = 1; i < starts.length; i++)
        expect((starts[i] ?? 0) - (starts[i - 1] ?? 0)).toBeLessThanOrEqual(slackMs);
      expect(stopped - (starts.at(-1) ?? 0)).toBeLessThanOrEqual(slackMs);
      expect(ordered.length).toBeGreaterThanOrEqual(
        Math.floor((stopped - started) / (INTERVAL_SECONDS * 1000)) - 2,
      );
      expectExactlyOnce(pair.hubspot, pair.salesforce);
    }
    process.stdout.write(
      `cluster: ${String(counts.reduce((a, b) => a + b, 0))} scheduled runs over ${String(Math.round((stopped - started) / 1000))} s (per sync ${counts.join(', ')}), on ${String(workers.size)} processes\n`,
    );
    // The runs spread over the replicas.
    expect(workers.size).toBeGreaterThanOrEqual(2);
  }, 180_000);

  /** A sync of BIG_RUN_RECORDS contacts, its run started and caught in its middle. */
  async function largeRunInItsMiddle(name: string): Promise<{
    hubspot: HubSpotEmulator;
    salesforce: SalesforceEmulator;
    run: RunItem;
    holder: SynclineProcess;
    survivor: SynclineProcess;
  }> {
    const hubspot = await startHubSpotEmulator({ latencyMs: 300 });
    const salesforce = await startSalesforceEmulator();
    emulators.push(hubspot, salesforce);
    hubspot.seed('contacts', BIG_RUN_RECORDS);
    const live = replicas.filter(alive);
    const first = live.at(0);
    if (first === undefined || live.length < 2) throw new Error('two replicas must be running');
    const pair = await connectPair(first, name, hubspot, salesforce);
    const sync = await api<{ id: string }>(first, '/syncs', {
      method: 'POST',
      body: JSON.stringify(syncBody(name, pair)),
    });
    const queued = await api<RunItem>(first, `/syncs/${sync.id}/runs`, { method: 'POST' });
    // Some pages committed, most still to read.
    const run = await until(
      `the run of "${name}" to commit some pages`,
      async () => {
        const current = await api<RunItem>(first, `/runs/${queued.id}`);
        return current.status === 'running' && current.counters.read >= 600 ? current : undefined;
      },
      60_000,
    );
    expect(run.counters.read).toBeLessThan(BIG_RUN_RECORDS / 2);
    const holderPid = run.workerId?.split(':')[1];
    const holder = live.find((replica) => pidOf(replica) === holderPid);
    const survivor = live.find((replica) => replica !== holder);
    if (holder === undefined || survivor === undefined)
      throw new Error(`no replica has pid ${String(holderPid)}`);
    return { hubspot, salesforce, run, holder, survivor };
  }

  async function finished(survivor: SynclineProcess, runId: string): Promise<RunItem> {
    return until(
      'another process to finish the run',
      async () => {
        const run = await api<RunItem>(survivor, `/runs/${runId}`);
        return run.finishedAt === null ? undefined : run;
      },
      120_000,
    );
  }

  it('takes over a large run whose process was killed, with every record exactly once', async () => {
    const { hubspot, salesforce, run, holder, survivor } = await largeRunInItsMiddle('Killed');
    await holder.stop('SIGKILL');
    const killedAt = Date.now();
    const done = await finished(survivor, run.id);
    process.stdout.write(
      `takeover: run finished ${String(Math.round((Date.now() - killedAt) / 1000))} s after the kill, ${String(done.counters.read)} read, ${String(done.counters.created)} created, by ${String(done.workerId)}\n`,
    );
    expect(done.status).toBe('succeeded');
    expect(done.takeovers).toBeGreaterThanOrEqual(1);
    expect(done.workerId?.split(':')[1]).not.toBe(pidOf(holder));
    expect(salesforce.store.list('Contact')).toHaveLength(BIG_RUN_RECORDS);
    expectExactlyOnce(hubspot, salesforce);
    expect(replicas.some((replica) => replica.output().includes(`Took over run ${run.id}`))).toBe(
      true,
    );
  }, 240_000);

  it('puts a run back in the queue when its process stops gracefully, and another finishes it', async () => {
    const { hubspot, salesforce, run, holder, survivor } = await largeRunInItsMiddle('Released');
    const stopped = await holder.stop('SIGTERM');
    expect(stopped.code).toBe(0);
    expect(holder.output()).toContain('released for another worker');
    const done = await finished(survivor, run.id);
    // Released, not taken over: no lease had to expire.
    expect(done).toMatchObject({ status: 'succeeded', takeovers: 0 });
    expect(done.workerId?.split(':')[1]).toBe(pidOf(survivor));
    expect(salesforce.store.list('Contact')).toHaveLength(BIG_RUN_RECORDS);
    expectExactlyOnce(hubspot, salesforce);
  }, 240_000);
});
