/**
 * Email subscription statuses through the HubSpot connector and emulator: the opt-out of each
 * subscription type is a contact field, read like any property, writable through the connector
 * (Communication Preferences v4 batch write after the CRM write), and HubSpot's own record of it
 * (the statuses API and the read-only property) is what a later read returns.
 */
import { DEFAULT_SUBSCRIPTIONS } from './emulator';
import { connectToEmulator } from './harness';

const MARKETING = DEFAULT_SUBSCRIPTIONS[0]?.id ?? 0;
const FIELD = `hs_email_optout_${String(MARKETING)}`;

describe('HubSpot subscription statuses', () => {
  const closing: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closing.splice(0)) await close();
  });

  async function connect(settings: Record<string, unknown> = {}) {
    const connected = await connectToEmulator({ settings });
    closing.push(() => connected.emulator.close());
    return connected;
  }

  it('describes each subscription opt-out as a writable boolean of contacts', async () => {
    const { connector } = await connect();
    const contacts = (await connector.discover()).find((object) => object.name === 'contacts');
    expect(contacts?.fields.find((field) => field.name === FIELD)).toMatchObject({
      type: 'boolean',
      readOnly: false,
    });
  });

  it('writes an opt-out through the statuses API, with the legal basis, and reads it back', async () => {
    const { connector, emulator } = await connect({ legalBasis: 'LEGITIMATE_INTEREST_CLIENT' });
    const [created] = await connector.write({
      object: 'contacts',
      mode: 'upsert',
      matchField: 'email',
      operations: [{ fields: { email: 'ann@acme.example.com', firstname: 'Ann', [FIELD]: true } }],
    });
    expect(created).toMatchObject({ status: 'created', record: { fields: { [FIELD]: true } } });
    expect(emulator.subscriptions.status('ann@acme.example.com', MARKETING)).toMatchObject({
      status: 'UNSUBSCRIBED',
      legalBasis: 'LEGITIMATE_INTEREST_CLIENT',
      source: 'API',
    });
    expect(emulator.counters.calls('POST /communication-preferences/v4/statuses/batch/write')).toBe(
      1,
    );
    const id = created.status === 'created' ? created.id : '';
    // An update of the status alone: no CRM write, one statuses write (the email read first).
    const [updated] = await connector.write({
      object: 'contacts',
      mode: 'update',
      operations: [{ id, fields: { [FIELD]: false } }],
    });
    expect(updated).toMatchObject({ status: 'updated', id });
    expect(emulator.subscriptions.status('ann@acme.example.com', MARKETING)?.status).toBe(
      'SUBSCRIBED',
    );
    const [read] = await connector.get('contacts', [id], [FIELD, 'email']);
    expect(read.fields[FIELD]).toBe(false);
  });

  it('reads an unsubscribe made in HubSpot as a change of the contact', async () => {
    const { connector, emulator, clock } = await connect();
    const ann = emulator.store.insert('contacts', { email: 'ann@acme.example.com' });
    await clock.advance(60_000);
    const since = clock.now().toISOString();
    await clock.advance(1_000);
    emulator.subscriptions.set('ann@acme.example.com', MARKETING, 'UNSUBSCRIBED', {
      source: 'Unsubscribe link',
    });
    const changed = [];
    for await (const page of connector.read({ object: 'contacts', fields: [FIELD], since }))
      changed.push(...page.records);
    expect(changed.map((record) => [record.id, record.fields[FIELD]])).toEqual([[ann.id, true]]);
  });

  it('refuses a status write the portal does not take, leaving the contact written', async () => {
    const { connector, emulator } = await connect();
    const [result] = await connector.write({
      object: 'contacts',
      mode: 'upsert',
      matchField: 'email',
      operations: [{ fields: { email: 'bob@acme.example.com', hs_email_optout_9999: true } }],
    });
    expect(result).toMatchObject({ status: 'failed', error: { retryable: true } });
    if (result.status === 'failed') expect(result.error.message).toContain('subscription status');
    expect(emulator.store.findBy('contacts', 'email', 'bob@acme.example.com')).toBeDefined();
  });
});
