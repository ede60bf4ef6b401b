import type { FakeClock } from '../sdk/clock';
import type { WriteOperation, WriteResult } from '../sdk/contract';
import type { HubSpotConnector } from './connector';
import type { HubSpotEmulator } from './emulator';
import { connectToEmulator } from './harness';

function contacts(count: number, tag: string): WriteOperation[] {
  return Array.from({ length: count }, (_, i) => ({
    fields: { email: `${tag}-${i}@example.com`, firstname: `${tag} ${i}`, lifecyclestage: 'lead' },
  }));
}

function statuses(results: readonly WriteResult[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const result of results) counts[result.status] = (counts[result.status] ?? 0) + 1;
  return counts;
}

describe('hubspot writes', () => {
  let clock: FakeClock;
  let emulator: HubSpotEmulator;
  let connector: HubSpotConnector;

  afterEach(async () => {
    await emulator.close();
  });

  describe('on a default portal', () => {
    beforeEach(async () => {
      ({ clock, emulator, connector } = await connectToEmulator());
    });

    it('upserts 10,000 records in at most 101 write calls', async () => {
      const results = await connector.write({
        object: 'contacts',
        mode: 'upsert',
        matchField: 'email',
        operations: contacts(10_000, 'bulk'),
      });
      expect(statuses(results)).toEqual({ created: 10_000 });
      expect(emulator.store.count('contacts')).toBe(10_000);
      const writeCalls = emulator.counters.writeCalls();
      expect(writeCalls).toBeLessThanOrEqual(101);
      expect(emulator.counters.calls('POST /crm/v3/objects/contacts/batch/upsert')).toBe(100);
      console.info(`10,000 upserts: ${writeCalls} write calls`);
    });

    it('upserts by a property HubSpot holds not unique (domain) by lookup: update, create, or a duplicate refused', async () => {
      const acme = emulator.store.create('companies', { domain: 'acme.com', name: 'Acme' });
      emulator.store.create('companies', { domain: 'twice.com', name: 'Twice 1' });
      emulator.store.create('companies', { domain: 'twice.com', name: 'Twice 2' });
      await clock.advance(10_000); // past the search index's lag
      const results = await connector.write({
        object: 'companies',
        mode: 'upsert',
        matchField: 'domain',
        operations: [
          { fields: { domain: 'acme.com', name: 'Acme Corp' } },
          { fields: { domain: 'globex.com', name: 'Globex' } },
          { fields: { domain: 'twice.com', name: 'Which one?' } },
        ],
      });
      expect(results.map((result) => result.status)).toEqual(['updated', 'created', 'failed']);
      expect(results[0]).toMatchObject({ id: acme.id });
      expect(results[2]).toMatchObject({
        error: {
          code: 'duplicate',
          message: expect.stringContaining('2 companies have domain "twice.com"') as string,
        },
      });
      expect(emulator.store.get('companies', acme.id)?.properties['name']).toBe('Acme Corp');
      expect(emulator.store.count('companies')).toBe(4);
      // HubSpot's batch upsert, which refuses a property that is not unique, was not called.
      expect(emulator.counters.calls('POST /crm/v3/objects/companies/batch/upsert')).toBe(0);
    });

    it('turns 207 per-record errors into failed results, in order, and keeps the rest', async () => {
      const results = await connector.write({
        object: 'contacts',
        mode: 'upsert',
        matchField: 'email',
        operations: [
          { fields: { email: 'ok@example.com', firstname: 'Ok' } },
          { fields: { email: 'bad-option@example.com', lifecyclestage: 'not-a-stage' } },
          { fields: { email: 'unknown@example.com', favourite_colour: 'blue' } },
          { fields: { email: 'also-ok@example.com', interests: ['crm', 'ads'] } },
        ],
      });
      expect(results.map((result) => result.status)).toEqual([
        'created',
        'failed',
        'failed',
        'created',
      ]);
      expect(results[1]).toMatchObject({
        status: 'failed',
        error: { code: 'invalid_value', retryable: false, fields: ['lifecyclestage'] },
      });
      expect(results[2]).toMatchObject({
        status: 'failed',
        error: { code: 'invalid_value', fields: ['favourite_colour'] },
      });
      expect(
        emulator.store
          .all('contacts')
          .map((record) => record.properties['email'])
          .sort(),
      ).toEqual(['also-ok@example.com', 'ok@example.com']);
      const created = results[3];
      expect(
        created.status === 'created' ? created.record?.fields['interests'] : undefined,
      ).toEqual(['ads', 'crm']);
    });

    it('rejects an invalid email on create and reports it as invalid_value', async () => {
      const results = await connector.write({
        object: 'contacts',
        mode: 'create',
        operations: [
          { fields: { email: 'not an email' } },
          { fields: { email: 'fine@example.com' } },
        ],
      });
      expect(results.map((result) => result.status)).toEqual(['failed', 'created']);
      expect(results[0]).toMatchObject({ error: { code: 'invalid_value', fields: ['email'] } });
    });

    it('reports a taken email on create as a duplicate without failing the rest of the batch', async () => {
      const existing = emulator.store.insert('contacts', { email: 'taken@example.com' });
      const results = await connector.write({
        object: 'contacts',
        mode: 'create',
        operations: [
          { fields: { email: 'new-1@example.com' } },
          { fields: { email: 'Taken@example.com' } },
          { fields: { email: 'new-2@example.com' } },
        ],
      });
      expect(results.map((result) => result.status)).toEqual(['created', 'failed', 'created']);
      expect(results[1]).toMatchObject({
        status: 'failed',
        error: { code: 'duplicate', retryable: false },
      });
      expect(results[1]?.status === 'failed' ? results[1].error.message : '').toContain(
        `Contact already exists. Existing ID: ${existing.id}`,
      );
      expect(emulator.store.count('contacts')).toBe(3);
    });

    it('reports an update of a missing record as not_found', async () => {
      const kept = emulator.store.insert('contacts', { email: 'kept@example.com' });
      const results = await connector.write({
        object: 'contacts',
        mode: 'update',
        operations: [
          { id: '99999999', fields: { firstname: 'Ghost' } },
          { id: kept.id, fields: { firstname: 'Kept', hs_email_optout: true, annualrevenue: 12 } },
        ],
      });
      expect(results[0]).toMatchObject({
        status: 'failed',
        id: '99999999',
        error: { code: 'not_found' },
      });
      expect(results[1]).toMatchObject({ status: 'updated', id: kept.id });
      expect(emulator.store.get('contacts', kept.id)?.properties).toMatchObject({
        firstname: 'Kept',
        hs_email_optout: 'true',
        annualrevenue: '12',
      });
    });

    it('clears a property written as null and bumps lastmodifieddate', async () => {
      const before = emulator.store.insert('contacts', {
        email: 'clear@example.com',
        firstname: 'Gone',
      });
      await clock.advance(1_000);
      await connector.write({
        object: 'contacts',
        mode: 'update',
        operations: [{ id: before.id, fields: { firstname: null } }],
      });
      const after = emulator.store.get('contacts', before.id);
      expect(after?.properties['firstname']).toBeUndefined();
      expect(after?.properties['lastmodifieddate']).toBe(clock.now().toISOString());
      expect((after?.updatedAt ?? '') > before.updatedAt).toBe(true);
    });
  });

  describe('with a low 10-second limit', () => {
    beforeEach(async () => {
      ({ clock, emulator, connector } = await connectToEmulator({
        emulator: { rateLimits: { intervalMax: 10 } },
      }));
    });

    it('writes 5,000 records with zero failures, waiting out the 429s on its clock', async () => {
      const startedAt = clock.now().getTime();
      const results = await connector.write({
        object: 'contacts',
        mode: 'upsert',
        matchField: 'email',
        operations: contacts(5_000, 'throttled'),
      });
      expect(results.filter((result) => result.status === 'failed')).toEqual([]);
      expect(statuses(results)).toEqual({ created: 5_000 });
      expect(emulator.store.count('contacts')).toBe(5_000);
      // The emulator refused calls, and the connector waited rather than gave up.
      expect(emulator.counters.rateLimited).toBeGreaterThan(0);
      expect(clock.now().getTime() - startedAt).toBeGreaterThanOrEqual(40_000);
    });
  });
});
