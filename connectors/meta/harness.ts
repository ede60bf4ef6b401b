/**
 * The Meta connector on its emulator, as the contract kit's event and audience suites use it: a
 * pixel that receives conversions, a customer file audience to change and a website audience that
 * cannot be, with faults and per-event refusals.
 */
import { FakeClock } from '../sdk/clock';
import type { Identifiers } from '../sdk/contract';
import { kitKeysByEmailHash } from '../sdk/testing/audience-cases';
import type { AudienceHarness, EventHarness } from '../sdk/testing/destination-harness';
import { openForTest } from '../sdk/testing/open';
import { type MetaConnector, metaConnector } from './connector';
import { type MetaEmulator, TEST_ACCESS_TOKEN, startMetaEmulator } from './emulator';

export interface MetaSetup {
  clock: FakeClock;
  emulator: MetaEmulator;
  connector: MetaConnector;
  accountId: string;
  pixelId: string;
}

export async function connectToMeta(
  options: { settings?: Record<string, unknown>; clock?: FakeClock } = {},
): Promise<MetaSetup> {
  const clock =
    options.clock ?? new FakeClock({ autoAdvance: true, start: '2026-11-01T13:00:00Z' });
  const emulator = await startMetaEmulator({ clock });
  emulator.faults.hangMs = 1_000;
  const account = emulator.store.createAccount('Acme Ads');
  const pixel = emulator.store.createPixel('Acme CRM dataset');
  const connector = openForTest(metaConnector, {
    settings: {
      adAccountId: `act_${account.id}`,
      pixelId: pixel.id,
      baseUrl: emulator.url,
      ...options.settings,
    },
    secrets: { accessToken: TEST_ACCESS_TOKEN },
    clock,
    // Batches of thousands take a while on a loaded machine.
    calls: { timeoutMs: 10_000 },
  });
  return { clock, emulator, connector, accountId: account.id, pixelId: pixel.id };
}

/** A held server event's identifiers, named as the contract names them. */
function identifiersOf(userData: Record<string, unknown>): Identifiers {
  const first = (name: string): string | undefined => {
    const value = userData[name];
    return Array.isArray(value) && typeof value[0] === 'string' ? value[0] : undefined;
  };
  const identifiers: Identifiers = {};
  for (const [type, name] of [
    ['email', 'em'],
    ['phone', 'ph'],
    ['first_name', 'fn'],
    ['last_name', 'ln'],
    ['zip', 'zp'],
    ['country', 'country'],
  ] as const) {
    const value = first(name);
    if (value !== undefined) identifiers[type] = value;
  }
  return identifiers;
}

export async function createMetaEventHarness(): Promise<EventHarness & { emulator: MetaEmulator }> {
  const { emulator, connector, pixelId } = await connectToMeta();
  return {
    connector,
    emulator,
    object: 'Purchase',
    eventFields: { value: 120, currency: 'USD' },
    dedupesSilently: true,
    heldEvents: () => {
      const held = new Map<
        string,
        { occurredAt: string; identifiers: Identifiers; fields: Record<string, never> }
      >();
      for (const event of emulator.store.pixels.get(pixelId)?.events ?? [])
        held.set(event.eventId ?? '', {
          occurredAt: new Date(event.eventTime * 1000).toISOString(),
          identifiers: identifiersOf(event.userData),
          fields: event.customData as Record<string, never>,
        });
      return Promise.resolve(held);
    },
    injectFault: (fault) => {
      emulator.faults.next(fault);
      return Promise.resolve();
    },
    rejectEvents: (predicate) => {
      emulator.faults.reject((event) =>
        predicate(String(event.event_id)) ? 'the test refuses this event' : undefined,
      );
      return Promise.resolve({ code: 'invalid_value', retryable: false });
    },
    close: () => emulator.close(),
  };
}

export async function createMetaAudienceHarness(): Promise<
  AudienceHarness & { emulator: MetaEmulator }
> {
  const { emulator, connector, accountId } = await connectToMeta();
  const writable = emulator.store.createAudience(accountId, 'Customers');
  const website = emulator.store.createAudience(accountId, 'Site visitors', { subtype: 'WEBSITE' });
  // Meta keeps hashes only: the kit's people by the hash of their email.
  const byHash = kitKeysByEmailHash(connector.limits.maxBatch.members ?? 1);
  return {
    connector,
    emulator,
    writable: writable.id,
    readOnly: website.id,
    heldMembers: (id) => {
      const held = new Map<string, Identifiers>();
      for (const row of emulator.store.audiences.get(id)?.members.all() ?? [])
        if (row.EMAIL !== undefined)
          held.set(byHash.get(row.EMAIL) ?? row.EMAIL, { email: row.EMAIL });
      return Promise.resolve(held);
    },
    injectFault: (fault) => {
      emulator.faults.next(fault);
      return Promise.resolve();
    },
    close: () => emulator.close(),
  };
}
