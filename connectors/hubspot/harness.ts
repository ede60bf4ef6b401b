/**
 * The HubSpot connector's contract harness: an emulator and the connector on one auto-advancing
 * fake clock (retries and rate-limit waits take no real time), with an OAuth install so that token
 * expiry can be injected and refreshed.
 */
import { FakeClock } from '../sdk/clock';
import type { ConnectorRecord, Fields, Identifiers } from '../sdk/contract';
import type {
  AudienceHarness,
  ContractHarness,
  ContractOperation,
} from '../sdk/testing/contract-kit';
import { kitKey, kitPeople } from '../sdk/testing/audience-cases';
import { openForTest } from '../sdk/testing/open';
import { type HubSpotConnector, hubspotConnector } from './connector';
import {
  type HubSpotEmulator,
  type HubSpotEmulatorOptions,
  type StoredRecord,
  startHubSpotEmulator,
} from './emulator';
import type { CallInfo, EmulatorFaultKind } from './emulator/faults';

export interface HubSpotHarness extends ContractHarness {
  connector: HubSpotConnector;
  emulator: HubSpotEmulator;
  clock: FakeClock;
}

export const TEST_APP = { clientId: 'syncline-test', clientSecret: 'test-secret' };

export interface HubSpotHarnessOptions {
  clock?: FakeClock;
  emulator?: HubSpotEmulatorOptions;
  /** Settings of the connection beside the emulator's URL. */
  settings?: Record<string, unknown>;
}

/** A started emulator with the test OAuth app, and a connector on it. */
export async function connectToEmulator(options: HubSpotHarnessOptions = {}): Promise<{
  clock: FakeClock;
  emulator: HubSpotEmulator;
  connector: HubSpotConnector;
}> {
  const clock = options.clock ?? new FakeClock({ autoAdvance: true });
  const emulator = await startHubSpotEmulator({
    clock,
    oauthApps: [TEST_APP],
    ...options.emulator,
  });
  const tokens = emulator.auth.install(TEST_APP.clientId);
  const connector = openForTest(hubspotConnector, {
    settings: { baseUrl: emulator.url, ...options.settings },
    secrets: { ...TEST_APP, accessToken: tokens.accessToken, refreshToken: tokens.refreshToken },
    clock,
    calls: { timeoutMs: 500 },
  });
  return { clock, emulator, connector };
}

/** A stored contact as the kit compares it: wire strings, as sent. */
export function asRecord(record: StoredRecord): ConnectorRecord {
  return { id: record.id, updatedAt: record.updatedAt, fields: { ...record.properties } };
}

function matcher(
  operation: ContractOperation | undefined,
): ((call: CallInfo) => boolean) | undefined {
  switch (operation) {
    case undefined:
      return undefined;
    case 'read':
      return (call) =>
        (call.method === 'GET' && call.path === '/crm/v3/objects/contacts') ||
        call.path.endsWith('/search');
    case 'write':
      return (call) => /\/batch\/(create|update|upsert|archive)$/.test(call.path);
    case 'lookup':
      return (call) => call.path.endsWith('/batch/read') || call.path.endsWith('/search');
    case 'get':
      return (call) => call.path.endsWith('/batch/read');
    default: {
      const unreachable: never = operation;
      return unreachable;
    }
  }
}

export async function createHubSpotHarness(
  options: HubSpotHarnessOptions = {},
): Promise<HubSpotHarness> {
  const { clock, emulator, connector } = await connectToEmulator(options);
  // Long enough to outlast the connector's 500 ms timeout, short enough to close quickly.
  emulator.faults.hangMs = 1_000;
  const object = 'contacts';
  const newFields = (tag: string): Fields => ({ email: `${tag}@example.com`, firstname: tag });
  let seeded = 0;
  return {
    connector,
    emulator,
    clock,
    object,
    keyField: 'email',
    textField: 'firstname',
    pageSize: 10,
    missingId: '99999999',
    capabilities: { deletes: true, writeModes: ['create', 'update', 'upsert', 'delete'] },
    advanceTime: (ms) => clock.advance(ms),
    newFields,
    seed: async (count, seedOptions = {}) => {
      const records: ConnectorRecord[] = [];
      for (let i = 0; i < count; i++) {
        const fields = newFields(`seed-${++seeded}`) as Record<string, string>;
        records.push(asRecord(emulator.store.insert(object, fields)));
        if (seedOptions.sameUpdatedAt !== true) await clock.advance(1);
      }
      return records;
    },
    storeRecords: () => Promise.resolve(emulator.store.all(object).map(asRecord)),
    updateInVendor: (id, fields) => {
      const values: Record<string, string> = {};
      for (const [name, value] of Object.entries(fields))
        values[name] = value === null ? '' : String(value);
      emulator.store.edit(object, id, values);
      return Promise.resolve();
    },
    deleteInVendor: (id) => {
      emulator.store.archive(object, id);
      return Promise.resolve();
    },
    injectFault: (kind, faultOptions = {}) => {
      const emulated: EmulatorFaultKind = kind === 'auth_expired' ? 'token_expired' : kind;
      const match = matcher(faultOptions.operation);
      emulator.faults.next(emulated, {
        ...(match === undefined ? {} : { match }),
        ...(faultOptions.retryAfterMs === undefined
          ? {}
          : { retryAfterSeconds: faultOptions.retryAfterMs / 1000 }),
      });
      return Promise.resolve();
    },
    rejectWrites: (predicate) => {
      emulator.faults.rejectRecords((input) =>
        predicate({ fields: input.properties as Fields })
          ? {
              category: 'VALIDATION_ERROR',
              message: 'Property values were not valid: rejected by the test',
              code: 'INVALID_OPTION',
              propertyName: 'email',
            }
          : undefined,
      );
      return Promise.resolve({ code: 'invalid_value', retryable: false });
    },
    refreshCount: () => emulator.auth.refreshes,
    close: () => emulator.close(),
  };
}

/**
 * Contact lists of the emulator: a MANUAL list the kit changes and a DYNAMIC one it may not; the
 * kit's people exist as contacts first, since a list holds only existing records.
 */
export async function createHubSpotAudienceHarness(): Promise<
  AudienceHarness & { emulator: HubSpotEmulator }
> {
  const { emulator, connector } = await connectToEmulator();
  for (const email of kitPeople(connector.limits.maxBatch.members ?? 1))
    emulator.store.insert('contacts', { email });
  const manual = emulator.lists.create('Syncline test list', 'MANUAL');
  const dynamic = emulator.lists.create('Customers by filter', 'DYNAMIC', {
    filterBranchType: 'OR',
  });
  return {
    connector,
    emulator,
    writable: manual.listId,
    readOnly: dynamic.listId,
    heldMembers: (id) => {
      const held = new Map<string, Identifiers>();
      for (const recordId of emulator.lists.lists.get(id)?.members.keys() ?? []) {
        const email = emulator.store.get('contacts', recordId)?.properties.email;
        if (typeof email === 'string') held.set(kitKey(email), { email });
      }
      return Promise.resolve(held);
    },
    injectFault: (fault) => {
      emulator.faults.next(fault === 'rate_limited' ? 'rate_limited' : 'server_error', {
        match: (call) => call.path.includes('/lists/'),
      });
      return Promise.resolve();
    },
    close: () => emulator.close(),
  };
}
