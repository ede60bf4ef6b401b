/**
 * The LinkedIn connector on its emulator, as the contract kit's event and audience suites use it:
 * a conversion rule, a USER segment to change and a COMPANY segment that cannot take people, with
 * faults and per-event refusals.
 */
import { FakeClock } from '../sdk/clock';
import type { Identifiers } from '../sdk/contract';
import { kitKeysByEmailHash } from '../sdk/testing/audience-cases';
import type { AudienceHarness, EventHarness } from '../sdk/testing/destination-harness';
import { openForTest } from '../sdk/testing/open';
import { type LinkedInConnector, linkedinConnector } from './connector';
import { type LinkedInEmulator, TEST_ACCESS_TOKEN, startLinkedInEmulator } from './emulator';

export interface LinkedInSetup {
  clock: FakeClock;
  emulator: LinkedInEmulator;
  connector: LinkedInConnector;
  accountId: string;
}

export async function connectToLinkedIn(
  options: { settings?: Record<string, unknown> } = {},
): Promise<LinkedInSetup> {
  const clock = new FakeClock({ autoAdvance: true, start: '2026-11-01T13:00:00Z' });
  const emulator = await startLinkedInEmulator({ clock });
  emulator.faults.hangMs = 1_000;
  const account = emulator.store.createAccount('Acme B2B');
  const connector = openForTest(linkedinConnector, {
    settings: { adAccountId: account.id, baseUrl: emulator.url, ...options.settings },
    secrets: { accessToken: TEST_ACCESS_TOKEN },
    clock,
    // Batches of thousands take a while on a loaded machine.
    calls: { timeoutMs: 10_000 },
  });
  return { clock, emulator, connector, accountId: account.id };
}

function identifiersOf(userIds: { idType: string; idValue: string }[]): Identifiers {
  const email = userIds.find((id) => id.idType === 'SHA256_EMAIL')?.idValue;
  return email === undefined ? {} : { email };
}

export async function createLinkedInEventHarness(): Promise<
  EventHarness & { emulator: LinkedInEmulator }
> {
  const { emulator, connector, accountId } = await connectToLinkedIn();
  const rule = emulator.store.createRule(accountId, 'Closed won');
  return {
    connector,
    emulator,
    object: rule.id,
    eventFields: { value: 120, currency: 'USD' },
    dedupesSilently: true,
    heldEvents: () =>
      Promise.resolve(
        new Map(
          rule.events.map((event) => [
            event.eventId ?? '',
            {
              occurredAt: new Date(event.happenedAt).toISOString(),
              identifiers: identifiersOf(event.userIds),
              fields: {},
            },
          ]),
        ),
      ),
    injectFault: (fault) => {
      emulator.faults.next(fault);
      return Promise.resolve();
    },
    rejectEvents: (predicate) => {
      emulator.faults.reject((element) => {
        const eventId = (element as { eventId?: unknown } | null)?.eventId;
        return predicate(String(eventId)) ? 'the test refuses this event' : undefined;
      });
      return Promise.resolve({ code: 'invalid_value', retryable: false });
    },
    close: () => emulator.close(),
  };
}

export async function createLinkedInAudienceHarness(): Promise<
  AudienceHarness & { emulator: LinkedInEmulator }
> {
  const { emulator, connector, accountId } = await connectToLinkedIn();
  const people = emulator.store.createSegment(accountId, 'Open pipeline');
  const companies = emulator.store.createSegment(accountId, 'Target accounts', { type: 'COMPANY' });
  const byHash = kitKeysByEmailHash(connector.limits.maxBatch.members ?? 1);
  return {
    connector,
    emulator,
    writable: people.id,
    readOnly: companies.id,
    heldMembers: (id) => {
      const held = new Map<string, Identifiers>();
      for (const user of emulator.store.segments.get(id)?.users.values() ?? []) {
        const email = identifiersOf(user.userIds).email;
        if (email !== undefined) held.set(byHash.get(email) ?? email, { email });
      }
      return Promise.resolve(held);
    },
    injectFault: (fault) => {
      emulator.faults.next(fault);
      return Promise.resolve();
    },
    close: () => emulator.close(),
  };
}
