/**
 * The sandbox's data set: one seeded population of people and companies, dealt out to a HubSpot
 * portal and a Salesforce org so that the two overlap by email (and by company domain) the way two
 * real CRMs of one business do, with some values drifted apart, a few planted conflicts and a few
 * values the other side rejects; and to a Marketo instance whose leads are some of those people
 * and some of its own. Pure and deterministic: the same seed gives the same data set.
 */
import { seededRandom } from '../sdk/testing/emulator-kit';

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
  planted: PlantedRecords;
}

// prettier-ignore
const FIRST_NAMES = [
  'Ada', 'Alan', 'Amara', 'Ana', 'Anders', 'Aisha', 'Ben', 'Bianca', 'Carlos', 'Chen', 'Chloé',
  'Dana', 'David', 'Diego', 'Elena', 'Emeka', 'Emma', 'Fatima', 'Felix', 'Grace', 'Hana', 'Hugo',
  'Ines', 'Ivan', 'Jamal', 'Jana', 'Javier', 'Jun', 'Kai', 'Kenji', 'Lars', 'Leila', 'Lucas',
  'Maya', 'Mateo', 'Mei', 'Nadia', 'Noah', 'Olga', 'Omar', 'Priya', 'Rafael', 'Robert', 'Rosa',
  'Sam', 'Sara', 'Sofia', 'Tariq', 'Tom', 'Uma', 'Victor', 'William', 'Yara', 'Yusuf', 'Zoe',
  'Katherine', 'Elizabeth', 'Michael', 'Jennifer', 'Thomas',
];
// prettier-ignore
const LAST_NAMES = [
  'Abe', 'Adeyemi', 'Alvarez', 'Andersen', 'Bauer', 'Becker', 'Bianchi', 'Brown', 'Castro', 'Chen',
  'Costa', 'Dubois', 'Dvořák', 'Eriksson', 'Fischer', 'Garcia', 'Gupta', 'Haddad', 'Hansen', 'Ito',
  'Jensen', 'Kaur', 'Kim', 'Kowalski', 'Kumar', 'Larsen', 'Lee', 'Lopez', 'Martin', 'Meyer',
  'Moreau', 'Müller', 'Nakamura', 'Nguyen', 'Novak', 'Nowak', 'Okafor', 'Olsen', 'Park', 'Patel',
  'Perez', 'Petrov', 'Rossi', 'Santos', 'Schmidt', 'Silva', 'Smith', 'Suzuki', 'Tanaka', 'Taylor',
  'Vargas', 'Wang', 'Weber', 'Williams', 'Wilson', 'Yamamoto', 'Young', 'Zhang', "O'Brien",
];
/** Short forms a person goes by on one side (HubSpot forms) and not the other (Salesforce). */
const NICKNAMES: Record<string, string> = {
  Robert: 'Bob',
  William: 'Will',
  Katherine: 'Kate',
  Elizabeth: 'Liz',
  Michael: 'Mike',
  Jennifer: 'Jen',
  Thomas: 'Tom',
  Samuel: 'Sam',
};
// prettier-ignore
const TITLES = [
  'Account Executive', 'CFO', 'Chief Marketing Officer', 'Customer Success Manager', 'CTO',
  'Data Analyst', 'Demand Generation Manager', 'Director of Marketing', 'Director of Sales',
  'Head of Growth', 'Head of Operations', 'Marketing Manager', 'Marketing Operations Manager',
  'Office Manager', 'Product Manager', 'Revenue Operations Manager', 'Sales Development Rep',
  'Software Engineer', 'VP Engineering', 'VP Sales',
];
// prettier-ignore
const COMPANY_WORDS = [
  'Acme', 'Apex', 'Aurora', 'Beacon', 'Blue Harbor', 'Brightline', 'Cascade', 'Cedar', 'Cobalt',
  'Crescent', 'Delta', 'Evergreen', 'Falcon', 'Fjord', 'Granite', 'Helix', 'Horizon', 'Ironwood',
  'Juniper', 'Keystone', 'Lumen', 'Maple', 'Meridian', 'Northwind', 'Nova', 'Orbit', 'Pinnacle',
  'Quantum', 'Redwood', 'Riverbend', 'Sapphire', 'Summit', 'Tidal', 'Vertex', 'Willow', 'Zenith',
];
const COMPANY_KINDS = ['Analytics', 'Labs', 'Systems', 'Logistics', 'Health', 'Foods', 'Capital'];
const CITIES = ['Austin', 'Berlin', 'Chicago', 'Dublin', 'Lisbon', 'London', 'Lyon', 'Toronto'];

/** HubSpot's lifecycle stages the org's restricted picklist knows, with the org's label. */
const STAGES: ReadonlyArray<[hubspot: string, salesforce: string]> = [
  ['subscriber', 'Subscriber'],
  ['lead', 'Lead'],
  ['marketingqualifiedlead', 'MQL'],
  ['salesqualifiedlead', 'SQL'],
  ['customer', 'Customer'],
];
/** Industries both sides know, each in its own spelling. */
const INDUSTRIES: ReadonlyArray<[hubspot: string, salesforce: string]> = [
  ['COMPUTER_SOFTWARE', 'Technology'],
  ['FINANCIAL_SERVICES', 'Banking'],
  ['RETAIL', 'Retail'],
];
const INTERESTS: ReadonlyArray<[hubspot: string, salesforce: string]> = [
  ['analytics', 'Analytics'],
  ['automation', 'Automation'],
  ['crm', 'CRM'],
  ['ads', 'Ads'],
];
const LEAD_SOURCES = ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'];
const LEAD_STATUSES = ['Open - Not Contacted', 'Working - Contacted', 'Closed - Not Converted'];

const DAY_MS = 86_400_000;

interface Company {
  name: string;
  domain: string;
  city: string;
  phone: string;
  industry: number;
  employees: number;
}

interface Person {
  first: string;
  last: string;
  email: string;
  phone: string;
  title: string;
  stage: number;
  interests: number[];
  optedOut: boolean;
  company: number;
}

class Dealer {
  readonly random: () => number;
  private readonly used = new Set<string>();

  constructor(seed: number) {
    this.random = seededRandom(seed);
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.random() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  chance(probability: number): boolean {
    return this.random() < probability;
  }

  int(below: number): number {
    return Math.floor(this.random() * below);
  }

  phone(): string {
    return `+1${String(200 + this.int(800))}555${String(this.int(10_000)).padStart(4, '0')}`;
  }

  /** `base`, or `base` with a number, whichever is still free. */
  unique(base: (n: number) => string): string {
    for (let n = 1; ; n++) {
      const candidate = base(n);
      if (!this.used.has(candidate)) {
        this.used.add(candidate);
        return candidate;
      }
    }
  }

  /** How long ago a record last changed: 1 hour to a year, more of them recent. */
  age(): number {
    return Math.floor((this.random() ** 2 * 364 + 1 / 24) * DAY_MS);
  }
}

function slug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function company(dealer: Dealer): Company {
  const name = dealer.unique(
    (n) =>
      `${dealer.pick(COMPANY_WORDS)} ${dealer.pick(COMPANY_KINDS)}${n === 1 ? '' : ` ${String(n)}`}`,
  );
  return {
    name,
    domain: `${slug(name)}.example.com`,
    city: dealer.pick(CITIES),
    phone: dealer.phone(),
    industry: dealer.int(INDUSTRIES.length),
    employees: 5 + dealer.int(5000),
  };
}

function person(dealer: Dealer, companies: readonly Company[], companyIndex: number): Person {
  const first = dealer.pick(FIRST_NAMES);
  const last = dealer.pick(LAST_NAMES);
  const domain = companies[companyIndex]?.domain ?? 'example.com';
  const email = dealer.unique(
    (n) => `${slug(first)}.${slug(last)}${n === 1 ? '' : String(n)}@${domain}`,
  );
  return {
    first,
    last,
    email,
    phone: dealer.phone(),
    title: dealer.pick(TITLES),
    stage: dealer.int(STAGES.length),
    interests: INTERESTS.map((_, i) => i).filter(() => dealer.chance(0.25)),
    optedOut: dealer.chance(0.05),
    company: companyIndex,
  };
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

  const hubspotCompanies: HubSpotSeed[] = hubspotCompanyIndexes.map((i) => {
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
  const accounts: SalesforceSeed[] = salesforceCompanyIndexes.map((i) => {
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

  const leads: SalesforceSeed[] = Array.from({ length: sizes.leads }, () => {
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

  // Dealt last, so that the CRMs' data is the same with or without it.
  const marketo = marketoLeads(
    dealer,
    companies,
    { sharedPeople, hubspotOnly, salesforceOnly },
    leads,
  );

  return {
    hubspot: { contacts: hubspotContacts, companies: hubspotCompanies },
    salesforce: { accounts, contacts: salesforceContacts, leads },
    marketo: { leads: marketo },
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
