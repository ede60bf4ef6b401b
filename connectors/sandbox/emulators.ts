/**
 * The sandbox's vendors: the HubSpot and Salesforce emulators, in this process on loopback
 * ephemeral ports, seeded with the sandbox data set (records dated over the past year).
 */
import { systemClock } from '../sdk/clock';
import type { Clock } from '../sdk/contract';
import {
  DEFAULT_PRIVATE_APP_TOKEN,
  startHubSpotEmulator,
  type HubSpotEmulator,
} from '../hubspot/emulator';
import { startSalesforceEmulator, type SalesforceEmulator } from '../salesforce/emulator';
import { sandboxDataSet, type PlantedRecords, type SalesforceSeed } from './sandbox-data';

export interface SandboxEmulators {
  hubspot: HubSpotEmulator;
  salesforce: SalesforceEmulator;
  /** The token the HubSpot emulator accepts (a private app's). */
  hubspotToken: string;
  /** Records seeded, per emulator and object. */
  seeded: {
    hubspot: { contacts: number; companies: number };
    salesforce: { Contact: number; Account: number; Lead: number };
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
  try {
    salesforce = await startSalesforceEmulator({ clock: salesforceClock });
  } catch (error) {
    await hubspot.close();
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
    } finally {
      backdateMs = 0;
    }

    return {
      hubspot,
      salesforce,
      hubspotToken: DEFAULT_PRIVATE_APP_TOKEN,
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
      },
      planted: data.planted,
      seedMs: Math.round(performance.now() - started),
      async close() {
        await Promise.all([hubspot.close(), salesforce.close()]);
      },
    };
  } catch (error) {
    await Promise.all([hubspot.close(), salesforce.close()]);
    throw error;
  }
}
