/**
 * The sandbox's vendors: the HubSpot, Salesforce and Marketo emulators, in this process on
 * loopback ephemeral ports, seeded with the sandbox data set (records dated over the past year).
 */
import { systemClock } from '../sdk/clock';
import type { Clock } from '../sdk/contract';
import {
  DEFAULT_PRIVATE_APP_TOKEN,
  startHubSpotEmulator,
  type HubSpotEmulator,
} from '../hubspot/emulator';
import { type MarketoEmulator, TEST_SERVICE, startMarketoEmulator } from '../marketo/emulator';
import { startSalesforceEmulator, type SalesforceEmulator } from '../salesforce/emulator';
import { sandboxDataSet, type PlantedRecords, type SalesforceSeed } from './sandbox-data';

export interface SandboxEmulators {
  hubspot: HubSpotEmulator;
  salesforce: SalesforceEmulator;
  marketo: MarketoEmulator;
  /** The token the HubSpot emulator accepts (a private app's). */
  hubspotToken: string;
  /** The custom service the Marketo emulator grants tokens to. */
  marketoService: { clientId: string; clientSecret: string };
  /** Records seeded, per emulator and object. */
  seeded: {
    hubspot: { contacts: number; companies: number };
    salesforce: { Contact: number; Account: number; Lead: number };
    marketo: { leads: number; lists: number };
  };
  planted: PlantedRecords;
  /** How long generating and seeding took. */
  seedMs: number;
  close(): Promise<void>;
}

export async function startSandboxEmulators(): Promise<SandboxEmulators> {
  // Salesforce stamps records with its clock: seeding moves it back to date each record.
  let backdateMs = 0;
  const salesforceClock: Clock = {
    now: () => new Date(Date.now() - backdateMs),
    sleep: (ms, signal) => systemClock.sleep(ms, signal),
  };
  const hubspot = await startHubSpotEmulator();
  let salesforce: SalesforceEmulator;
  let marketo: MarketoEmulator;
  try {
    salesforce = await startSalesforceEmulator({ clock: salesforceClock });
  } catch (error) {
    await hubspot.close();
    throw error;
  }
  try {
    // Marketo stamps leads with its clock too: seeding dates each lead the same way.
    marketo = await startMarketoEmulator({ clock: salesforceClock });
  } catch (error) {
    await Promise.all([hubspot.close(), salesforce.close()]);
    throw error;
  }

  try {
    const started = performance.now();
    const data = sandboxDataSet();
    const now = Date.now();
    for (const { properties, ageMs } of data.hubspot.companies)
      hubspot.store.insert('companies', properties, new Date(now - ageMs).toISOString());
    for (const { properties, ageMs } of data.hubspot.contacts)
      hubspot.store.insert('contacts', properties, new Date(now - ageMs).toISOString());

    const create = (object: string, seed: SalesforceSeed, accountIds: string[] = []): string => {
      backdateMs = seed.ageMs;
      const account = seed.account === undefined ? undefined : accountIds[seed.account];
      const outcome = salesforce.store.create(object, {
        ...seed.values,
        ...(account === undefined ? {} : { AccountId: account }),
      });
      if (!outcome.ok)
        throw new Error(
          `Seeding a Salesforce ${object} failed: ${outcome.errors.map((e) => e.message).join('; ')}`,
        );
      return outcome.id;
    };
    try {
      const accountIds = data.salesforce.accounts.map((seed) => create('Account', seed));
      for (const seed of data.salesforce.contacts) create('Contact', seed, accountIds);
      for (const seed of data.salesforce.leads) create('Lead', seed);
      for (const seed of data.marketo.leads) {
        backdateMs = seed.ageMs;
        marketo.store.create(seed.fields, 'Sandbox data set');
      }
    } finally {
      backdateMs = 0;
    }
    // Lists a campaign would fill: empty, for an audience sync to fill.
    marketo.store.createList('Newsletter', 'Content Program');
    marketo.store.createList('Webinar invitees', 'Webinar Program');
    marketo.store.createProgram('Spring webinar', 'Webinar');

    return {
      hubspot,
      salesforce,
      marketo,
      hubspotToken: DEFAULT_PRIVATE_APP_TOKEN,
      marketoService: { clientId: TEST_SERVICE.clientId, clientSecret: TEST_SERVICE.clientSecret },
      seeded: {
        hubspot: {
          contacts: data.hubspot.contacts.length,
          companies: data.hubspot.companies.length,
        },
        salesforce: {
          Contact: data.salesforce.contacts.length,
          Account: data.salesforce.accounts.length,
          Lead: data.salesforce.leads.length,
        },
        marketo: { leads: data.marketo.leads.length, lists: marketo.store.lists.size },
      },
      planted: data.planted,
      seedMs: Math.round(performance.now() - started),
      async close() {
        await Promise.all([hubspot.close(), salesforce.close(), marketo.close()]);
      },
    };
  } catch (error) {
    await Promise.all([hubspot.close(), salesforce.close(), marketo.close()]);
    throw error;
  }
}
