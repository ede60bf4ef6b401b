/**
 * Endpoints the connector needs next, driven by the official SDK unmodified: properties and
 * property groups, associations v4, merges and GDPR deletes, with HubSpot's documented answers.
 */
import { Client } from '@hubspot/api-client';
import { FakeClock } from '../../sdk/clock';
import { DEFAULT_PRIVATE_APP_TOKEN, type HubSpotEmulator, startHubSpotEmulator } from '.';

describe('HubSpot emulator: properties, associations, merges, GDPR deletes (official SDK)', () => {
  let emulator: HubSpotEmulator;
  let client: Client;

  beforeEach(async () => {
    emulator = await startHubSpotEmulator({ clock: new FakeClock() });
    client = new Client({
      basePath: emulator.url,
      accessToken: DEFAULT_PRIVATE_APP_TOKEN,
      numberOfApiCallRetries: 0,
    });
  });

  afterEach(async () => {
    await emulator.close();
  });

  const contact = async (properties: Record<string, string>): Promise<string> =>
    (await client.crm.contacts.basicApi.create({ properties, associations: [] })).id;

  it('creates a property group and a property in it, which records then take and search finds', async () => {
    const group = await client.crm.properties.groupsApi.create('contacts', {
      name: 'syncline',
      label: 'Syncline',
      displayOrder: 1,
    });
    expect(group).toMatchObject({ name: 'syncline', label: 'Syncline' });
    expect(
      (await client.crm.properties.groupsApi.getAll('contacts')).results.map((item) => item.name),
    ).toContain('syncline');
    const created = await client.crm.properties.coreApi.create('contacts', {
      name: 'salesforce_id',
      label: 'Salesforce ID',
      type: 'string' as never,
      fieldType: 'text' as never,
      groupName: 'syncline',
      hasUniqueValue: true,
    });
    expect(created).toMatchObject({
      name: 'salesforce_id',
      hasUniqueValue: true,
      hubspotDefined: false,
    });
    expect((await client.crm.properties.coreApi.getByName('contacts', 'salesforce_id')).label).toBe(
      'Salesforce ID',
    );
    const id = await contact({ email: 'ann@example.com', salesforce_id: '003Dn0000000001IAA' });
    const found = await client.crm.contacts.basicApi.getById(
      '003Dn0000000001IAA',
      ['email'],
      undefined,
      undefined,
      false,
      'salesforce_id',
    );
    expect(found.id).toBe(id);

    // A second property of that name, or one in a group that does not exist, is refused.
    await expect(
      client.crm.properties.coreApi.create('contacts', {
        name: 'salesforce_id',
        label: 'Again',
        type: 'string' as never,
        fieldType: 'text' as never,
        groupName: 'syncline',
      }),
    ).rejects.toMatchObject({ code: 409 });
    await expect(
      client.crm.properties.coreApi.create('contacts', {
        name: 'other_id',
        label: 'Other',
        type: 'string' as never,
        fieldType: 'text' as never,
        groupName: 'nowhere',
      }),
    ).rejects.toMatchObject({ code: 400 });
  });

  it('associates a contact with a company by default, lists it from both sides, and removes it', async () => {
    const contactId = await contact({ email: 'ann@example.com' });
    const companyId = (
      await client.crm.companies.basicApi.create({ properties: { name: 'Acme' }, associations: [] })
    ).id;
    const made = await client.crm.associations.v4.basicApi.createDefault(
      'contacts',
      contactId,
      'companies',
      companyId,
    );
    expect(made.status).toBe('COMPLETE');
    expect(made.results[0]?.associationSpec).toMatchObject({
      associationCategory: 'HUBSPOT_DEFINED',
      associationTypeId: 279,
    });
    const fromCompany = await client.crm.associations.v4.basicApi.getPage(
      'companies',
      companyId,
      'contacts',
    );
    // HubSpot's toObjectId is an int64 in JSON.
    expect(fromCompany.results).toEqual([
      {
        toObjectId: Number(contactId),
        associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 280, label: null }],
      },
    ]);
    await client.crm.associations.v4.basicApi.archive(
      'contacts',
      contactId,
      'companies',
      companyId,
    );
    expect(
      (await client.crm.associations.v4.basicApi.getPage('contacts', contactId, 'companies'))
        .results,
    ).toEqual([]);
  });

  it('merges two contacts: the primary keeps its values, takes the missing ones, lists the merged id', async () => {
    const primary = await contact({ email: 'ann@example.com', firstname: 'Ann' });
    const loser = await contact({
      email: 'ann.old@example.com',
      firstname: 'Annie',
      jobtitle: 'CTO',
    });

    const merged = await client.crm.contacts.basicApi.merge({
      primaryObjectId: primary,
      objectIdToMerge: loser,
    });

    expect(merged.id).toBe(primary);
    const read = await client.crm.contacts.basicApi.getById(primary, [
      'email',
      'firstname',
      'jobtitle',
      'hs_merged_object_ids',
    ]);
    expect(read.properties).toMatchObject({
      email: 'ann@example.com',
      firstname: 'Ann',
      jobtitle: 'CTO',
      hs_merged_object_ids: loser,
    });
    // The merged-away id reads as the primary, and is in no archived list.
    expect((await client.crm.contacts.basicApi.getById(loser)).id).toBe(primary);
    const archived = await client.crm.contacts.basicApi.getPage(
      10,
      undefined,
      undefined,
      undefined,
      undefined,
      true,
    );
    expect(archived.results).toEqual([]);
    await expect(
      client.crm.contacts.basicApi.merge({ primaryObjectId: primary, objectIdToMerge: '999' }),
    ).rejects.toMatchObject({ code: 404 });
  });

  it('deletes a contact for good on a GDPR request: not readable, not archived', async () => {
    const id = await contact({ email: 'gone@example.com' });
    await client.crm.contacts.basicApi.purge({ objectId: 'gone@example.com', idProperty: 'email' });
    await expect(client.crm.contacts.basicApi.getById(id)).rejects.toMatchObject({ code: 404 });
    await expect(
      client.crm.contacts.basicApi.getById(id, undefined, undefined, undefined, true),
    ).rejects.toMatchObject({ code: 404 });
    await expect(client.crm.contacts.basicApi.purge({ objectId: id })).rejects.toMatchObject({
      code: 404,
    });
  });
});
