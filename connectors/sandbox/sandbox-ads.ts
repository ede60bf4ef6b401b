/**
 * The sandbox's ad platforms: a Meta ad account with a dataset (pixel) and a customer file
 * audience, a LinkedIn ad account with a conversion rule and a DMP segment, all empty for the
 * example syncs to fill; and Salesforce opportunities of the sandbox's contacts, some Closed Won
 * in the last days (Meta takes conversions of the last 7 days), for the conversions sync to send.
 */
import type { LinkedInEmulator } from '../linkedin/emulator';
import type { MetaEmulator } from '../meta/emulator';
import type { SalesforceEmulator } from '../salesforce/emulator';
import type { SalesforceSeed } from './sandbox-data';

/** The ids config/ names: Meta's ad account, dataset and audience; LinkedIn's account, rule, segment. */
export const SANDBOX_ADS = {
  meta: { account: '1000000001', pixel: '2000000002', audience: '23850000000001' },
  linkedin: { account: '510000001', rule: '104012', segment: '987654321' },
} as const;

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
  meta: MetaEmulator,
  linkedin: LinkedInEmulator,
  salesforce: SalesforceEmulator,
  opportunities: readonly SalesforceSeed[],
): void {
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
