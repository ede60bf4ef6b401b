/**
 * Contract cases for an event destination: every event appended exactly once by its key, one
 * result per event, refusals per event, retries that never double an event, and identifiers that
 * leave normalised and hashed by the connector's declared rules.
 */
import type { ConnectorEvent } from '../contract';
import { normalizeIdentifier, sha256Hex } from '../normalize';
import type { EventHarness, Slot } from './destination-harness';
import { nth } from './harness';

function events(harness: EventHarness, tag: string, count: number): ConnectorEvent[] {
  return Array.from({ length: count }, (_, index) => ({
    key: `${tag}-${index}`,
    occurredAt: new Date(Date.UTC(2026, 10, 1, 12, 0, index)).toISOString(),
    identifiers: { email: `  Person.${tag}.${index}@Example.COM ` },
    fields: harness.eventFields,
  }));
}

function batchOf(harness: EventHarness): number {
  return harness.connector.limits.maxBatch.append ?? 1;
}

export function registerEventCases(slot: Slot<EventHarness>): void {
  it('appends more events than one batch holds: one sent per event, in order, each held once', async () => {
    const harness = slot.current;
    const batch = events(harness, 'many', batchOf(harness) * 2 + 3);
    const results = await harness.connector.append({ object: harness.object, events: batch });
    expect(results.map((result) => [result.key, result.status])).toEqual(
      batch.map((event) => [event.key, 'sent']),
    );
    const held = await harness.heldEvents();
    expect(batch.filter((event) => !held.has(event.key))).toEqual([]);
    expect(held.size).toBe(batch.length);
  });

  it('answers duplicate for an event the vendor has (sent where it drops them unsaid), and still holds it once', async () => {
    const harness = slot.current;
    const batch = events(harness, 'again', 3);
    await harness.connector.append({ object: harness.object, events: batch });
    const results = await harness.connector.append({ object: harness.object, events: batch });
    const again = harness.dedupesSilently === true ? 'sent' : 'duplicate';
    expect(results.map((result) => result.status)).toEqual([again, again, again]);
    expect((await harness.heldEvents()).size).toBe(3);
  });

  it('fails only the event the vendor refuses, with its code and whether to retry', async () => {
    const harness = slot.current;
    const batch = events(harness, 'refused', 3);
    const expected = await harness.rejectEvents((key) => key === 'refused-1');
    const results = await harness.connector.append({ object: harness.object, events: batch });
    expect(results.map((result) => result.status)).toEqual(['sent', 'failed', 'sent']);
    expect(results[1]).toMatchObject({ key: 'refused-1', error: expected });
    expect([...(await harness.heldEvents()).keys()].sort()).toEqual(['refused-0', 'refused-2']);
  });

  it.each(['rate_limited', 'server_error'] as const)(
    'retries a call that failed with %s and sends each event once',
    async (fault) => {
      const harness = slot.current;
      const batch = events(harness, fault, 2);
      await harness.injectFault(fault);
      const results = await harness.connector.append({ object: harness.object, events: batch });
      expect(results.map((result) => result.status)).toEqual(['sent', 'sent']);
      expect((await harness.heldEvents()).size).toBe(2);
    },
  );

  it('sends identifiers normalised and hashed by its rules, never the raw value', async () => {
    const harness = slot.current;
    const event = nth(events(harness, 'pii', 1), 0);
    await harness.connector.append({ object: harness.object, events: [event] });
    const held = (await harness.heldEvents()).get(event.key);
    const raw = event.identifiers.email ?? '';
    const rule = harness.connector.identifiers.find((candidate) => candidate.type === 'email');
    if (rule === undefined) return;
    const normalized = normalizeIdentifier(rule.normalize, raw);
    expect(held?.identifiers.email).toBe(
      rule.hash === 'sha256' ? sha256Hex(normalized) : normalized,
    );
    expect(JSON.stringify(held)).not.toContain(raw.trim());
  });

  it('refuses, without sending it, an event with no identifier the vendor matches on', async () => {
    const harness = slot.current;
    const accepted = new Set(harness.connector.identifiers.map((rule) => rule.type));
    const foreign = (['zip', 'first_name', 'vendor_id'] as const).find(
      (type) => !accepted.has(type),
    );
    if (foreign === undefined) return;
    const batch = events(harness, 'unmatched', 2);
    const [good, lost] = [nth(batch, 0), nth(batch, 1)];
    const results = await harness.connector.append({
      object: harness.object,
      events: [good, { ...lost, identifiers: { [foreign]: 'x' } }],
    });
    expect(results.map((result) => result.status)).toEqual(['sent', 'failed']);
    expect(results[1]).toMatchObject({ error: { code: 'invalid_value', retryable: false } });
    expect([...(await harness.heldEvents()).keys()]).toEqual([good.key]);
  });
}
