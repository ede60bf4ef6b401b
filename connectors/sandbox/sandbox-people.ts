/**
 * The sandbox's people and companies: seeded, deterministic draws (the Dealer) from lists of
 * names, titles, industries and stages, each with its value on either CRM.
 */
import { seededRandom } from '../sdk/testing/emulator-kit';

// prettier-ignore
export const FIRST_NAMES = [
  'Ada', 'Alan', 'Amara', 'Ana', 'Anders', 'Aisha', 'Ben', 'Bianca', 'Carlos', 'Chen', 'Chloé',
  'Dana', 'David', 'Diego', 'Elena', 'Emeka', 'Emma', 'Fatima', 'Felix', 'Grace', 'Hana', 'Hugo',
  'Ines', 'Ivan', 'Jamal', 'Jana', 'Javier', 'Jun', 'Kai', 'Kenji', 'Lars', 'Leila', 'Lucas',
  'Maya', 'Mateo', 'Mei', 'Nadia', 'Noah', 'Olga', 'Omar', 'Priya', 'Rafael', 'Robert', 'Rosa',
  'Sam', 'Sara', 'Sofia', 'Tariq', 'Tom', 'Uma', 'Victor', 'William', 'Yara', 'Yusuf', 'Zoe',
  'Katherine', 'Elizabeth', 'Michael', 'Jennifer', 'Thomas',
];
// prettier-ignore
export const LAST_NAMES = [
  'Abe', 'Adeyemi', 'Alvarez', 'Andersen', 'Bauer', 'Becker', 'Bianchi', 'Brown', 'Castro', 'Chen',
  'Costa', 'Dubois', 'Dvořák', 'Eriksson', 'Fischer', 'Garcia', 'Gupta', 'Haddad', 'Hansen', 'Ito',
  'Jensen', 'Kaur', 'Kim', 'Kowalski', 'Kumar', 'Larsen', 'Lee', 'Lopez', 'Martin', 'Meyer',
  'Moreau', 'Müller', 'Nakamura', 'Nguyen', 'Novak', 'Nowak', 'Okafor', 'Olsen', 'Park', 'Patel',
  'Perez', 'Petrov', 'Rossi', 'Santos', 'Schmidt', 'Silva', 'Smith', 'Suzuki', 'Tanaka', 'Taylor',
  'Vargas', 'Wang', 'Weber', 'Williams', 'Wilson', 'Yamamoto', 'Young', 'Zhang', "O'Brien",
];
/** Short forms a person goes by on one side (HubSpot forms) and not the other (Salesforce). */
export const NICKNAMES: Record<string, string> = {
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
export const TITLES = [
  'Account Executive', 'CFO', 'Chief Marketing Officer', 'Customer Success Manager', 'CTO',
  'Data Analyst', 'Demand Generation Manager', 'Director of Marketing', 'Director of Sales',
  'Head of Growth', 'Head of Operations', 'Marketing Manager', 'Marketing Operations Manager',
  'Office Manager', 'Product Manager', 'Revenue Operations Manager', 'Sales Development Rep',
  'Software Engineer', 'VP Engineering', 'VP Sales',
];
// prettier-ignore
export const COMPANY_WORDS = [
  'Acme', 'Apex', 'Aurora', 'Beacon', 'Blue Harbor', 'Brightline', 'Cascade', 'Cedar', 'Cobalt',
  'Crescent', 'Delta', 'Evergreen', 'Falcon', 'Fjord', 'Granite', 'Helix', 'Horizon', 'Ironwood',
  'Juniper', 'Keystone', 'Lumen', 'Maple', 'Meridian', 'Northwind', 'Nova', 'Orbit', 'Pinnacle',
  'Quantum', 'Redwood', 'Riverbend', 'Sapphire', 'Summit', 'Tidal', 'Vertex', 'Willow', 'Zenith',
];
export const COMPANY_KINDS = [
  'Analytics',
  'Labs',
  'Systems',
  'Logistics',
  'Health',
  'Foods',
  'Capital',
];
export const CITIES = [
  'Austin',
  'Berlin',
  'Chicago',
  'Dublin',
  'Lisbon',
  'London',
  'Lyon',
  'Toronto',
];

/** HubSpot's lifecycle stages the org's restricted picklist knows, with the org's label. */
export const STAGES: ReadonlyArray<[hubspot: string, salesforce: string]> = [
  ['subscriber', 'Subscriber'],
  ['lead', 'Lead'],
  ['marketingqualifiedlead', 'MQL'],
  ['salesqualifiedlead', 'SQL'],
  ['customer', 'Customer'],
];
/** Industries both sides know, each in its own spelling. */
export const INDUSTRIES: ReadonlyArray<[hubspot: string, salesforce: string]> = [
  ['COMPUTER_SOFTWARE', 'Technology'],
  ['FINANCIAL_SERVICES', 'Banking'],
  ['RETAIL', 'Retail'],
];
export const INTERESTS: ReadonlyArray<[hubspot: string, salesforce: string]> = [
  ['analytics', 'Analytics'],
  ['automation', 'Automation'],
  ['crm', 'CRM'],
  ['ads', 'Ads'],
];
export const LEAD_SOURCES = ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'];
export const LEAD_STATUSES = [
  'Open - Not Contacted',
  'Working - Contacted',
  'Closed - Not Converted',
];

export const DAY_MS = 86_400_000;

export interface Company {
  name: string;
  domain: string;
  city: string;
  phone: string;
  industry: number;
  employees: number;
}

export interface Person {
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

export class Dealer {
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

export function slug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

export function company(dealer: Dealer): Company {
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

export function person(
  dealer: Dealer,
  companies: readonly Company[],
  companyIndex: number,
): Person {
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
