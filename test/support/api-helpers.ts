/** Small helpers the API end-to-end tests share: memory connections, syncs, keys, runs. */
import { memoryBackendNamed } from '../../connectors/memory';
import type { FieldDescriptor } from '../../connectors/sdk/contract';
import type { TestApp } from './app';

export interface ErrorBody {
  error: { code: string; message: string; details: Array<{ path: string; problem: string }> };
}

export interface RunBody {
  id: string;
  syncId: string;
  status: string;
  trigger: string;
  counters: {
    read: number;
    created: number;
    updated: number;
    conflicts: number;
    failed: number;
    apiCalls: { left: number; right: number };
  };
}

export async function json<T>(response: Response | Promise<Response>): Promise<T> {
  return (await (await response).json()) as T;
}

export async function memoryConnection(app: TestApp, name: string, store: string): Promise<string> {
  const res = await app.request('/api/v1/connections', {
    method: 'POST',
    body: JSON.stringify({ name, kind: 'memory', settings: { store } }),
  });
  if (res.status !== 201) throw new Error(`connection ${name}: ${res.status} ${await res.text()}`);
  return (await json<{ id: string }>(res)).id;
}

export async function createSync(app: TestApp, body: Record<string, unknown>): Promise<string> {
  const res = await app.request('/api/v1/syncs', { method: 'POST', body: JSON.stringify(body) });
  if (res.status !== 201) throw new Error(`sync: ${res.status} ${await res.text()}`);
  return (await json<{ id: string }>(res)).id;
}

export async function apiKey(app: TestApp, role: string): Promise<string> {
  const res = await app.request('/api/v1/api-keys', {
    method: 'POST',
    body: JSON.stringify({ name: `${role}-${Math.random().toString(36).slice(2)}`, role }),
  });
  return (await json<{ key: string }>(res)).key;
}

/**
 * Polls the run (with `key`, default the admin key) until it is no longer queued or running, for
 * at most `timeoutMs` (30 s).
 */
export async function waitForRun(
  app: TestApp,
  id: string,
  key?: string,
  timeoutMs = 30_000,
): Promise<RunBody> {
  const started = Date.now();
  const deadline = started + timeoutMs;
  for (;;) {
    const run = await json<RunBody>(app.request(`/api/v1/runs/${id}`, { key }));
    if (run.status !== 'running' && run.status !== 'queued') return run;
    if (Date.now() > deadline) throw new Error(`run ${id} still ${run.status}`);
    // A long run is polled less often: the API allows a key 600 calls a minute.
    const pause = Date.now() - started < 5_000 ? 50 : 500;
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}

/** Triggers a run and waits for its end (at most `timeoutMs`, 30 s). */
export async function runSyncNow(
  app: TestApp,
  syncId: string,
  body?: { fullRefresh?: boolean },
  timeoutMs?: number,
): Promise<RunBody> {
  const res = await app.request(`/api/v1/syncs/${syncId}/runs`, {
    method: 'POST',
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (res.status !== 202) throw new Error(`trigger: ${res.status} ${await res.text()}`);
  return waitForRun(app, (await json<RunBody>(res)).id, undefined, timeoutMs);
}

/** A field of a memory object, as discover() describes it. */
export function field(
  name: string,
  type: FieldDescriptor['type'],
  extra: Partial<FieldDescriptor> = {},
): FieldDescriptor {
  return {
    name,
    label: name,
    type,
    required: false,
    readOnly: false,
    unique: false,
    externalId: false,
    ...extra,
  };
}

/**
 * Creates, through the API, a sync of memory `contacts` (email, firstname) with memory `Contact`s
 * (Email, FirstName) on two new connections to the named stores, matched by email. The mappings
 * follow the sync's direction; `overrides` replaces any part of the body.
 */
export async function createMemoryContactsSync(
  app: TestApp,
  stores: { left: string; right: string },
  overrides: Record<string, unknown> & { name: string; direction: string },
): Promise<string> {
  const way = overrides.direction === 'bidirectional' ? 'both' : overrides.direction;
  return createSync(app, {
    left: {
      connectionId: await memoryConnection(app, `${overrides.name} L`, stores.left),
      object: 'contacts',
      writeMode: 'upsert',
    },
    right: {
      connectionId: await memoryConnection(app, `${overrides.name} R`, stores.right),
      object: 'Contact',
      writeMode: 'upsert',
    },
    match: { left: 'email', right: 'Email', normalizer: 'email' },
    mappings: [
      { left: 'email', right: 'Email', direction: way },
      { left: 'firstname', right: 'FirstName', direction: way },
    ],
    defaultPolicy: 'left_wins',
    ...overrides,
  });
}

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns a value; fails naming `what` after `ms`. */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  ms = 20_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

/** The body of a sandbox connection to a Salesforce emulator, with its OAuth app. */
/** Creates a sandbox connection (to an emulator) and returns its id; fails the test otherwise. */
export async function sandboxConnection(
  app: TestApp,
  body: Record<string, unknown>,
): Promise<string> {
  const res = await app.request('/api/v1/connections', {
    method: 'POST',
    body: JSON.stringify({ sandbox: true, ...body }),
  });
  if (res.status !== 201) throw new Error(`connection: ${res.status} ${await res.text()}`);
  return (await json<{ id: string }>(res)).id;
}

/** The body of a sandbox connection to a HubSpot emulator (its private-app token). */
export function hubspotConnectionBody(
  name: string,
  hubspot: { url: string },
): Record<string, unknown> {
  return {
    name,
    kind: 'hubspot',
    settings: { baseUrl: hubspot.url },
    secrets: { accessToken: 'pat-emulator' },
  };
}

export function salesforceConnectionBody(
  name: string,
  salesforce: {
    url: string;
    accessToken: string;
    auth: { refreshToken: string; clientId: string; clientSecret: string };
  },
): Record<string, unknown> {
  return {
    name,
    kind: 'salesforce',
    sandbox: true,
    settings: { instanceUrl: salesforce.url, loginUrl: salesforce.url },
    secrets: {
      accessToken: salesforce.accessToken,
      refreshToken: salesforce.auth.refreshToken,
      clientId: salesforce.auth.clientId,
      clientSecret: salesforce.auth.clientSecret,
    },
  };
}

/**
 * Discovers the sync's connections again (`?refresh=true`), as a user does after changing a
 * vendor's fields: a sync's save reads discovery, which is then cached for a few minutes.
 */
export async function rediscover(app: TestApp, syncId: string): Promise<void> {
  const sync = await json<{ left: { connectionId: string }; right: { connectionId: string } }>(
    app.request(`/api/v1/syncs/${syncId}`),
  );
  for (const { connectionId } of [sync.left, sync.right]) {
    const res = await app.request(`/api/v1/connections/${connectionId}/objects?refresh=true`);
    if (res.status !== 200) throw new Error(`rediscover: ${res.status} ${await res.text()}`);
  }
}

/**
 * A two-way memory contacts sync with `manual` policies and two open conflicts: Ann and Bob are
 * linked, then each side changes their first names differently. Returns the sync and the ids.
 */
export async function createTwoConflicts(
  app: TestApp,
  stores: { left: string; right: string },
  name: string,
): Promise<{ syncId: string; ids: { annL: string; annR: string; bobL: string; bobR: string } }> {
  const left = memoryBackendNamed(stores.left);
  const right = memoryBackendNamed(stores.right);
  const [annL, bobL] = left.seed('contacts', [
    { fields: { email: 'ann@example.com', firstname: 'Ann' } },
    { fields: { email: 'bob@example.com', firstname: 'Bob' } },
  ]);
  const [annR, bobR] = right.seed('Contact', [
    { fields: { Email: 'ann@example.com', FirstName: 'Ann' } },
    { fields: { Email: 'bob@example.com', FirstName: 'Bob' } },
  ]);
  const ids = { annL: annL.id, annR: annR.id, bobL: bobL.id, bobR: bobR.id };
  const syncId = await createMemoryContactsSync(app, stores, {
    name,
    direction: 'bidirectional',
    defaultPolicy: 'manual',
  });
  // Links the pairs (equal values), then both sides change the first names differently.
  const linked = await runSyncNow(app, syncId);
  if (linked.status !== 'succeeded') throw new Error(`linking run ${linked.status}`);
  left.update('contacts', ids.annL, { firstname: 'Ann (HubSpot)' });
  right.update('Contact', ids.annR, { FirstName: 'Ann (Salesforce)' });
  left.update('contacts', ids.bobL, { firstname: 'Bob (HubSpot)' });
  right.update('Contact', ids.bobR, { FirstName: 'Bob (Salesforce)' });
  const run = await runSyncNow(app, syncId);
  if (run.counters.conflicts !== 2)
    throw new Error(`expected 2 conflicts, the run found ${String(run.counters.conflicts)}`);
  return { syncId, ids };
}

/** The memory store refuses every write of one record (retryable); returns what lifts it. */
export function refuseWritesOf(store: string, recordId: string, message: string): () => void {
  return memoryBackendNamed(store).faults.rejectRecords((op) =>
    op.id === recordId ? { code: 'invalid_value', message, retryable: true } : undefined,
  );
}

/**
 * The body of an events sync of Salesforce opportunities: by default those Closed Won, each an
 * event keyed `opportunity-{Id}-won` at its close date, the buyer known by `Contact_Email__c`, the
 * amount as `value`.
 */
export function opportunityEventsBody(options: {
  name: string;
  salesforceId: string;
  right: Record<string, unknown>;
  condition?: { field: string; op: string; value: unknown };
  identifiers?: Record<string, string>;
  key?: string;
  mappings?: Record<string, unknown>[];
}): Record<string, unknown> {
  return {
    name: options.name,
    kind: 'events',
    left: {
      connectionId: options.salesforceId,
      object: 'Opportunity',
      filter: {
        combine: 'all',
        conditions: [options.condition ?? { field: 'StageName', op: 'eq', value: 'Closed Won' }],
      },
    },
    right: options.right,
    identifiers: options.identifiers ?? { email: 'Contact_Email__c' },
    events: { key: options.key ?? 'opportunity-{Id}-won', occurredAt: 'CloseDate' },
    mappings: options.mappings ?? [{ left: 'Amount', right: 'value', direction: 'left_to_right' }],
  };
}
