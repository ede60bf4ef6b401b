/**
 * End to end: a bidirectional sync between the HubSpot emulator's contacts and the Salesforce
 * emulator's Contacts through the engine (runSync with the in-memory sync store), with a different
 * conflict policy per field, asserting what both systems hold.
 */
import type { SyncDefinition } from '../../src/engine';
import { runSync } from '../../src/engine';
import { MemorySyncStore } from '../../src/engine/testing/memory-store';
import type { HubSpotConnector } from '../../connectors/hubspot';
import type { HubSpotEmulator } from '../../connectors/hubspot/emulator';
import { connectToEmulator } from '../../connectors/hubspot/harness';
import { FakeClock } from '../../connectors/sdk/clock';
import type { SalesforceConnector } from '../../connectors/salesforce/connector';
import type { SalesforceEmulator } from '../../connectors/salesforce/emulator';
import { startSalesforcePair } from '../../connectors/salesforce/harness';

const stages = {
  subscriber: 'Subscriber',
  lead: 'Lead',
  marketingqualifiedlead: 'MQL',
  salesqualifiedlead: 'SQL',
  customer: 'Customer',
};

const definition: SyncDefinition = {
  id: 'hubspot-salesforce-contacts',
  left: { object: 'contacts', writeMode: 'upsert' },
  // Email is no external id on Contact: the connector upserts by looking the emails up.
  right: { object: 'Contact', writeMode: 'upsert' },
  direction: 'bidirectional',
  match: { left: 'email', right: 'Email', normalizer: 'email' },
  mappings: [
    { left: 'email', right: 'Email', direction: 'both' },
    { left: 'firstname', right: 'FirstName', direction: 'both', policy: 'left_wins' },
    { left: 'lastname', right: 'LastName', direction: 'both', policy: 'right_wins' },
    { left: 'jobtitle', right: 'Title', direction: 'both', policy: 'latest_wins' },
    {
      left: 'lifecyclestage',
      right: 'Lifecycle_Stage__c',
      direction: 'both',
      policy: 'prefer_right_unless_blank',
      transforms: { leftToRight: [{ kind: 'value_map', map: stages }] },
    },
    { left: 'phone', right: 'Phone', direction: 'left_to_right' },
  ],
  defaultPolicy: 'latest_wins',
  tieBreaker: 'left',
  deletePolicy: 'ignore',
};

type Row = Record<string, string | null | undefined>;

function hubspotContacts(emulator: HubSpotEmulator): Record<string, Row> {
  const result: Record<string, Row> = {};
  for (const record of emulator.store.all('contacts')) {
    const values: Record<string, string | undefined> = record.properties;
    const { firstname, lastname, jobtitle, lifecyclestage, phone } = values;
    result[(values['email'] ?? record.id).toLowerCase()] = {
      firstname,
      lastname,
      jobtitle,
      lifecyclestage,
      phone,
    };
  }
  return result;
}

function salesforceContacts(emulator: SalesforceEmulator): Record<string, Row> {
  const result: Record<string, Row> = {};
  for (const record of emulator.store.list('Contact')) {
    const value = (name: string): string | null => {
      const raw = record.values[name];
      return typeof raw === 'string' ? raw : null;
    };
    result[(value('Email') ?? record.Id).toLowerCase()] = {
      FirstName: value('FirstName'),
      LastName: value('LastName'),
      Title: value('Title'),
      Lifecycle_Stage__c: value('Lifecycle_Stage__c'),
      Phone: value('Phone'),
    };
  }
  return result;
}

describe('bidirectional contacts sync between HubSpot and Salesforce', () => {
  const clock = new FakeClock({ autoAdvance: true, start: '2024-03-01T09:00:00.000Z' });
  let hubspot: { emulator: HubSpotEmulator; connector: HubSpotConnector };
  let salesforce: { emulator: SalesforceEmulator; connector: SalesforceConnector };
  const store = new MemorySyncStore();
  const run = () =>
    runSync({
      definition,
      left: hubspot.connector,
      right: salesforce.connector,
      store,
      trigger: 'manual',
      clock,
    });

  beforeAll(async () => {
    hubspot = await connectToEmulator({ clock });
    salesforce = await startSalesforcePair({ clock });
  });

  afterAll(async () => {
    await hubspot.emulator.close();
    await salesforce.emulator.close();
  });

  it('merges both systems by field policy, then writes nothing, then resolves edits on both sides', async () => {
    const sf = salesforce.emulator.store;
    sf.create('Contact', {
      Email: 'ANN@example.com',
      FirstName: 'Annie',
      LastName: 'Lovelace-King',
      Title: 'Eng',
      Lifecycle_Stage__c: 'MQL',
    });
    sf.create('Contact', {
      Email: 'cat@example.com',
      FirstName: 'Cat',
      LastName: 'Stevens',
      Title: 'CEO',
      Lifecycle_Stage__c: 'Customer',
    });
    await clock.advance(60_000);
    const hs = hubspot.emulator.store;
    hs.insert('contacts', {
      email: 'ann@example.com',
      firstname: 'Ann',
      lastname: 'Lovelace',
      jobtitle: 'Engineer',
      lifecyclestage: 'lead',
      phone: '+44 20 7946 0000',
    });
    hs.insert('contacts', {
      email: 'bob@example.com',
      firstname: 'Bob',
      lastname: 'Builder',
      lifecyclestage: 'customer',
    });

    const first = await run();

    expect(first.status).toBe('succeeded');
    expect(first.counters.failed).toBe(0);
    expect(hubspotContacts(hubspot.emulator)).toEqual({
      // firstname: HubSpot wins; lastname: Salesforce wins; title: the later edit (HubSpot's);
      // stage: Salesforce's unless blank, mapped back to HubSpot's value.
      'ann@example.com': {
        firstname: 'Ann',
        lastname: 'Lovelace-King',
        jobtitle: 'Engineer',
        lifecyclestage: 'marketingqualifiedlead',
        phone: '+44 20 7946 0000',
      },
      'bob@example.com': {
        firstname: 'Bob',
        lastname: 'Builder',
        jobtitle: undefined,
        lifecyclestage: 'customer',
        phone: undefined,
      },
      'cat@example.com': {
        firstname: 'Cat',
        lastname: 'Stevens',
        jobtitle: 'CEO',
        lifecyclestage: 'customer',
        phone: undefined,
      },
    });
    expect(salesforceContacts(salesforce.emulator)).toEqual({
      'ann@example.com': {
        FirstName: 'Ann',
        LastName: 'Lovelace-King',
        Title: 'Engineer',
        Lifecycle_Stage__c: 'MQL',
        Phone: '+44 20 7946 0000',
      },
      'bob@example.com': {
        FirstName: 'Bob',
        LastName: 'Builder',
        Title: null,
        Lifecycle_Stage__c: 'Customer',
        Phone: null,
      },
      'cat@example.com': {
        FirstName: 'Cat',
        LastName: 'Stevens',
        Title: 'CEO',
        Lifecycle_Stage__c: 'Customer',
        Phone: null,
      },
    });

    const sfWrites = (): number =>
      salesforce.emulator.counters.matching(/composite\/sobjects|jobs\/ingest/);
    const hsWrites = (): number => hubspot.emulator.counters.writeCalls();
    const writesBefore = sfWrites() + hsWrites();
    await clock.advance(60_000);
    const quiet = await run();
    expect(quiet.status).toBe('succeeded');
    expect(quiet.counters).toMatchObject({ created: 0, updated: 0, failed: 0 });
    expect(sfWrites() + hsWrites()).toBe(writesBefore);

    // Both sides edit Ann: the same fields differently, and the title on Salesforce last.
    await clock.advance(60_000);
    const annInHubSpot = hs.findBy('contacts', 'email', 'ann@example.com');
    const annInSalesforce = sf
      .list('Contact')
      .find((record) => String(record.values['Email']).toLowerCase() === 'ann@example.com');
    if (annInHubSpot === undefined || annInSalesforce === undefined)
      throw new Error('Ann is missing');
    hs.edit('contacts', annInHubSpot.id, {
      firstname: 'Anna',
      lastname: 'L.',
      jobtitle: 'Staff Engineer',
    });
    await clock.advance(5_000);
    sf.update('Contact', annInSalesforce.Id, {
      FirstName: 'Ann-SF',
      LastName: 'King',
      Title: 'Principal Engineer',
      Lifecycle_Stage__c: 'SQL',
    });

    const third = await run();

    expect(third.status).toBe('succeeded');
    expect(third.counters.failed).toBe(0);
    const ann = {
      firstname: 'Anna',
      lastname: 'King',
      jobtitle: 'Principal Engineer',
      lifecyclestage: 'salesqualifiedlead',
      phone: '+44 20 7946 0000',
    };
    expect(hubspotContacts(hubspot.emulator)['ann@example.com']).toEqual(ann);
    expect(salesforceContacts(salesforce.emulator)['ann@example.com']).toEqual({
      FirstName: 'Anna',
      LastName: 'King',
      Title: 'Principal Engineer',
      Lifecycle_Stage__c: 'SQL',
      Phone: '+44 20 7946 0000',
    });
    expect(store.links(definition.id)).toHaveLength(3);
  });
});
