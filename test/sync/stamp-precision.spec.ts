/**
 * latest_wins between a vendor stamping changes in whole seconds (Salesforce's SystemModstamp) and
 * one stamping milliseconds (HubSpot): two changes within the same second are a tie, decided by the
 * sync's tie-breaker and said so in the sync log; changes further apart go to the later one.
 */
import { runSync } from '../../src/engine';
import { MemorySyncStore } from '../../src/engine/testing/memory-store';
import type { HubSpotConnector } from '../../connectors/hubspot';
import type { HubSpotEmulator } from '../../connectors/hubspot/emulator';
import { connectToEmulator } from '../../connectors/hubspot/harness';
import { FakeClock } from '../../connectors/sdk/clock';
import type { SalesforceConnector } from '../../connectors/salesforce/connector';
import type { SalesforceEmulator } from '../../connectors/salesforce/emulator';
import { startSalesforcePair } from '../../connectors/salesforce/harness';
import { contactsBothWays } from './definitions';

// Salesforce decides ties here, so a tie and "HubSpot is later" give different answers.
const definition = contactsBothWays(
  'stamp-precision',
  [{ left: 'jobtitle', right: 'Title', direction: 'both', policy: 'latest_wins' }],
  { tieBreaker: 'right' },
);

describe('latest_wins across stamps of different precision', () => {
  const clock = new FakeClock({ autoAdvance: true, start: '2024-03-01T09:00:00.000Z' });
  let hubspot: { emulator: HubSpotEmulator; connector: HubSpotConnector };
  let salesforce: { emulator: SalesforceEmulator; connector: SalesforceConnector };
  const store = new MemorySyncStore();
  let hubspotId = '';
  let salesforceId = '';
  const run = () =>
    runSync({
      definition,
      left: hubspot.connector,
      right: salesforce.connector,
      store,
      trigger: 'manual',
      clock,
    });
  const titles = (): { hubspot: unknown; salesforce: unknown } => ({
    hubspot: hubspot.emulator.store.get('contacts', hubspotId)?.properties['jobtitle'],
    salesforce: salesforce.emulator.store.get(salesforceId)?.values['Title'],
  });
  /** Moves the fake clock to `ms` past the start of the next whole minute (runs move it too). */
  let minute = 0;
  const nextMinute = (): void => {
    minute = (Math.floor(clock.now().getTime() / 60_000) + 1) * 60_000;
  };
  const at = async (ms: number): Promise<void> => {
    await clock.advance(minute + ms - clock.now().getTime());
  };

  beforeAll(async () => {
    hubspot = await connectToEmulator({ clock });
    salesforce = await startSalesforcePair({ clock });
    hubspotId = hubspot.emulator.store.insert('contacts', {
      email: 'ann@example.com',
      jobtitle: 'Engineer',
    }).id;
    const created = salesforce.emulator.store.create('Contact', {
      Email: 'ann@example.com',
      LastName: 'Lovelace',
      Title: 'Engineer',
    });
    salesforceId = created.ok ? created.id : '';
    const linked = await run();
    expect(linked.status).toBe('succeeded');
  });

  afterAll(async () => {
    await hubspot.emulator.close();
    await salesforce.emulator.close();
  });

  it('calls two changes within the same second a tie, goes to the tie-breaker and logs why', async () => {
    // HubSpot at .300, Salesforce at .900: Salesforce's change is later, but its stamp reads .000.
    nextMinute();
    await at(300);
    hubspot.emulator.store.edit('contacts', hubspotId, { jobtitle: 'Engineer (HubSpot)' });
    await at(900);
    salesforce.emulator.store.update('Contact', salesforceId, { Title: 'Engineer (Salesforce)' });
    await at(30_000);
    const result = await run();
    expect(result.status).toBe('succeeded');
    expect(titles()).toEqual({
      hubspot: 'Engineer (Salesforce)',
      salesforce: 'Engineer (Salesforce)',
    });
    const written = store.events.filter(
      (event) => event.runId === result.runId && event.action === 'updated',
    );
    expect(written).toHaveLength(1);
    expect(written[0]?.side).toBe('left');
    expect(written[0]?.message).toMatch(
      /both sides changed jobtitle ↔ Title within the same 1 s .*a tie, decided by the tie-breaker \(right\)/,
    );
  });

  it('gives a change a second or more later to the later side, with no tie in the log', async () => {
    nextMinute();
    await at(100);
    salesforce.emulator.store.update('Contact', salesforceId, { Title: 'Lead (Salesforce)' });
    await at(1_200);
    hubspot.emulator.store.edit('contacts', hubspotId, { jobtitle: 'Lead (HubSpot)' });
    await at(30_000);
    const result = await run();
    expect(result.status).toBe('succeeded');
    expect(titles()).toEqual({ hubspot: 'Lead (HubSpot)', salesforce: 'Lead (HubSpot)' });
    const written = store.events.filter(
      (event) => event.runId === result.runId && event.action === 'updated',
    );
    expect(written.map((event) => [event.side, event.message])).toEqual([['right', null]]);
  });
});
