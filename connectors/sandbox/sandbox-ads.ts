/**
 * The sandbox's ad platforms: a Meta ad account with a dataset (pixel) and a customer file
 * audience, a LinkedIn ad account with a conversion rule and a DMP segment, a Google Ads customer
 * with an imported-clicks conversion action and a Customer Match list, all empty for the example
 * syncs to fill; and Salesforce opportunities of the sandbox's contacts, some Closed Won in the
 * last days (Meta takes conversions of the last 7 days), half of them with the Google click id of
 * the ad that brought the buyer, for the conversions syncs to send.
 */
import type { GoogleAdsEmulator } from '../google-ads/emulator';
import type { LinkedInEmulator } from '../linkedin/emulator';
import type { MetaEmulator } from '../meta/emulator';
import type { SalesforceEmulator } from '../salesforce/emulator';
import type { SalesforceSeed } from './sandbox-data';

/**
 * The ids config/ names: Meta's ad account, dataset and audience; LinkedIn's account, rule,
 * segment; Google Ads' customer, conversion action and Customer Match list.
 */
export const SANDBOX_ADS = {
  meta: { account: '1000000001', pixel: '2000000002', audience: '23850000000001' },
  linkedin: { account: '510000001', rule: '104012', segment: '987654321' },
  google: { customer: '1234567890', action: '6000000001', list: '5000000001' },
} as const;

/** How long the sandbox's Google Ads emulator takes over a Customer Match job. */
const SANDBOX_JOB_MS = 10_000;

const STAGES = ['Closed Won', 'Proposal', 'Closed Won', 'Qualification', 'Closed Lost'] as const;

/** One opportunity for each of the first `count` contacts with an email, closing over a week. */
export function opportunitySeeds(
  contacts: readonly SalesforceSeed[],
  count = 60,
): SalesforceSeed[] {
  const withEmail = contacts
    .filter((seed) => typeof seed.values.Email === 'string')
    .slice(0, count);
  return withEmail.map((seed, index) => ({
    values: {
      Name: `${String(seed.values.LastName ?? 'Deal')} ${index % 2 === 0 ? 'renewal' : 'expansion'}`,
      StageName: STAGES[index % STAGES.length] ?? 'Proposal',
      Amount: 1_000 + ((index * 733) % 9_000),
      Contact_Email__c: String(seed.values.Email),
      // Every other deal came from a search ad: its click id; the others go as leads by email.
      ...(index % 2 === 0
        ? { GCLID__c: `Cj0KCQiA-sandbox-${String(index).padStart(6, '0')}` }
        : {}),
      // Replaced by a date of the last week when seeded.
      CloseDate: String(index % 6),
    },
    ageMs: 0,
  }));
}

/** A day `daysAgo` before now, as Salesforce dates are written. */
export function closeDate(daysAgo: number, now = Date.now()): string {
  return new Date(now - daysAgo * 86_400_000).toISOString().slice(0, 10);
}

/** The ad platforms' accounts, and the opportunities in Salesforce. */
export function seedAdPlatforms(
  vendors: {
    meta: MetaEmulator;
    linkedin: LinkedInEmulator;
    google: GoogleAdsEmulator;
    salesforce: SalesforceEmulator;
  },
  opportunities: readonly SalesforceSeed[],
): void {
  const { meta, linkedin, google, salesforce } = vendors;
  meta.store.createAccount('Acme Ads (sandbox)', SANDBOX_ADS.meta.account);
  meta.store.createPixel('Acme CRM dataset', SANDBOX_ADS.meta.pixel);
  meta.store.createAudience(SANDBOX_ADS.meta.account, 'Customers', {
    id: SANDBOX_ADS.meta.audience,
  });
  meta.store.createAudience(SANDBOX_ADS.meta.account, 'Site visitors (pixel rule)', {
    subtype: 'WEBSITE',
  });
  linkedin.store.createAccount('Acme B2B (sandbox)', SANDBOX_ADS.linkedin.account);
  linkedin.store.createRule(SANDBOX_ADS.linkedin.account, 'Closed won', SANDBOX_ADS.linkedin.rule);
  linkedin.store.createSegment(SANDBOX_ADS.linkedin.account, 'Customers', {
    id: SANDBOX_ADS.linkedin.segment,
  });
  const ids = SANDBOX_ADS.google;
  google.store.createCustomer('Acme Search (sandbox)', { id: ids.customer });
  google.store.createConversionAction(ids.customer, 'Closed won (CRM)', { id: ids.action });
  google.store.createUserList(ids.customer, 'Customers', { id: ids.list });
  google.store.createUserList(ids.customer, 'Site visitors (tag rule)', { type: 'RULE_BASED' });
  google.store.processingMs = SANDBOX_JOB_MS;
  for (const seed of opportunities) {
    const outcome = salesforce.store.create('Opportunity', {
      ...seed.values,
      CloseDate: closeDate(Number(seed.values.CloseDate)),
    });
    if (!outcome.ok)
      throw new Error(
        `Seeding a Salesforce Opportunity failed: ${outcome.errors.map((e) => e.message).join('; ')}`,
      );
  }
}
