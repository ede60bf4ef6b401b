/**
 * Salesforce Contacts ↔ a Mailchimp audience, both emulated, the opt-out mapped with
 * unsubscribe_wins: an unsubscribe in Mailchimp reaches HasOptedOutOfEmail within one run, and no
 * later edit on the Salesforce side (the opt-out cleared, other fields changed) re-subscribes the
 * person; the sync log says why the status was kept.
 */
import { runSync } from '../../src/engine';
import type { SyncDefinition } from '../../src/engine';
import { MemorySyncStore } from '../../src/engine/testing/memory-store';
import { connectToMailchimp } from '../../connectors/mailchimp/harness';
import type { MailchimpConnector } from '../../connectors/mailchimp';
import type { MailchimpEmulator, StoredList } from '../../connectors/mailchimp/emulator';
import { FakeClock } from '../../connectors/sdk/clock';
import type { SalesforceConnector } from '../../connectors/salesforce/connector';
import type { SalesforceEmulator } from '../../connectors/salesforce/emulator';
import { startSalesforcePair } from '../../connectors/salesforce/harness';
import { optOutMapping } from '../../src/engine/testing/opt-out.test-kit';

const definition: SyncDefinition = {
  id: 'salesforce-mailchimp-optout',
  left: { object: 'Contact', writeMode: 'upsert' },
  right: { object: 'members', writeMode: 'upsert' },
  direction: 'bidirectional',
  match: { left: 'Email', right: 'email_address', normalizer: 'email' },
  mappings: [
    { left: 'Email', right: 'email_address', direction: 'both' },
    { left: 'FirstName', right: 'FNAME', direction: 'both' },
    optOutMapping('HasOptedOutOfEmail', 'status'),
  ],
  defaultPolicy: 'latest_wins',
  tieBreaker: 'left',
  deletePolicy: 'ignore',
};

describe('Salesforce ↔ Mailchimp: an unsubscribe is never undone', () => {
  const clock = new FakeClock({ autoAdvance: true, start: '2026-03-01T09:00:00.000Z' });
  let salesforce: { emulator: SalesforceEmulator; connector: SalesforceConnector };
  let mailchimp: {
    emulator: MailchimpEmulator;
    connector: MailchimpConnector;
    audience: StoredList;
  };
  const store = new MemorySyncStore();
  let contactId = '';
  const run = () =>
    runSync({
      definition,
      left: salesforce.connector,
      right: mailchimp.connector,
      store,
      trigger: 'manual',
      clock,
    });
  const member = () => mailchimp.emulator.store.member(mailchimp.audience, 'ann@acme.example.com');
  const contact = () => salesforce.emulator.store.get(contactId)?.values;

  beforeAll(async () => {
    salesforce = await startSalesforcePair({ clock });
    mailchimp = await connectToMailchimp({ clock });
    const created = salesforce.emulator.store.create('Contact', {
      Email: 'ann@acme.example.com',
      FirstName: 'Ann',
      LastName: 'Lovelace',
      HasOptedOutOfEmail: false,
    });
    contactId = created.ok ? created.id : '';
    const first = await run();
    expect(first).toMatchObject({ status: 'succeeded' });
    expect(member()).toMatchObject({ status: 'subscribed', merge_fields: { FNAME: 'Ann' } });
  });

  afterAll(async () => {
    await salesforce.emulator.close();
    await mailchimp.emulator.close();
  });

  it('takes an unsubscribe in Mailchimp to HasOptedOutOfEmail within one run', async () => {
    await clock.advance(120_000);
    const ann = member();
    if (ann === undefined) throw new Error('no member');
    mailchimp.emulator.store.changeMember(ann, { status: 'unsubscribed' });
    await clock.advance(120_000);
    const result = await run();
    expect(result.status).toBe('succeeded');
    expect(contact()?.HasOptedOutOfEmail).toBe(true);
  });

  it('does not re-subscribe when Salesforce clears the opt-out and edits the name, and logs why', async () => {
    await clock.advance(120_000);
    salesforce.emulator.store.update('Contact', contactId, {
      HasOptedOutOfEmail: false,
      FirstName: 'Annie',
    });
    await clock.advance(120_000);
    const result = await run();
    expect(result.status).toBe('succeeded');
    expect(member()).toMatchObject({ status: 'unsubscribed', merge_fields: { FNAME: 'Annie' } });
    const kept = store.events.find(
      (event) =>
        event.action === 'skipped' && event.side === 'right' && event.runId === result.runId,
    );
    expect(kept?.message).toContain('kept status opted out');
    // Nothing failed: the sync never asked Mailchimp to re-subscribe (it would refuse).
    expect(mailchimp.emulator.counters.byStatus.get(400) ?? 0).toBe(0);
    const again = await run();
    expect(again.counters.updated).toBe(0);
    expect(member()?.status).toBe('unsubscribed');
  });
});
