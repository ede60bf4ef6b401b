/**
 * Contract cases for an audience destination: its audiences and their writability, adds and
 * removes in batches with one result per member, identifiers hashed by its rules, read-only
 * audiences refused per member, retries that change nothing twice.
 */
import type { AudienceMember } from '../contract';
import { normalizeIdentifier, sha256Hex } from '../normalize';
import type { AudienceHarness, Slot } from './destination-harness';
import { nth } from './harness';

function members(tag: string, count: number): AudienceMember[] {
  return Array.from({ length: count }, (_, index) => ({
    key: `${tag}-${index}`,
    identifiers: { email: ` Member.${tag}.${index}@Example.com` },
  }));
}

/**
 * The people the cases add, as `member.<tag>.<n>@example.com`: a destination whose audiences hold
 * only people it already has (a CRM's lists, a newsletter's tags) seeds them first.
 */
export function kitPeople(maxBatch: number): string[] {
  const counts: Record<string, number> = {
    batch: maxBatch * 2 + 1,
    pii: 1,
    denied: 2,
    unmatched: 2,
    rate_limited: 2,
    server_error: 2,
    job: 22,
  };
  return Object.entries(counts).flatMap(([tag, count]) =>
    Array.from({ length: count }, (_, n) => `member.${tag}.${String(n)}@example.com`),
  );
}

/** The key the cases gave the person of `email` (`<tag>-<n>`): vendors keep no key of ours. */
export function kitKey(email: string): string {
  const kit = /^member\.(.+)\.(\d+)@example\.com$/.exec(email.toLowerCase());
  return kit === null ? email : `${kit.at(1) ?? ''}-${kit.at(2) ?? ''}`;
}

/** The kit's keys by the SHA-256 of each person's email, for vendors that keep hashes only. */
export function kitKeysByEmailHash(maxBatch: number): Map<string, string> {
  return new Map(
    kitPeople(maxBatch).map((email) => [
      sha256Hex(normalizeIdentifier('email', email)),
      kitKey(email),
    ]),
  );
}

function batchOf(harness: AudienceHarness): number {
  return harness.connector.limits.maxBatch.members ?? 1;
}

export function registerAudienceCases(slot: Slot<AudienceHarness>): void {
  it('lists its audiences, each saying whether it may be changed', async () => {
    const harness = slot.current;
    const audiences = await harness.connector.audiences();
    expect(audiences.find((audience) => audience.id === harness.writable)?.writable).toBe(true);
    if (harness.readOnly !== undefined) {
      const readOnly = audiences.find((audience) => audience.id === harness.readOnly);
      expect(readOnly?.writable).toBe(false);
      expect(readOnly?.reason).toEqual(expect.any(String));
    }
  });

  it('adds more members than one batch holds, then removes them, one result per member', async () => {
    const harness = slot.current;
    const people = members('batch', batchOf(harness) * 2 + 1);
    const added = await harness.connector.changeMembers({
      audience: harness.writable,
      add: people,
      remove: [],
    });
    expect(added.map((result) => [result.key, result.status])).toEqual(
      people.map((member) => [member.key, 'added']),
    );
    expect([...(await harness.heldMembers(harness.writable)).keys()].sort()).toEqual(
      people.map((member) => member.key).sort(),
    );
    const leaving = people.slice(0, 3);
    const removed = await harness.connector.changeMembers({
      audience: harness.writable,
      add: [],
      remove: leaving,
    });
    expect(removed.map((result) => result.status)).toEqual(['removed', 'removed', 'removed']);
    const held = await harness.heldMembers(harness.writable);
    expect(leaving.filter((member) => held.has(member.key))).toEqual([]);
    expect(held.size).toBe(people.length - 3);
  });

  it('holds identifiers normalised and hashed by its rules, never the raw value', async () => {
    const harness = slot.current;
    const member = nth(members('pii', 1), 0);
    await harness.connector.changeMembers({
      audience: harness.writable,
      add: [member],
      remove: [],
    });
    const held = (await harness.heldMembers(harness.writable)).get(member.key);
    const raw = member.identifiers.email ?? '';
    const rule = harness.connector.identifiers.find((candidate) => candidate.type === 'email');
    if (rule === undefined) return;
    const normalized = normalizeIdentifier(rule.normalize, raw);
    expect(held?.email).toBe(rule.hash === 'sha256' ? sha256Hex(normalized) : normalized);
    expect(JSON.stringify(held)).not.toContain(raw.trim());
  });

  it('fails each member of a change to an audience it may not change, without throwing', async () => {
    const harness = slot.current;
    if (harness.readOnly === undefined) return;
    const results = await harness.connector.changeMembers({
      audience: harness.readOnly,
      add: members('denied', 2),
      remove: [],
    });
    expect(results.map((result) => result.status)).toEqual(['failed', 'failed']);
    expect((await harness.heldMembers(harness.readOnly)).size).toBe(0);
  });

  it('refuses a member with no identifier the vendor matches on, and adds its neighbours', async () => {
    const harness = slot.current;
    const accepted = new Set(harness.connector.identifiers.map((rule) => rule.type));
    const foreign = (['zip', 'first_name', 'vendor_id'] as const).find(
      (type) => !accepted.has(type),
    );
    if (foreign === undefined) return;
    const [good, lost] = [nth(members('unmatched', 2), 0), nth(members('unmatched', 2), 1)];
    const results = await harness.connector.changeMembers({
      audience: harness.writable,
      add: [good, { key: lost.key, identifiers: { [foreign]: 'x' } }],
      remove: [],
    });
    expect(results.map((result) => result.status)).toEqual(['added', 'failed']);
    expect(results[1]).toMatchObject({ error: { code: 'invalid_value', retryable: false } });
    expect([...(await harness.heldMembers(harness.writable)).keys()]).toEqual([good.key]);
  });

  it.each(['rate_limited', 'server_error'] as const)(
    'retries a change that failed with %s and holds each member once',
    async (fault) => {
      const harness = slot.current;
      const people = members(fault, 2);
      await harness.injectFault(fault);
      const results = await harness.connector.changeMembers({
        audience: harness.writable,
        add: people,
        remove: [],
      });
      expect(results.map((result) => result.status)).toEqual(['added', 'added']);
      expect((await harness.heldMembers(harness.writable)).size).toBe(2);
    },
  );
}
