/**
 * HubSpot contact lists as an audience source: a list's members read whole as contacts with the
 * fields asked for, across membership pages (250) and batch reads (100), of any processing type;
 * and the contact fields that hold an email opt-out.
 */
import { pagesOf } from '../sdk/testing/harness';
import { connectToEmulator } from './harness';

describe('HubSpot lists as an audience source', () => {
  const closing: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closing.splice(0)) await close();
  });

  it('reads every member of a list as a contact, page by page', async () => {
    const { connector, emulator } = await connectToEmulator();
    closing.push(() => emulator.close());
    const list = emulator.lists.create('Engaged', 'DYNAMIC', { filterBranchType: 'OR' });
    const expected: string[] = [];
    for (let n = 0; n < 260; n++) {
      const contact = emulator.store.insert('contacts', {
        email: `p${String(n)}@list.example.com`,
        firstname: `P${String(n)}`,
      });
      // Every other contact is in the list.
      if (n % 2 === 0) {
        list.members.set(contact.id, new Date().toISOString());
        expected.push(contact.id);
      }
    }
    emulator.counters.reset();
    const pages = await pagesOf(
      connector.readAudience({
        object: 'contacts',
        audience: list.listId,
        fields: ['email', 'firstname'],
        pageSize: 100,
      }),
    );
    const records = pages.flat();
    expect(records.map((record) => record.id).sort()).toEqual([...expected].sort());
    expect(records.find((record) => record.fields.email === 'p2@list.example.com')?.fields).toEqual(
      expect.objectContaining({ email: 'p2@list.example.com', firstname: 'P2' }),
    );
    // 130 members: one memberships page (250), then batch reads of 100 and 30.
    expect(emulator.counters.matching(/memberships/)).toBe(1);
    expect(emulator.counters.matching(/batch\/read/)).toBe(2);
  });

  it('refuses another object and an id that is not a list id', async () => {
    const { connector, emulator } = await connectToEmulator();
    closing.push(() => emulator.close());
    const read = (object: string, audience: string) =>
      pagesOf(connector.readAudience({ object, audience, fields: ['name'], pageSize: 100 }));
    await expect(read('companies', '1')).rejects.toThrow(/hold contacts/);
    await expect(read('contacts', 'newsletter')).rejects.toThrow(/list id \(a number\)/);
  });

  it('names the contact fields that hold an email opt-out', async () => {
    const { connector, emulator } = await connectToEmulator();
    closing.push(() => emulator.close());
    expect(connector.optOutValues('contacts', 'hs_email_optout')).toEqual([true]);
    expect(connector.optOutValues('contacts', 'hs_email_optout_1001')).toEqual([true]);
    expect(connector.optOutValues('contacts', 'email')).toBeUndefined();
    expect(connector.optOutValues('companies', 'hs_email_optout')).toBeUndefined();
  });
});
