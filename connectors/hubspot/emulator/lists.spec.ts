/**
 * The HubSpot emulator's Lists v3 through `@hubspot/api-client`, unmodified: lists created and
 * searched, memberships changed on MANUAL lists and refused on DYNAMIC ones, missing records
 * reported, memberships paged 250 at a time.
 */
import { Client } from '@hubspot/api-client';
import { DEFAULT_PRIVATE_APP_TOKEN, type HubSpotEmulator, startHubSpotEmulator } from './index';

let emulator: HubSpotEmulator;
let client: Client;

beforeEach(async () => {
  emulator = await startHubSpotEmulator();
  client = new Client({
    basePath: emulator.url,
    accessToken: DEFAULT_PRIVATE_APP_TOKEN,
    numberOfApiCallRetries: 0,
  });
});

afterEach(async () => {
  await emulator.close();
});

describe('HubSpot emulator: lists v3', () => {
  it('creates a MANUAL list, finds it by search, and changes its members by record id', async () => {
    const created = await client.crm.lists.listsApi.create({
      name: 'Webinar attendees',
      objectTypeId: '0-1',
      processingType: 'MANUAL',
    });
    expect(created.list).toMatchObject({ name: 'Webinar attendees', processingType: 'MANUAL' });
    const { listId } = created.list;
    const [ann, bob] = ['ann@acme.example.com', 'bob@acme.example.com'].map(
      (email) => emulator.store.insert('contacts', { email }).id,
    );
    const added = await client.crm.lists.membershipsApi.addAndRemove(listId, {
      recordIdsToAdd: [ann, bob, '999999'],
      recordIdsToRemove: [],
    });
    expect(added).toMatchObject({ recordsIdsAdded: [ann, bob], recordIdsMissing: ['999999'] });
    const again = await client.crm.lists.membershipsApi.addAndRemove(listId, {
      recordIdsToAdd: [ann],
      recordIdsToRemove: [bob],
    });
    expect(again).toMatchObject({ recordsIdsAdded: [], recordIdsRemoved: [bob] });
    const page = await client.crm.lists.membershipsApi.getPage(listId);
    expect(page.results.map((member) => member.recordId)).toEqual([ann]);
    const search = await client.crm.lists.listsApi.doSearch({
      query: 'webinar',
      offset: 0,
      additionalProperties: ['hs_list_size'],
    });
    expect(search).toMatchObject({ total: 1, hasMore: false });
    expect(search.lists[0]?.additionalProperties).toEqual({ hs_list_size: '1' });
  });

  it('refuses to change a DYNAMIC list and a search without its required fields', async () => {
    const dynamic = emulator.lists.create('Customers', 'DYNAMIC', { filterBranchType: 'OR' });
    const contact = emulator.store.insert('contacts', { email: 'cy@acme.example.com' }).id;
    await expect(
      client.crm.lists.membershipsApi.add(dynamic.listId, [contact]),
    ).rejects.toMatchObject({ code: 400 });
    expect(dynamic.members.size).toBe(0);
    const response = await fetch(`${emulator.url}/crm/v3/lists/search`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${DEFAULT_PRIVATE_APP_TOKEN}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ query: '' }),
    });
    expect(response.status).toBe(400);
    await expect(
      client.crm.lists.listsApi.create({
        name: 'Bad',
        objectTypeId: '0-1',
        processingType: 'DYNAMIC',
      }),
    ).rejects.toMatchObject({ code: 400 });
  });

  it('pages memberships 250 at a time', async () => {
    const list = emulator.lists.create('Big', 'MANUAL');
    const ids = emulator.seed('contacts', 300).map((record) => record.id);
    await client.crm.lists.membershipsApi.add(list.listId, ids);
    const first = await client.crm.lists.membershipsApi.getPage(
      list.listId,
      undefined,
      undefined,
      250,
    );
    expect(first.results).toHaveLength(250);
    const after = first.paging?.next?.after;
    const second = await client.crm.lists.membershipsApi.getPage(
      list.listId,
      after,
      undefined,
      250,
    );
    expect(second.results).toHaveLength(50);
    expect(second.paging).toBeUndefined();
    await expect(
      client.crm.lists.membershipsApi.getPage(list.listId, undefined, undefined, 251),
    ).rejects.toMatchObject({ code: 400 });
  });
});
