import { connectorRegistry } from '..';
import { recordUrl } from './record-links';

const linksOf = (kind: string, settings: Record<string, unknown>) => {
  const definition = connectorRegistry.find((candidate) => candidate.kind === kind);
  if (definition === undefined) throw new Error(`no connector ${kind}`);
  return definition.recordLinksFor(settings);
};

describe('record links', () => {
  it("links a HubSpot record to its page by the object's type id, in the portal's data centre", () => {
    const links = linksOf('hubspot', { portalId: 4711 });
    expect(recordUrl(links, 'contacts', '501')).toBe(
      'https://app.hubspot.com/contacts/4711/record/0-1/501',
    );
    expect(recordUrl(links, 'companies', '7')).toBe(
      'https://app.hubspot.com/contacts/4711/record/0-2/7',
    );
    expect(
      recordUrl(
        linksOf('hubspot', { portalId: 4711, baseUrl: 'https://api-eu1.hubapi.com' }),
        'deals',
        '9',
      ),
    ).toBe('https://app-eu1.hubspot.com/contacts/4711/record/0-3/9');
    // An emulator answers the UI's address itself.
    expect(
      recordUrl(
        linksOf('hubspot', { portalId: 1, baseUrl: 'http://127.0.0.1:4010/' }),
        'contacts',
        '2',
      ),
    ).toBe('http://127.0.0.1:4010/contacts/1/record/0-1/2');
  });

  it('has no HubSpot links without the portal id, and no Marketo links', () => {
    expect(linksOf('hubspot', {})).toBeNull();
    expect(linksOf('marketo', { instanceUrl: 'https://123-ABC-456.mktorest.com/rest' })).toBeNull();
    expect(recordUrl(null, 'contacts', '1')).toBeUndefined();
  });

  it("links a Salesforce record to Lightning's record page on the org's domain", () => {
    const links = linksOf('salesforce', { instanceUrl: 'https://acme.my.salesforce.com/' });
    expect(recordUrl(links, 'Contact', '003Dn00000AbCdEIAZ')).toBe(
      'https://acme.my.salesforce.com/lightning/r/Contact/003Dn00000AbCdEIAZ/view',
    );
  });

  it('escapes ids that would change the path', () => {
    expect(recordUrl({ template: 'https://x.io/{object}/{id}' }, 'a b', '../1?x')).toBe(
      'https://x.io/a%20b/..%2F1%3Fx',
    );
  });

  it('names every vendor', () => {
    expect(
      Object.fromEntries(
        connectorRegistry.map((definition) => [definition.kind, definition.vendor]),
      ),
    ).toEqual({
      hubspot: 'HubSpot',
      salesforce: 'Salesforce',
      marketo: 'Marketo',
      mailchimp: 'Mailchimp',
      meta: 'Meta',
      linkedin: 'LinkedIn',
      'google-ads': 'Google',
      memory: 'Memory',
    });
  });
});
