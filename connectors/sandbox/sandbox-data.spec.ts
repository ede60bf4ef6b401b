import { SANDBOX_SIZES, sandboxDataSet } from './sandbox-data';

describe('the sandbox data set', () => {
  const data = sandboxDataSet();
  const hubspotEmails = data.hubspot.contacts.map((c) => c.properties['email'] ?? '');
  const salesforceEmails = data.salesforce.contacts.map((c) => String(c.values['Email']));

  it('is the same at every start', () => {
    expect(JSON.stringify(sandboxDataSet())).toBe(JSON.stringify(data));
  });

  it('has several thousand contacts and companies on each side', () => {
    expect(data.hubspot.contacts).toHaveLength(SANDBOX_SIZES.contacts);
    expect(data.hubspot.companies).toHaveLength(SANDBOX_SIZES.companies);
    expect(data.salesforce.contacts).toHaveLength(SANDBOX_SIZES.contacts);
    expect(data.salesforce.accounts).toHaveLength(SANDBOX_SIZES.companies);
    expect(data.salesforce.leads).toHaveLength(SANDBOX_SIZES.leads);
  });

  it('shares 60% of the contacts by email (case aside), each email once per side', () => {
    const hubspot = new Set(hubspotEmails.map((e) => e.toLowerCase()));
    const salesforce = new Set(salesforceEmails.map((e) => e.toLowerCase()));
    expect(hubspot.size).toBe(hubspotEmails.length);
    expect(salesforce.size).toBe(salesforceEmails.length);
    const shared = [...hubspot].filter((email) => salesforce.has(email));
    expect(shared.length / SANDBOX_SIZES.contacts).toBeCloseTo(0.6, 2);
    // Some shared emails are typed differently in Salesforce.
    expect(salesforceEmails.some((email) => email !== email.toLowerCase())).toBe(true);
  });

  it('keeps Leads apart from both contact lists', () => {
    const contacts = new Set([...hubspotEmails, ...salesforceEmails].map((e) => e.toLowerCase()));
    for (const lead of data.salesforce.leads)
      expect(contacts.has(String(lead.values['Email']).toLowerCase())).toBe(false);
  });

  it('lets some values of shared people differ, and plants conflicts and invalid values', () => {
    const byEmail = new Map(salesforceEmails.map((email, i) => [email.toLowerCase(), i]));
    let titles = 0;
    for (const contact of data.hubspot.contacts) {
      const i = byEmail.get((contact.properties['email'] ?? '').toLowerCase());
      if (i === undefined) continue;
      if (contact.properties['jobtitle'] !== data.salesforce.contacts[i]?.values['Title']) titles++;
    }
    expect(titles).toBeGreaterThan(50);
    expect(titles).toBeLessThan(300);

    expect(data.planted.conflicts).toHaveLength(8);
    for (const email of data.planted.conflicts) {
      const h = data.hubspot.contacts.find((c) => c.properties['email'] === email);
      const i = byEmail.get(email.toLowerCase());
      expect(i).toBeDefined();
      const s = data.salesforce.contacts.at(i ?? 0);
      expect(h?.properties['firstname']).not.toBe(s?.values['FirstName']);
      expect(h?.properties['lifecyclestage']).toBeDefined();
    }

    const invalid = data.hubspot.contacts.filter((c) =>
      data.planted.invalid.includes(c.properties['email'] ?? ''),
    );
    expect(invalid).toHaveLength(7);
    const isEmail = (value: string | undefined): boolean =>
      /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value ?? '');
    expect(invalid.filter((c) => !isEmail(c.properties['email']))).toHaveLength(2);
    expect(invalid.filter((c) => !('lastname' in c.properties))).toHaveLength(2);
    expect(invalid.filter((c) => (c.properties['firstname'] ?? '').length > 40)).toHaveLength(1);
    expect(
      invalid.filter((c) => ['evangelist', 'other'].includes(c.properties['lifecyclestage'] ?? '')),
    ).toHaveLength(2);
  });

  it('gives Marketo leads that overlap both CRMs and its own people, each email once', () => {
    const sizes = SANDBOX_SIZES.marketo;
    const marketo = data.marketo.leads.map((lead) => String(lead.fields['email']).toLowerCase());
    expect(new Set(marketo).size).toBe(marketo.length);
    expect(marketo).toHaveLength(
      sizes.shared + sizes.hubspotOnly + sizes.salesforceOnly + sizes.salesforceLeads + sizes.own,
    );
    const hubspot = new Set(hubspotEmails.map((e) => e.toLowerCase()));
    const salesforce = new Set(salesforceEmails.map((e) => e.toLowerCase()));
    const leads = new Set(
      data.salesforce.leads.map((lead) => String(lead.values['Email']).toLowerCase()),
    );
    expect(marketo.filter((email) => hubspot.has(email) && salesforce.has(email))).toHaveLength(
      sizes.shared,
    );
    expect(marketo.filter((email) => leads.has(email))).toHaveLength(sizes.salesforceLeads);
    expect(
      marketo.filter((email) => !hubspot.has(email) && !salesforce.has(email) && !leads.has(email)),
    ).toHaveLength(sizes.own);
  });
});
