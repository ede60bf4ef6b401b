/**
 * The sandbox's data set: one seeded population of people and companies, dealt out to a HubSpot
 * portal and a Salesforce org so that the two overlap by email (and by company domain) the way two
 * real CRMs of one business do, with some values drifted apart, a few planted conflicts and a few
 * values the other side rejects; and to a Marketo instance whose leads are some of those people
 * and some of its own. Pure and deterministic: the same seed gives the same data set.
 */
import {
  LAST_NAMES,
  NICKNAMES,
  TITLES,
  STAGES,
  INDUSTRIES,
  INTERESTS,
  LEAD_SOURCES,
  LEAD_STATUSES,
  type Company,
  type Person,
  Dealer,
  company,
  person,
} from './sandbox-people';
import { type MailchimpSeed, mailchimpMembers } from './sandbox-mailchimp';

/** Sizes of the data set; each side gets this many records of each kind. */
export const SANDBOX_SIZES = {
  /** HubSpot contacts, and as many Salesforce Contacts. */
  contacts: 3000,
  /** Of which this many are the same people on both sides (60%). */
  sharedContacts: 1800,
  /** HubSpot companies, and as many Salesforce Accounts. */
  companies: 2000,
  sharedCompanies: 1200,
  /** Salesforce Leads (people in neither contact list). */
  leads: 300,
  /**
   * Marketo leads: this many of the people both CRMs share, of the HubSpot-only and of the
   * Salesforce-only contacts, of the Salesforce Leads, and people Marketo alone knows.
   */
  marketo: { shared: 900, hubspotOnly: 300, salesforceOnly: 200, salesforceLeads: 150, own: 450 },
} as const;

export const SANDBOX_SEED = 20_240_501;

/** A HubSpot record to insert: its properties (wire strings) and how long ago it last changed. */
export interface HubSpotSeed {
  properties: Record<string, string>;
  ageMs: number;
}

/** A Salesforce record to create; `account` names a seeded Account by its index in `accounts`. */
export interface SalesforceSeed {
  values: Record<string, string | number | boolean | null>;
  account?: number;
  ageMs: number;
}

/** What was planted on purpose, so the sandbox's screens have something to show (and tests can find it). */
export interface PlantedRecords {
  /** Emails of shared people whose names, titles and lifecycle stages differ on the two sides. */
  conflicts: string[];
  /** Emails (as stored) of HubSpot contacts that Salesforce will refuse. */
  invalid: string[];
}

/** A Marketo lead to create: its fields and how long ago it last changed. */
export interface MarketoSeed {
  fields: Record<string, string | number | boolean>;
  ageMs: number;
}

export interface SandboxDataSet {
  hubspot: { contacts: HubSpotSeed[]; companies: HubSpotSeed[] };
  salesforce: { accounts: SalesforceSeed[]; contacts: SalesforceSeed[]; leads: SalesforceSeed[] };
  marketo: { leads: MarketoSeed[] };
  mailchimp: { members: MailchimpSeed[] };
  planted: PlantedRecords;
}

function hubspotContact(p: Person, companies: readonly Company[]): Record<string, string> {
  const stage = STAGES[p.stage];
  return {
    email: p.email,
    firstname: p.first,
    lastname: p.last,
    phone: p.phone,
    jobtitle: p.title,
    company: companies[p.company]?.name ?? '',
    lifecyclestage: stage[0],
    interests: p.interests.map((i) => INTERESTS[i]?.[0] ?? '').join(';'),
    hs_email_optout: String(p.optedOut),
  };
}

function salesforceContact(p: Person): Record<string, string | number | boolean | null> {
  const stage = STAGES[p.stage];
  return {
    Email: p.email,
    FirstName: p.first,
    LastName: p.last,
    Phone: p.phone,
    Title: p.title,
    Lifecycle_Stage__c: stage[1],
    Interests__c:
      p.interests.length === 0 ? null : p.interests.map((i) => INTERESTS[i]?.[1]).join(';'),
    HasOptedOutOfEmail: p.optedOut,
  };
}

/** How a shared person's Salesforce record drifted from the HubSpot one (some values differ). */
function drift(
  dealer: Dealer,
  hubspot: Record<string, string>,
  salesforce: Record<string, string | number | boolean | null>,
): void {
  // A promotion recorded on one side only.
  if (dealer.chance(0.1)) {
    const newer = dealer.pick(TITLES);
    if (dealer.chance(0.5)) hubspot['jobtitle'] = newer;
    else salesforce['Title'] = newer;
  }
  // A new number given to one side.
  if (dealer.chance(0.05)) {
    if (dealer.chance(0.5)) hubspot['phone'] = dealer.phone();
    else salesforce['Phone'] = dealer.phone();
  }
  // Salesforce keeps the email as typed by a rep; it still matches.
  if (dealer.chance(0.05)) {
    const email = String(salesforce['Email']);
    salesforce['Email'] = email.charAt(0).toUpperCase() + email.slice(1);
  }
}

/** The companies HubSpot holds, as its seeds. */
function hubspotCompanySeeds(
  dealer: Dealer,
  companies: readonly Company[],
  indexes: readonly number[],
): HubSpotSeed[] {
  return indexes.map((i) => {
    const c = companies[i];
    return {
      properties: {
        name: c.name,
        domain: c.domain,
        city: c.city,
        phone: c.phone,
        industry: INDUSTRIES[c.industry]?.[0] ?? '',
        numberofemployees: String(c.employees),
      },
      ageMs: dealer.age(),
    };
  });
}

/** The companies Salesforce holds, as Account seeds. */
function accountSeeds(
  dealer: Dealer,
  companies: readonly Company[],
  indexes: readonly number[],
): SalesforceSeed[] {
  return indexes.map((i) => {
    const c = companies[i];
    return {
      values: {
        Name: c.name,
        Website: `https://${c.domain}`,
        Phone: c.phone,
        Industry: INDUSTRIES[c.industry]?.[1] ?? null,
        NumberOfEmployees: c.employees,
        AnnualRevenue: c.employees * (50_000 + dealer.int(150_000)),
      },
      ageMs: dealer.age(),
    };
  });
}

/** Leads: people at companies of their own, in neither contact list. */
function leadSeeds(dealer: Dealer, count: number): SalesforceSeed[] {
  return Array.from({ length: count }, () => {
    const c = company(dealer);
    const p = person(dealer, [c], 0);
    return {
      values: {
        FirstName: p.first,
        LastName: p.last,
        Email: p.email,
        Company: c.name,
        Phone: p.phone,
        Website: `https://${c.domain}`,
        Status: dealer.pick(LEAD_STATUSES),
        LeadSource: dealer.pick(LEAD_SOURCES),
        NumberOfEmployees: c.employees,
      },
      ageMs: dealer.age(),
    };
  });
}

/**
 * The whole data set. About 60% of the contacts on each side are the same people (by email),
 * companies and Accounts overlap by domain, and Leads are people in neither contact list.
 */
export function sandboxDataSet(seed = SANDBOX_SEED): SandboxDataSet {
  const dealer = new Dealer(seed);
  const sizes = SANDBOX_SIZES;

  // Companies: [0, shared) on both sides, then HubSpot-only, then Salesforce-only.
  const companyCount = 2 * sizes.companies - sizes.sharedCompanies;
  const companies = Array.from({ length: companyCount }, () => company(dealer));
  const hubspotCompanyIndexes = companies.map((_, i) => i).filter((i) => i < sizes.companies);
  const salesforceCompanyIndexes = companies
    .map((_, i) => i)
    .filter((i) => i < sizes.sharedCompanies || i >= sizes.companies);
  const accountOf = new Map(salesforceCompanyIndexes.map((c, index) => [c, index]));

  const hubspotCompanies = hubspotCompanySeeds(dealer, companies, hubspotCompanyIndexes);
  const accounts = accountSeeds(dealer, companies, salesforceCompanyIndexes);

  // People work at a company of their side: shared people at a shared company.
  const sharedPeople = Array.from({ length: sizes.sharedContacts }, () =>
    person(dealer, companies, dealer.int(sizes.sharedCompanies)),
  );
  const hubspotOnly = Array.from({ length: sizes.contacts - sizes.sharedContacts }, () =>
    person(dealer, companies, dealer.pick(hubspotCompanyIndexes)),
  );
  const salesforceOnly = Array.from({ length: sizes.contacts - sizes.sharedContacts }, () =>
    person(dealer, companies, dealer.pick(salesforceCompanyIndexes)),
  );

  const hubspotContacts: HubSpotSeed[] = [];
  const salesforceContacts: SalesforceSeed[] = [];
  for (const p of sharedPeople) {
    const hubspot = hubspotContact(p, companies);
    const salesforce = salesforceContact(p);
    drift(dealer, hubspot, salesforce);
    hubspotContacts.push({ properties: hubspot, ageMs: dealer.age() });
    salesforceContacts.push({
      values: salesforce,
      account: accountOf.get(p.company),
      ageMs: dealer.age(),
    });
  }
  for (const p of hubspotOnly)
    hubspotContacts.push({ properties: hubspotContact(p, companies), ageMs: dealer.age() });
  for (const p of salesforceOnly)
    salesforceContacts.push({
      values: salesforceContact(p),
      account: accountOf.get(p.company),
      ageMs: dealer.age(),
    });

  const planted = plant(dealer, sharedPeople.length, hubspotContacts, salesforceContacts);

  const leads = leadSeeds(dealer, sizes.leads);

  // Dealt last, so that the CRMs' data is the same with or without it.
  const marketo = marketoLeads(
    dealer,
    companies,
    { sharedPeople, hubspotOnly, salesforceOnly },
    leads,
  );

  // Dealt after Marketo's, so that the data of the others is the same with or without it.
  const mailchimp = mailchimpMembers(dealer, { sharedPeople, hubspotOnly });

  return {
    hubspot: { contacts: hubspotContacts, companies: hubspotCompanies },
    salesforce: { accounts, contacts: salesforceContacts, leads },
    marketo: { leads: marketo },
    mailchimp: { members: mailchimp },
    planted,
  };
}

function marketoLead(
  p: Person,
  companies: readonly Company[],
): Record<string, string | number | boolean> {
  return {
    email: p.email,
    firstName: p.first,
    lastName: p.last,
    title: p.title,
    phone: p.phone,
    company: companies[p.company]?.name ?? '',
    unsubscribed: p.optedOut,
  };
}

/**
 * Marketo's leads: people of both CRMs (some with a title Marketo's forms recorded later), the
 * Salesforce Leads Marketo captured first, and form fills no CRM has yet.
 */
function marketoLeads(
  dealer: Dealer,
  companies: readonly Company[],
  people: { sharedPeople: Person[]; hubspotOnly: Person[]; salesforceOnly: Person[] },
  salesforceLeads: readonly SalesforceSeed[],
): MarketoSeed[] {
  const sizes = SANDBOX_SIZES.marketo;
  const seeds: MarketoSeed[] = [];
  const known = [
    ...people.sharedPeople.slice(0, sizes.shared),
    // Past the contacts whose emails HubSpot holds spoiled (`plant`), so the emails agree.
    ...people.hubspotOnly.slice(250, 250 + sizes.hubspotOnly),
    ...people.salesforceOnly.slice(0, sizes.salesforceOnly),
  ];
  for (const p of known) {
    const fields = marketoLead(p, companies);
    if (dealer.chance(0.05)) fields.title = dealer.pick(TITLES);
    seeds.push({ fields: { ...fields, leadSource: 'Website' }, ageMs: dealer.age() });
  }
  for (const lead of salesforceLeads.slice(0, sizes.salesforceLeads)) {
    const values = lead.values;
    seeds.push({
      fields: {
        email: String(values.Email),
        firstName: String(values.FirstName),
        lastName: String(values.LastName),
        company: String(values.Company),
        phone: String(values.Phone),
        leadSource: String(values.LeadSource),
      },
      ageMs: dealer.age(),
    });
  }
  for (let n = 0; n < sizes.own; n++) {
    const c = company(dealer);
    const fields = marketoLead(person(dealer, [c], 0), [c]);
    seeds.push({ fields: { ...fields, leadSource: 'Webinar' }, ageMs: dealer.age() });
  }
  return seeds;
}

/**
 * Plants, on purpose: shared people edited differently on the two sides since they last agreed
 * (conflicts), and HubSpot contacts whose values Salesforce refuses (failed records).
 */
function plant(
  dealer: Dealer,
  shared: number,
  hubspot: HubSpotSeed[],
  salesforce: SalesforceSeed[],
): PlantedRecords {
  const conflicts: string[] = [];
  // The same person edited on both sides: a nickname in HubSpot, a married name and a title in
  // Salesforce, a lifecycle stage on each. A mapped field whose policy is `manual` makes each of
  // them a conflict to resolve; the other policies pick a side.
  for (let k = 0; k < 8; k++) {
    const index = Math.floor(((k + 0.5) * shared) / 8);
    const h = hubspot[index].properties;
    const s = salesforce[index].values;
    const first = String(s['FirstName']);
    h['firstname'] = NICKNAMES[first] ?? `${first.charAt(0)}.`;
    s['LastName'] = `${String(s['LastName'])}-${dealer.pick(LAST_NAMES)}`;
    h['jobtitle'] = dealer.pick(TITLES);
    s['Title'] = `Senior ${h['jobtitle']}`;
    // Marketing and sales each moved the person along the funnel, differently.
    const stage = 1 + (k % (STAGES.length - 1));
    h['lifecyclestage'] = STAGES[stage][0];
    s['Lifecycle_Stage__c'] = STAGES[stage - 1][1];
    conflicts.push(h['email'] ?? '');
  }

  // HubSpot-only contacts that Salesforce will not take as they are.
  const invalid: string[] = [];
  const hubspotOnly = hubspot.slice(shared);
  const spoil = (offset: number, change: (p: Record<string, string>) => void): void => {
    const record = hubspotOnly[offset].properties;
    change(record);
    invalid.push(record['email'] ?? '');
  };
  // A malformed email (no top-level domain), as typed in a form.
  spoil(7, (p) => (p['email'] = (p['email'] ?? '').replace(/\.example\.com$/, '')));
  spoil(211, (p) => (p['email'] = (p['email'] ?? '').replace('@', ' @')));
  // Lifecycle stages the org's restricted picklist does not have.
  spoil(401, (p) => (p['lifecyclestage'] = 'evangelist'));
  spoil(587, (p) => (p['lifecyclestage'] = 'other'));
  // A first name longer than Salesforce's 40 characters.
  spoil(733, (p) => (p['firstname'] = 'Maximiliane-Alexandra Konstantina Friederike'));
  // No last name (a newsletter sign-up); Salesforce requires LastName.
  spoil(905, (p) => Reflect.deleteProperty(p, 'lastname'));
  spoil(1021, (p) => Reflect.deleteProperty(p, 'lastname'));
  return { conflicts, invalid };
}
