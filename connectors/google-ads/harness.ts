/**
 * The Google Ads connector on its emulator, as the contract kit's event and audience suites use
 * it: a customer with an imported-clicks conversion action, a Customer Match list to change and a
 * rule-based list that cannot be, with faults and per-conversion refusals. Offline user data jobs
 * run for a minute of the fake clock, which a waiting change moves on.
 */
import { FakeClock } from '../sdk/clock';
import type { Identifiers } from '../sdk/contract';
import { kitKeysByEmailHash } from '../sdk/testing/audience-cases';
import type { AudienceHarness, EventHarness } from '../sdk/testing/destination-harness';
import { openForTest } from '../sdk/testing/open';
import { type GoogleAdsConnector, googleAdsConnector } from './connector';
import {
  type GoogleAdsEmulator,
  TEST_SECRETS,
  parseConversionDateTime,
  startGoogleAdsEmulator,
} from './emulator';

export interface GoogleAdsSetup {
  clock: FakeClock;
  emulator: GoogleAdsEmulator;
  connector: GoogleAdsConnector;
  customerId: string;
  actionId: string;
}

export const GOOGLE_ADS_SECRETS = TEST_SECRETS;

export async function connectToGoogleAds(
  options: { settings?: Record<string, unknown>; clock?: FakeClock } = {},
): Promise<GoogleAdsSetup> {
  const clock =
    options.clock ?? new FakeClock({ autoAdvance: true, start: '2026-11-01T13:00:00Z' });
  const emulator = await startGoogleAdsEmulator({ clock });
  emulator.faults.hangMs = 1_000;
  const customer = emulator.store.createCustomer('Acme Ads', { id: '1234567890' });
  const action = emulator.store.createConversionAction(customer.id, 'Closed won (CRM)');
  const connector = openForTest(googleAdsConnector, {
    settings: {
      customerId: '123-456-7890',
      apiUrl: emulator.url,
      tokenUrl: `${emulator.url}/token`,
      jobPollMs: 5_000,
      ...options.settings,
    },
    secrets: GOOGLE_ADS_SECRETS,
    clock,
    // Jobs of 100,000 operations take a while on a loaded machine.
    calls: { timeoutMs: 30_000 },
  });
  return { clock, emulator, connector, customerId: customer.id, actionId: action.id };
}

export async function createGoogleAdsEventHarness(): Promise<
  EventHarness & { emulator: GoogleAdsEmulator }
> {
  const { emulator, connector, actionId } = await connectToGoogleAds();
  return {
    connector,
    emulator,
    object: actionId,
    eventFields: { conversionValue: 120, currencyCode: 'USD' },
    heldEvents: () => {
      const held = new Map<
        string,
        { occurredAt: string; identifiers: Identifiers; fields: Record<string, never> }
      >();
      for (const conversion of emulator.store.conversions) {
        const email = conversion.userIdentifiers.find((entry) => entry.hashedEmail)?.hashedEmail;
        const at = parseConversionDateTime(conversion.conversionDateTime) ?? 0;
        held.set(conversion.orderId ?? '', {
          occurredAt: new Date(at).toISOString(),
          identifiers: email === undefined ? {} : { email },
          fields: {
            ...(conversion.conversionValue === undefined
              ? {}
              : { conversionValue: conversion.conversionValue }),
            ...(conversion.currencyCode === undefined
              ? {}
              : { currencyCode: conversion.currencyCode }),
          } as Record<string, never>,
        });
      }
      return Promise.resolve(held);
    },
    injectFault: (fault) => {
      emulator.faults.next(fault);
      return Promise.resolve();
    },
    rejectEvents: (predicate) => {
      emulator.faults.reject((conversion) =>
        predicate(String(conversion.orderId)) ? 'CONVERSION_PRECEDES_EVENT' : undefined,
      );
      return Promise.resolve({ code: 'invalid_value', retryable: false });
    },
    close: () => emulator.close(),
  };
}

export async function createGoogleAdsAudienceHarness(): Promise<
  AudienceHarness & { emulator: GoogleAdsEmulator }
> {
  const { emulator, connector, customerId, clock } = await connectToGoogleAds();
  const writable = emulator.store.createUserList(customerId, 'Customers');
  const rules = emulator.store.createUserList(customerId, 'Site visitors', { type: 'RULE_BASED' });
  // Google keeps hashes only: the kit's people by the hash of their email.
  const byHash = kitKeysByEmailHash(connector.limits.maxBatch.members ?? 1);
  return {
    connector,
    emulator,
    writable: writable.id,
    readOnly: rules.id,
    heldMembers: (id) => {
      const held = new Map<string, Identifiers>();
      for (const member of emulator.store.userLists.get(id)?.members ?? [])
        if (member.startsWith('email:')) {
          const hash = member.slice('email:'.length);
          held.set(byHash.get(hash) ?? hash, { email: hash });
        }
      return Promise.resolve(held);
    },
    injectFault: (fault) => {
      emulator.faults.next(fault);
      return Promise.resolve();
    },
    passJobTime: () => clock.advance(emulator.store.processingMs),
    close: () => emulator.close(),
  };
}
