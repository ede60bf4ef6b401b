/**
 * `npm start` on a fresh machine, as a user runs it (no DATABASE_URL, no SYNCLINE_SANDBOX): the
 * sandbox comes up with its emulators, its connections and the example syncs of config/; the
 * two-way sync completes a run within 60 s and leaves the two emulators agreeing on its mapped
 * fields; a restart on the same data folder comes up again, pointed at the new emulators, reset.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateApiKey } from '../src/auth/api-key-secret';
import { freePort, startSynclineProcess, type SynclineProcess } from './support/process';
import { sleep, type RunBody } from './support/api-helpers';

const READY_DEADLINE_MS = 60_000;
const FIRST_RUN_DEADLINE_MS = 60_000;
/** The Salesforce emulator's OAuth app (its defaults, which the sandbox connection uses). */
const SALESFORCE_APP = {
  clientId: 'syncline-client-id',
  clientSecret: 'syncline-client-secret',
  refreshToken: 'syncline-refresh-token',
};
const SALESFORCE_VERSION = 'v59.0';

interface Connection {
  id: string;
  name: string;
  kind: string;
  sandbox: boolean;
  settings: Record<string, unknown>;
}

type Transform = { kind: string; map?: Record<string, string>; fn?: string };

interface Mapping {
  left: string;
  right: string;
  direction: string;
  transforms?: { leftToRight?: Transform[]; rightToLeft?: Transform[] };
  skipNulls?: boolean;
  fillEmptyOnly?: boolean;
  policy?: string;
}

interface Sync {
  id: string;
  name: string;
  direction: string;
  defaultPolicy: string;
  left: { connectionId: string; object: string };
  right: { connectionId: string; object: string };
  match: { left: string; right: string };
  mappings: Mapping[];
}

type Run = RunBody & { startedAt: string; finishedAt: string | null };

describe('npm start on a fresh machine: the sandbox', () => {
  let dataDir: string;
  let running: SynclineProcess | undefined;
  const adminKey = generateApiKey().key;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'syncline-sandbox-'));
  });

  afterEach(async () => {
    if (running && running.child.exitCode === null && running.child.signalCode === null)
      await running.stop('SIGKILL');
    running = undefined;
  });

  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** As a user starts it: only a data folder of its own, and a known admin key to look with. */
  function start(port: number, env: Record<string, string> = {}): SynclineProcess {
    return startSynclineProcess(
      {
        DATABASE_URL: undefined,
        SYNCLINE_SANDBOX: undefined,
        SYNCLINE_SANDBOX_ACTIVITY: undefined,
        SYNCLINE_CONFIG_DIR: undefined,
        SYNCLINE_ALLOW_SANDBOX: undefined,
        SYNCLINE_SECRET_KEY: undefined,
        SYNCLINE_DATA_DIR: dataDir,
        SYNCLINE_ADMIN_KEY: adminKey,
        LOG_LEVEL: 'info',
        ...env,
      },
      port,
    );
  }

  async function api<T>(app: SynclineProcess, path: string): Promise<T> {
    const res = await fetch(`${app.url}/api/v1${path}`, {
      headers: { authorization: `Bearer ${adminKey}` },
    });
    if (res.status !== 200) {
      const errors = app
        .output()
        .split('\n')
        .filter((line) => line.includes('"level":50'))
        .slice(-3);
      throw new Error(`GET ${path}: ${res.status} ${await res.text()}\n${errors.join('\n')}`);
    }
    return (await res.json()) as T;
  }

  async function sandboxConnections(
    app: SynclineProcess,
  ): Promise<{ hubspot: Connection; salesforce: Connection }> {
    const { items } = await api<{ items: Connection[] }>(app, '/connections?limit=100');
    const hubspot = items.find((c) => c.name === 'HubSpot (sandbox)');
    const salesforce = items.find((c) => c.name === 'Salesforce (sandbox)');
    if (hubspot === undefined || salesforce === undefined)
      throw new Error(`no sandbox connections in ${JSON.stringify(items)}`);
    return { hubspot, salesforce };
  }

  /** The example two-way sync between the sandbox connections (whatever config/ names it). */
  async function twoWaySync(
    app: SynclineProcess,
    connections: { hubspot: Connection; salesforce: Connection },
  ): Promise<Sync> {
    const { items } = await api<{ items: Sync[] }>(app, '/syncs?limit=100');
    const ids = new Set([connections.hubspot.id, connections.salesforce.id]);
    const sync = items.find(
      (s) =>
        s.direction === 'bidirectional' &&
        ids.has(s.left.connectionId) &&
        ids.has(s.right.connectionId),
    );
    if (sync === undefined)
      throw new Error(
        `config/ applied no two-way sync between the sandbox connections; syncs: ${JSON.stringify(items.map((s) => s.name))}\n${app.output().slice(-4000)}`,
      );
    return api<Sync>(app, `/syncs/${sync.id}`);
  }

  /** The first run of `syncId` started at or after `from` to finish (succeeded or partial). */
  async function completedRun(
    app: SynclineProcess,
    syncId: string,
    from: Date,
    deadline: number,
  ): Promise<Run> {
    for (;;) {
      const { items } = await api<{ items: Run[] }>(
        app,
        `/runs?syncId=${syncId}&from=${encodeURIComponent(from.toISOString())}&limit=50`,
      );
      const done = items
        .filter((run) => run.status === 'succeeded' || run.status === 'partial')
        .sort((a, b) => a.startedAt.localeCompare(b.startedAt))
        .at(0);
      if (done !== undefined) return done;
      const failed = items.find((run) => run.status === 'failed');
      if (failed !== undefined) throw new Error(`run failed: ${JSON.stringify(failed)}`);
      if (Date.now() > deadline)
        throw new Error(
          `no completed run of ${syncId} in time: ${JSON.stringify(items)}\n${app.output().slice(-4000)}`,
        );
      await sleep(500);
    }
  }

  it('brings up the emulators, connections and example syncs; the two-way sync runs and the stores agree; a restart comes up again, reset', async () => {
    running = start(await freePort(), { SYNCLINE_SANDBOX_ACTIVITY: 'off' });
    const readyMs = await running.waitUntilReady(READY_DEADLINE_MS);
    const readyAt = Date.now();
    process.stdout.write(`sandbox: ready after ${readyMs} ms (new embedded database)\n`);

    const first = await sandboxConnections(running);
    expect(first.hubspot).toMatchObject({ kind: 'hubspot', sandbox: true });
    expect(first.salesforce).toMatchObject({ kind: 'salesforce', sandbox: true });
    const hubspotUrl = String(first.hubspot.settings['baseUrl']);
    const salesforceUrl = String(first.salesforce.settings['instanceUrl']);
    expect(hubspotUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(salesforceUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const sync = await until('the example syncs applied from config/', () =>
      twoWaySync(running as SynclineProcess, first),
    );
    const run = await completedRun(
      running,
      sync.id,
      new Date(readyAt - READY_DEADLINE_MS),
      readyAt + FIRST_RUN_DEADLINE_MS,
    );
    process.stdout.write(
      `sandbox: "${sync.name}" completed a run ${Date.now() - readyAt} ms after ready: ${JSON.stringify(run.counters)}\n`,
    );
    expect(run.counters.read).toBeGreaterThan(5000);
    // The people on one side only were created on the other.
    expect(run.counters.created).toBeGreaterThan(1000);
    expect(run.counters.apiCalls.left).toBeGreaterThan(0);
    expect(run.counters.apiCalls.right).toBeGreaterThan(0);
    const shown = await api<Run>(running, `/runs/${run.id}`);
    expect(shown.counters).toEqual(run.counters);

    // The planted invalid values show on the failed-records screen.
    const failed = await api<{ items: Array<{ side: string; recordId: string; message: string }> }>(
      running,
      `/syncs/${sync.id}/failed-records?limit=100`,
    );
    expect(failed.items.length).toBeGreaterThan(0);
    expect(failed.items.map((f) => f.message).join('\n')).toMatch(/INVALID_EMAIL_ADDRESS/);
    const conflicts = await api<{
      items: Array<{ leftId: string; rightId: string; leftField: string }>;
    }>(running, `/syncs/${sync.id}/conflicts?limit=100`);
    if ([sync.defaultPolicy, ...sync.mappings.map((m) => m.policy)].includes('manual'))
      expect(conflicts.items.length).toBeGreaterThan(0);

    const agreement = await compareStores(hubspotUrl, salesforceUrl, sync, {
      failedIds: new Set(failed.items.map((f) => `${f.side}:${f.recordId}`)),
      conflicts: new Set(conflicts.items.map((c) => `${c.leftId}:${c.leftField}`)),
    });
    process.stdout.write(
      `sandbox: ${agreement.pairs} contacts on both sides compared on ${agreement.fields.join(', ')}\n`,
    );
    expect(agreement.pairs).toBeGreaterThan(1500);
    expect(agreement.differences).toEqual([]);

    // A policy changed through the API must survive the restart: config/ does not overwrite it.
    const current = await api<{ version: number; defaultPolicy: string }>(
      running,
      `/syncs/${sync.id}`,
    );
    const changedPolicy = current.defaultPolicy === 'left_wins' ? 'right_wins' : 'left_wins';
    const patched = await fetch(`${running.url}/api/v1/syncs/${sync.id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ version: current.version, defaultPolicy: changedPolicy }),
    });
    expect(patched.status).toBe(200);

    expect((await running.stop('SIGTERM')).code).toBe(0);

    // A restart: the emulators come back on new ports, seeded afresh, and the syncs start over.
    const restartedAt = new Date();
    running = start(await freePort());
    const reopenMs = await running.waitUntilReady(READY_DEADLINE_MS);
    process.stdout.write(`sandbox: ready after ${reopenMs} ms (reopened database)\n`);
    const second = await sandboxConnections(running);
    // config/ is applied once the server listens: wait for its warning, then look.
    // (The log line is JSON, its quotes escaped; the banner is plain text.)
    const warning = 'was changed since the last apply (sync.updated by the admin key';
    // The banner that lists what was not applied is printed after the warning: wait for both.
    await until('the warning that config/ kept the changed sync', () =>
      Promise.resolve(
        running?.output().includes(warning) === true &&
          running.output().includes('NOT applied: syncs/')
          ? true
          : undefined,
      ),
    );
    const kept = await api<{ defaultPolicy: string }>(running, `/syncs/${sync.id}`);
    expect(kept.defaultPolicy).toBe(changedPolicy);
    expect(running.output()).toContain(`NOT applied: syncs/`);
    expect(running.output()).toContain(`(the sync "${sync.name}" was changed since the last apply`);
    expect(second.hubspot.id).toBe(first.hubspot.id);
    expect(second.salesforce.id).toBe(first.salesforce.id);
    expect(second.hubspot.settings['baseUrl']).not.toBe(hubspotUrl);
    expect(second.salesforce.settings['instanceUrl']).not.toBe(salesforceUrl);
    const hubspotAgain = await hubspotGet(
      String(second.hubspot.settings['baseUrl']),
      '/crm/v3/objects/contacts?limit=1',
    );
    expect(hubspotAgain.status).toBe(200);

    const again = await completedRun(
      running,
      sync.id,
      restartedAt,
      Date.now() + FIRST_RUN_DEADLINE_MS,
    );
    process.stdout.write(`sandbox: run after the restart: ${JSON.stringify(again.counters)}\n`);
    // Reset at start: the links to the previous emulators' records are gone, so the run matched
    // by email again and re-created the one-side-only people in the fresh emulators.
    expect(again.counters.created).toBeGreaterThan(1000);
    const failedAgain = await api<{ items: Array<{ firstFailedAt: string }> }>(
      running,
      `/syncs/${sync.id}/failed-records?limit=100`,
    );
    for (const record of failedAgain.items)
      expect(Date.parse(record.firstFailedAt)).toBeGreaterThanOrEqual(restartedAt.getTime());

    // Activity is on by default: people sign up in the emulators every few seconds.
    const signups = await until('a contact created by the simulated activity', async () => {
      const { records } = await salesforceQuery(
        String(second.salesforce.settings['instanceUrl']),
        "SELECT Id FROM Contact WHERE Email LIKE '%@signups.example.com'",
      );
      const found = await hubspotSearchTotal(
        String(second.hubspot.settings['baseUrl']),
        'signups.example.com',
      );
      return records.length + found > 0 ? records.length + found : undefined;
    });
    expect(signups).toBeGreaterThan(0);

    expect((await running.stop('SIGTERM')).code).toBe(0);
  }, 300_000);
});

/** Polls `probe` until it resolves a value (a thrown error counts as not yet) within 60 s. */
async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 60_000;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out waiting for ${what}: ${last instanceof Error ? last.message : String(last)}`,
      );
    await sleep(500);
  }
}

/** A call to the HubSpot emulator, waiting out its rate limit (the sandbox's runs share it). */
async function hubspotGet(
  baseUrl: string,
  path: string,
  init: RequestInit = {},
): Promise<Response> {
  for (;;) {
    const res = await fetch(`${baseUrl}${path}`, {
      ...init,
      headers: {
        authorization: 'Bearer pat-emulator',
        'content-type': 'application/json',
      },
    });
    if (res.status !== 429) return res;
    await sleep(1000);
  }
}

async function hubspotSearchTotal(baseUrl: string, emailToken: string): Promise<number> {
  const res = await hubspotGet(baseUrl, '/crm/v3/objects/contacts/search', {
    method: 'POST',
    body: JSON.stringify({
      filterGroups: [
        { filters: [{ propertyName: 'email', operator: 'CONTAINS_TOKEN', value: emailToken }] },
      ],
      limit: 1,
    }),
  });
  if (res.status !== 200) throw new Error(`HubSpot search: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { total: number }).total;
}

async function hubspotContacts(
  baseUrl: string,
  properties: string[],
): Promise<Array<{ id: string; properties: Record<string, string | null> }>> {
  const all: Array<{ id: string; properties: Record<string, string | null> }> = [];
  let after: string | undefined;
  do {
    const res = await hubspotGet(
      baseUrl,
      `/crm/v3/objects/contacts?limit=100&properties=${properties.join(',')}${after === undefined ? '' : `&after=${after}`}`,
    );
    if (res.status !== 200) throw new Error(`HubSpot list: ${res.status} ${await res.text()}`);
    const page = (await res.json()) as {
      results: Array<{ id: string; properties: Record<string, string | null> }>;
      paging?: { next?: { after: string } };
    };
    all.push(...page.results);
    after = page.paging?.next?.after;
  } while (after !== undefined);
  return all;
}

/** A SOQL query on the Salesforce emulator, every batch, with a session from its OAuth app. */
async function salesforceQuery(
  instanceUrl: string,
  soql: string,
): Promise<{ records: Array<Record<string, unknown>> }> {
  const token = await fetch(`${instanceUrl}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: SALESFORCE_APP.refreshToken,
      client_id: SALESFORCE_APP.clientId,
      client_secret: SALESFORCE_APP.clientSecret,
    }),
  });
  if (token.status !== 200) throw new Error(`Salesforce token: ${token.status}`);
  const { access_token: accessToken } = (await token.json()) as { access_token: string };
  const records: Array<Record<string, unknown>> = [];
  let next: string | undefined =
    `/services/data/${SALESFORCE_VERSION}/query?q=${encodeURIComponent(soql)}`;
  while (next !== undefined) {
    const res = await fetch(`${instanceUrl}${next}`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    if (res.status !== 200) throw new Error(`Salesforce query: ${res.status} ${await res.text()}`);
    const batch = (await res.json()) as {
      records: Array<Record<string, unknown>>;
      nextRecordsUrl?: string;
    };
    records.push(...batch.records);
    next = batch.nextRecordsUrl;
  }
  return { records };
}

function blank(value: unknown): boolean {
  return value === null || value === undefined || value === '';
}

/** A value as text for comparison: trimmed; multi-values sorted; emails case-insensitive. */
function canonical(value: unknown, email: boolean): string {
  if (blank(value)) return '';
  const text =
    typeof value === 'string' ? value.trim() : JSON.stringify(value).replace(/^"|"$/g, '');
  const sorted = text.includes(';') ? text.split(';').sort().join(';') : text;
  return email ? sorted.toLowerCase() : sorted;
}

/** `value` through the steps the test knows (value maps and case/trim formats); undefined: unknown step. */
function transformed(value: unknown, steps: Transform[]): unknown {
  let current = value;
  for (const step of steps) {
    if (step.kind === 'value_map' && step.map !== undefined) {
      const map = step.map;
      if (typeof current === 'string')
        current = current
          .split(';')
          .map((item) => map[item] ?? item)
          .join(';');
    } else if (step.kind === 'format' && typeof current === 'string') {
      if (step.fn === 'lowercase') current = current.toLowerCase();
      else if (step.fn === 'uppercase') current = current.toUpperCase();
      else if (step.fn === 'trim') current = current.trim();
      else return undefined;
    } else return undefined;
  }
  return current;
}

/**
 * Compares the contacts on both sides by email on the sync's mapped fields (those the test can
 * evaluate), leaving out the records a run failed to write and the fields in conflict.
 */
async function compareStores(
  hubspotUrl: string,
  salesforceUrl: string,
  sync: Sync,
  skip: { failedIds: Set<string>; conflicts: Set<string> },
): Promise<{ pairs: number; fields: string[]; differences: string[] }> {
  const mappings = sync.mappings.filter(
    (m) =>
      m.direction !== 'none' &&
      (m.transforms?.leftToRight ?? []).every((t) => transformed('x', [t]) !== undefined),
  );
  const hubspot = await hubspotContacts(
    hubspotUrl,
    mappings.map((m) => m.left),
  );
  const { records } = await salesforceQuery(
    salesforceUrl,
    `SELECT Id, ${[...new Set(mappings.map((m) => m.right))].join(', ')} FROM Contact`,
  );
  const salesforce = new Map<string, Record<string, unknown>>();
  for (const record of records) salesforce.set(canonical(record[sync.match.right], true), record);

  let pairs = 0;
  const differences: string[] = [];
  for (const contact of hubspot) {
    const other = salesforce.get(canonical(contact.properties[sync.match.left], true));
    if (other === undefined) continue;
    const otherId = String(other['Id']);
    if (skip.failedIds.has(`left:${contact.id}`) || skip.failedIds.has(`right:${otherId}`))
      continue;
    pairs++;
    for (const mapping of mappings) {
      if (skip.conflicts.has(`${contact.id}:${mapping.left}`)) continue;
      const left = contact.properties[mapping.left];
      const right = other[mapping.right];
      if (mapping.skipNulls === true && (blank(left) || blank(right))) continue;
      if (mapping.fillEmptyOnly === true) continue;
      const email = mapping.left === sync.match.left;
      const expected = canonical(transformed(left, mapping.transforms?.leftToRight ?? []), email);
      if (expected !== canonical(right, email))
        differences.push(
          `${contact.properties[sync.match.left] ?? contact.id}: ${mapping.left}=${JSON.stringify(left)} but ${mapping.right}=${JSON.stringify(right)}`,
        );
    }
  }
  return {
    pairs,
    fields: mappings.map((m) => `${m.left}/${m.right}`),
    differences: differences.slice(0, 20),
  };
}
