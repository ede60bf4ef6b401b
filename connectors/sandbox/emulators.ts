/**
 * The sandbox's vendors: the HubSpot, Salesforce, Marketo, Mailchimp, Meta, LinkedIn and Google Ads emulators, in this process on
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
import {
  type MailchimpEmulator,
  TEST_API_KEY,
  startMailchimpEmulator,
} from '../mailchimp/emulator';
import {
  type LinkedInEmulator,
  TEST_ACCESS_TOKEN as LINKEDIN_TOKEN,
  startLinkedInEmulator,
} from '../linkedin/emulator';
import { type GoogleAdsEmulator, startGoogleAdsEmulator } from '../google-ads/emulator';
import {
  type MetaEmulator,
  TEST_ACCESS_TOKEN as META_TOKEN,
  startMetaEmulator,
} from '../meta/emulator';
import { startSalesforceEmulator, type SalesforceEmulator } from '../salesforce/emulator';
import { opportunitySeeds, seedAdPlatforms } from './sandbox-ads';
import { sandboxDataSet, type PlantedRecords, type SalesforceSeed } from './sandbox-data';

/** The public app registered in the sandbox's HubSpot emulator (its install flow is walkable). */
export const SANDBOX_HUBSPOT_APP = {
  clientId: 'syncline-sandbox-app',
  clientSecret: 'sandbox-app-secret',
} as const;

export interface SandboxEmulators {
  hubspot: HubSpotEmulator;
  salesforce: SalesforceEmulator;
  marketo: MarketoEmulator;
  mailchimp: MailchimpEmulator;
  meta: MetaEmulator;
  linkedin: LinkedInEmulator;
  google: GoogleAdsEmulator;
  /** The access tokens the Meta and LinkedIn emulators take. */
  metaToken: string;
  linkedinToken: string;
  /** The API key the Mailchimp emulator takes, and its audience. */
  mailchimpKey: string;
  mailchimpAudience: string;
  /** The token the HubSpot emulator accepts (a private app's). */
  hubspotToken: string;
  /** The OAuth app the HubSpot emulator knows, to connect through its authorize page. */
  hubspotApp: { clientId: string; clientSecret: string };
  /** The custom service the Marketo emulator grants tokens to. */
  marketoService: { clientId: string; clientSecret: string };
  /** Records seeded, per emulator and object. */
  seeded: {
    hubspot: { contacts: number; companies: number };
    salesforce: { Contact: number; Account: number; Lead: number; Opportunity: number };
    marketo: { leads: number; lists: number };
    mailchimp: { members: number; tags: number };
  };
  planted: PlantedRecords;
  /** How long generating and seeding took. */
  seedMs: number;
  close(): Promise<void>;
}

/**
 * The emulators, one after the other; those started are closed when one fails to start. Salesforce,
 * Marketo and Mailchimp stamp records with `clock`, which seeding moves back to date each record.
 */
async function startInOrder(clock: Clock): Promise<{
  hubspot: HubSpotEmulator;
  salesforce: SalesforceEmulator;
  marketo: MarketoEmulator;
  mailchimp: MailchimpEmulator;
  meta: MetaEmulator;
  linkedin: LinkedInEmulator;
  google: GoogleAdsEmulator;
}> {
  const started: { close(): Promise<void> }[] = [];
  const start = async <T extends { close(): Promise<void> }>(
    make: () => Promise<T>,
  ): Promise<T> => {
    try {
      const emulator = await make();
      started.push(emulator);
      return emulator;
    } catch (error) {
      await Promise.all(started.map((each) => each.close()));
      throw error;
    }
  };
  return {
    hubspot: await start(() =>
      startHubSpotEmulator({
        privateAppTokens: [DEFAULT_PRIVATE_APP_TOKEN],
        oauthApps: [SANDBOX_HUBSPOT_APP],
      }),
    ),
    salesforce: await start(() => startSalesforceEmulator({ clock })),
    marketo: await start(() => startMarketoEmulator({ clock })),
    mailchimp: await start(() => startMailchimpEmulator({ clock })),
    meta: await start(() => startMetaEmulator()),
    linkedin: await start(() => startLinkedInEmulator()),
    google: await start(() => startGoogleAdsEmulator()),
  };
}

/** The sandbox's Mailchimp audience id (config/ names it). */
export const SANDBOX_AUDIENCE = 'a1b2c3d4e5';

/** How many records the sandbox seeded, per emulator and object. */
function seededCounts(
  data: ReturnType<typeof sandboxDataSet>,
  opportunities: number,
  marketoLists: number,
): SandboxEmulators['seeded'] {
  return {
    hubspot: { contacts: data.hubspot.contacts.length, companies: data.hubspot.companies.length },
    salesforce: {
      Contact: data.salesforce.contacts.length,
      Account: data.salesforce.accounts.length,
      Lead: data.salesforce.leads.length,
      Opportunity: opportunities,
    },
    marketo: { leads: data.marketo.leads.length, lists: marketoLists },
    mailchimp: { members: data.mailchimp.members.length, tags: 2 },
  };
}

export async function startSandboxEmulators(): Promise<SandboxEmulators> {
  // Salesforce stamps records with its clock: seeding moves it back to date each record.
  let backdateMs = 0;
  const salesforceClock: Clock = {
    now: () => new Date(Date.now() - backdateMs),
    sleep: (ms, signal) => systemClock.sleep(ms, signal),
  };
  const { hubspot, salesforce, marketo, mailchimp, meta, linkedin, google } =
    await startInOrder(salesforceClock);
  const closeAll = () =>
    Promise.all(
      [hubspot, salesforce, marketo, mailchimp, meta, linkedin, google].map((emulator) =>
        emulator.close(),
      ),
    );

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
      backdateMs = 0;
      const newsletter = mailchimp.store.createList('Newsletter', SANDBOX_AUDIENCE);
      // Tags a campaign targets: empty, for an audience sync to fill (the first is 10001).
      mailchimp.store.createSegment(newsletter, 'Customers', 'static');
      mailchimp.store.createSegment(newsletter, 'Opportunities', 'static');
      for (const seed of data.mailchimp.members) {
        backdateMs = seed.ageMs;
        mailchimp.store.addMember(newsletter, seed.email, {
          status: seed.status,
          merge_fields: seed.mergeFields,
        });
      }
    } finally {
      backdateMs = 0;
    }
    const opportunities = opportunitySeeds(data.salesforce.contacts);
    seedAdPlatforms({ meta, linkedin, google, salesforce }, opportunities);
    // Lists a campaign would fill: empty, for an audience sync to fill.
    marketo.store.createList('Newsletter', 'Content Program');
    marketo.store.createList('Webinar invitees', 'Webinar Program');
    marketo.store.createProgram('Spring webinar', 'Webinar');

    return {
      hubspot,
      salesforce,
      marketo,
      mailchimp,
      meta,
      linkedin,
      google,
      metaToken: META_TOKEN,
      linkedinToken: LINKEDIN_TOKEN,
      mailchimpKey: TEST_API_KEY,
      mailchimpAudience: SANDBOX_AUDIENCE,
      hubspotToken: DEFAULT_PRIVATE_APP_TOKEN,
      hubspotApp: { ...SANDBOX_HUBSPOT_APP },
      marketoService: { clientId: TEST_SERVICE.clientId, clientSecret: TEST_SERVICE.clientSecret },
      seeded: seededCounts(data, opportunities.length, marketo.store.lists.size),
      planted: data.planted,
      seedMs: Math.round(performance.now() - started),
      async close() {
        await closeAll();
      },
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
