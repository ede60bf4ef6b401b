/**
 * The Mailchimp connector's contract harnesses: an emulator with one audience and the connector on
 * one auto-advancing fake clock (waits and retries take no real time), with the test API key.
 */
import { FakeClock } from '../sdk/clock';
import type { ConnectorRecord, Fields, Identifiers } from '../sdk/contract';
import type {
  AudienceHarness,
  ContractFault,
  ContractHarness,
  ContractOperation,
} from '../sdk/testing/contract-kit';
import { kitKey, kitPeople } from '../sdk/testing/audience-cases';
import { openForTest } from '../sdk/testing/open';
import { type MailchimpConnector, mailchimpConnector } from './connector';
import {
  type MailchimpEmulator,
  type MailchimpEmulatorOptions,
  type StoredList,
  type StoredMember,
  TEST_API_KEY,
  memberJson,
  startMailchimpEmulator,
} from './emulator';
import type { CallInfo } from './emulator/faults';
import { asRecord } from './read';
import type { RawMember } from './schema';

export interface MailchimpHarness extends ContractHarness {
  connector: MailchimpConnector;
  emulator: MailchimpEmulator;
  audience: StoredList;
  clock: FakeClock;
}

export interface MailchimpHarnessOptions {
  clock?: FakeClock;
  emulator?: MailchimpEmulatorOptions;
  settings?: Record<string, unknown>;
  secrets?: Record<string, string>;
}

export async function connectToMailchimp(options: MailchimpHarnessOptions = {}): Promise<{
  clock: FakeClock;
  emulator: MailchimpEmulator;
  audience: StoredList;
  connector: MailchimpConnector;
}> {
  const clock = options.clock ?? new FakeClock({ autoAdvance: true });
  const emulator = await startMailchimpEmulator({ clock, ...options.emulator });
  // Long enough to outlast the connector's 500 ms timeout, short enough to close quickly.
  emulator.faults.hangMs = 1_000;
  const audience = emulator.store.createList('Newsletter');
  const connector = openForTest(mailchimpConnector, {
    settings: { audienceId: audience.id, apiUrl: emulator.url, ...options.settings },
    secrets: options.secrets ?? { apiKey: TEST_API_KEY },
    clock,
    calls: { timeoutMs: 500 },
  });
  return { clock, emulator, audience, connector };
}

/** A stored member as the kit compares it: through the same conversion as the connector's reads. */
export function storedRecord(
  emulator: MailchimpEmulator,
  audience: StoredList,
  member: StoredMember,
): ConnectorRecord {
  return asRecord(memberJson(emulator.store, audience, member) as unknown as RawMember);
}

function matcher(
  operation: ContractOperation | undefined,
): ((call: CallInfo) => boolean) | undefined {
  switch (operation) {
    case undefined:
      return undefined;
    case 'read':
      return (call) => call.method === 'GET' && call.path.endsWith('/members');
    case 'write':
      return (call) => call.method === 'POST' && /\/lists\/[^/]+$/.test(call.path);
    case 'lookup':
    case 'get':
      return (call) => call.method === 'GET' && /\/members\/[^/]+$/.test(call.path);
    default: {
      const unreachable: never = operation;
      return unreachable;
    }
  }
}

/** The kit's fault, as Mailchimp would answer it. */
function injectFault(
  emulator: MailchimpEmulator,
  kind: ContractFault,
  faultOptions: { retryAfterMs?: number; operation?: ContractOperation },
): void {
  const match = matcher(faultOptions.operation);
  const scope = match === undefined ? {} : { match };
  switch (kind) {
    case 'rate_limited':
      // The 429s go on for as long as the kit asks, and say so where the kit names a wait.
      emulator.faults.next('rate_limited', {
        ...scope,
        forMs: faultOptions.retryAfterMs ?? 0,
        ...(faultOptions.retryAfterMs === undefined
          ? {}
          : { retryAfterS: Math.ceil(faultOptions.retryAfterMs / 1000) }),
      });
      break;
    case 'server_error':
      emulator.faults.next('server_error', scope);
      break;
    case 'auth_expired':
      // Mailchimp's keys and tokens do not expire: the nearest is a key revoked.
      emulator.faults.next('key_revoked', scope);
      break;
    case 'timeout':
      emulator.faults.next('timeout', scope);
      break;
    default: {
      const unreachable: never = kind;
      throw new Error(`unknown fault ${String(unreachable)}`);
    }
  }
}

export async function createMailchimpHarness(
  options: MailchimpHarnessOptions = {},
): Promise<MailchimpHarness> {
  const { clock, emulator, audience, connector } = await connectToMailchimp(options);
  // Subdomains of example.com: Mailchimp refuses example.com itself as fake.
  const newFields = (tag: string): Fields => ({
    email_address: `${tag}@kit.example.com`,
    FNAME: tag,
    status: 'subscribed',
  });
  let seeded = 0;
  const members = () =>
    [...audience.members.values()].filter((member) => member.status !== 'archived');
  return {
    connector,
    emulator,
    audience,
    clock,
    object: 'members',
    keyField: 'email_address',
    textField: 'FNAME',
    pageSize: 10,
    missingId: 'ffffffffffffffffffffffffffffffff',
    capabilities: {
      deletes: false,
      writeModes: ['create', 'update', 'upsert', 'delete'],
      tokenRefresh: false,
    },
    advanceTime: (ms) => clock.advance(ms),
    newFields,
    seed: async (count, seedOptions = {}) => {
      const records: ConnectorRecord[] = [];
      for (let i = 0; i < count; i++) {
        const tag = `seed-${String(++seeded)}`;
        const member = emulator.store.addMember(audience, `${tag}@kit.example.com`, {
          merge_fields: { FNAME: tag },
        });
        records.push(storedRecord(emulator, audience, member));
        // Mailchimp's stamps are whole seconds: a second apart, or all in one.
        if (seedOptions.sameUpdatedAt !== true) await clock.advance(1_000);
      }
      return records;
    },
    storeRecords: () =>
      Promise.resolve(members().map((member) => storedRecord(emulator, audience, member))),
    updateInVendor: (id, fields) => {
      const member = audience.members.get(id);
      if (member === undefined) throw new Error(`no member ${id}`);
      emulator.store.changeMember(member, { merge_fields: fields as Record<string, string> });
      return Promise.resolve();
    },
    deleteInVendor: (id) => {
      const member = audience.members.get(id);
      if (member !== undefined) emulator.store.archive(member);
      return Promise.resolve();
    },
    injectFault: (kind, faultOptions = {}) => {
      injectFault(emulator, kind, faultOptions);
      return Promise.resolve();
    },
    rejectWrites: (predicate) => {
      emulator.faults.reject((input) => {
        const merges = (input.merge_fields ?? {}) as Fields;
        const fields: Fields = { ...merges };
        if (typeof input.email_address === 'string') fields.email_address = input.email_address;
        return predicate({ fields })
          ? { field: 'FNAME', message: 'Rejected by the test' }
          : undefined;
      });
      return Promise.resolve({ code: 'invalid_value', retryable: false });
    },
    refreshCount: () => 0,
    close: () => emulator.close(),
  };
}

/** Tags of the emulator's audience: a tag to change, a saved segment that cannot be. */
export async function createMailchimpAudienceHarness(): Promise<
  AudienceHarness & { emulator: MailchimpEmulator }
> {
  const { emulator, audience, connector } = await connectToMailchimp();
  for (const email of kitPeople(connector.limits.maxBatch.members ?? 1))
    emulator.store.addMember(audience, email);
  const tag = emulator.store.createSegment(audience, 'Customers', 'static');
  const saved = emulator.store.createSegment(audience, 'Engaged last 30 days', 'saved');
  return {
    connector,
    emulator,
    writable: String(tag.id),
    readOnly: String(saved.id),
    heldMembers: (id) => {
      const held = new Map<string, Identifiers>();
      for (const hash of audience.segments.get(Number(id))?.members ?? []) {
        const email = audience.members.get(hash)?.email_address;
        if (email !== undefined) held.set(kitKey(email), { email });
      }
      return Promise.resolve(held);
    },
    injectFault: (fault) => {
      emulator.faults.next(fault === 'rate_limited' ? 'rate_limited' : 'server_error');
      return Promise.resolve();
    },
    close: () => emulator.close(),
  };
}
