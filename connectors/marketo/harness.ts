/**
 * The Marketo connector's contract harnesses: an emulator and the connector on one auto-advancing
 * fake clock (rate-limit waits and retries take no real time), with the test custom service.
 */
import { FakeClock } from '../sdk/clock';
import type { ConnectorRecord, Fields, Identifiers } from '../sdk/contract';
import type {
  AudienceHarness,
  ContractHarness,
  ContractOperation,
} from '../sdk/testing/contract-kit';
import { kitKey } from '../sdk/testing/audience-cases';
import { openForTest } from '../sdk/testing/open';
import { type MarketoConnector, marketoConnector } from './connector';
import {
  type MarketoEmulator,
  type MarketoEmulatorOptions,
  type StoredLead,
  TEST_SERVICE,
  marketoDateTime,
  startMarketoEmulator,
} from './emulator';
import type { CallInfo } from './emulator/faults';

export interface MarketoHarness extends ContractHarness {
  connector: MarketoConnector;
  emulator: MarketoEmulator;
  clock: FakeClock;
}

export interface MarketoHarnessOptions {
  clock?: FakeClock;
  emulator?: MarketoEmulatorOptions;
  settings?: Record<string, unknown>;
}

export async function connectToMarketo(options: MarketoHarnessOptions = {}): Promise<{
  clock: FakeClock;
  emulator: MarketoEmulator;
  connector: MarketoConnector;
}> {
  const clock = options.clock ?? new FakeClock({ autoAdvance: true });
  const emulator = await startMarketoEmulator({ clock, ...options.emulator });
  // Long enough to outlast the connector's 500 ms timeout, short enough to close quickly.
  emulator.faults.hangMs = 1_000;
  const connector = openForTest(marketoConnector, {
    settings: { instanceUrl: `${emulator.url}/rest`, ...options.settings },
    secrets: { clientId: TEST_SERVICE.clientId, clientSecret: TEST_SERVICE.clientSecret },
    clock,
    calls: { timeoutMs: 500 },
  });
  return { clock, emulator, connector };
}

/** A stored lead as the kit compares it: Marketo's values, stamps in the contract's form. */
export function asRecord(lead: StoredLead): ConnectorRecord {
  return {
    id: String(lead.id),
    updatedAt: new Date(Date.parse(marketoDateTime(lead.updatedAt))).toISOString(),
    fields: Object.fromEntries(
      Object.entries(lead.fields).map(([name, value]) => [name, value ?? null]),
    ),
  };
}

function matcher(
  operation: ContractOperation | undefined,
): ((call: CallInfo) => boolean) | undefined {
  switch (operation) {
    case undefined:
      return undefined;
    case 'read':
      return (call) => call.path.endsWith('/activities/leadchanges.json');
    case 'write':
      return (call) => call.method === 'POST' && call.path.endsWith('/leads.json');
    case 'lookup':
    case 'get':
      return (call) => call.method === 'GET' && call.path.endsWith('/rest/v1/leads.json');
    default: {
      const unreachable: never = operation;
      return unreachable;
    }
  }
}

export async function createMarketoHarness(
  options: MarketoHarnessOptions = {},
): Promise<MarketoHarness> {
  const { clock, emulator, connector } = await connectToMarketo(options);
  const newFields = (tag: string): Fields => ({ email: `${tag}@example.com`, firstName: tag });
  let seeded = 0;
  return {
    connector,
    emulator,
    clock,
    object: 'leads',
    keyField: 'email',
    textField: 'firstName',
    pageSize: 10,
    missingId: '99999999',
    capabilities: { deletes: true, writeModes: ['create', 'update', 'upsert', 'delete'] },
    advanceTime: (ms) => clock.advance(ms),
    newFields,
    seed: async (count, seedOptions = {}) => {
      const records: ConnectorRecord[] = [];
      for (let i = 0; i < count; i++) {
        records.push(
          asRecord(emulator.store.create(newFields(`seed-${++seeded}`) as Record<string, string>)),
        );
        // Marketo's stamps are whole seconds: a second apart, or all in one.
        if (seedOptions.sameUpdatedAt !== true) await clock.advance(1_000);
      }
      return records;
    },
    storeRecords: () => Promise.resolve(emulator.store.all().map(asRecord)),
    updateInVendor: (id, fields) => {
      emulator.store.update(Number(id), fields as Record<string, string | null>);
      return Promise.resolve();
    },
    deleteInVendor: (id) => {
      emulator.store.delete(Number(id));
      return Promise.resolve();
    },
    injectFault: (kind, faultOptions = {}) => {
      const match = matcher(faultOptions.operation);
      const scope = match === undefined ? {} : { match };
      switch (kind) {
        case 'rate_limited':
          // Marketo names no wait: a spent window keeps refusing for as long as the kit asks.
          emulator.faults.next('rate_limited', { ...scope, forMs: faultOptions.retryAfterMs ?? 0 });
          break;
        case 'server_error':
          emulator.faults.next('server_error', scope);
          break;
        case 'auth_expired':
          emulator.faults.next('token_expired', scope);
          break;
        case 'timeout':
          emulator.faults.next('timeout', scope);
          break;
        default: {
          const unreachable: never = kind;
          throw new Error(`unknown fault ${String(unreachable)}`);
        }
      }
      return Promise.resolve();
    },
    rejectWrites: (predicate) => {
      emulator.faults.reject((input) =>
        predicate({ fields: input })
          ? { code: '1003', message: 'Invalid data: rejected by the test' }
          : undefined,
      );
      return Promise.resolve({ code: 'invalid_value', retryable: false });
    },
    // The first grant is the connection starting, not a refresh.
    refreshCount: () => Math.max(0, emulator.identity.grants - 1),
    close: () => emulator.close(),
  };
}

/** Members of `leadIds` as the kit compares them: by key, with the email Marketo holds. */
function held(emulator: MarketoEmulator, leadIds: Iterable<number>): Map<string, Identifiers> {
  const members = new Map<string, Identifiers>();
  for (const id of leadIds) {
    const email = emulator.store.lead(id)?.fields.email;
    if (typeof email === 'string') members.set(kitKey(email), { email });
  }
  return members;
}

/**
 * Audiences on the emulator: a static list, or (`program`) the Registered status of a webinar
 * program; members as Marketo holds them.
 */
export async function createMarketoAudienceHarness(
  kind: 'list' | 'program' = 'list',
): Promise<AudienceHarness & { emulator: MarketoEmulator }> {
  const { emulator, connector } = await connectToMarketo();
  const list = emulator.store.createList('Syncline test list', 'Syncline Program');
  const program = emulator.store.createProgram('Syncline webinar', 'Webinar');
  return {
    connector,
    emulator,
    writable: kind === 'list' ? String(list.id) : `program:${String(program.id)}:Registered`,
    heldMembers: (audience) => {
      const listed = emulator.store.lists.get(Number(audience));
      if (listed !== undefined) return Promise.resolve(held(emulator, listed.members));
      const id = /^program:(\d+):/.exec(audience)?.[1];
      const members = emulator.store.programs.get(Number(id))?.members.keys() ?? [];
      return Promise.resolve(held(emulator, members));
    },
    injectFault: (fault) => {
      emulator.faults.next(fault === 'rate_limited' ? 'rate_limited' : 'server_error');
      return Promise.resolve();
    },
    close: () => emulator.close(),
  };
}
