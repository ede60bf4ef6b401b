import { compileSync } from './compile';
import { mergePair, nextSnapshot, resolveByPolicy } from './merge';
import { contactSync } from './testing/harness.test-kit';
import { optOutMapping } from './testing/opt-out.test-kit';

const at = (iso: string) => iso;
const base = {
  leftValue: 'L',
  rightValue: 'R',
  leftUpdatedAt: at('2024-01-01T00:00:02.000Z'),
  rightUpdatedAt: at('2024-01-01T00:00:01.000Z'),
  tieBreaker: 'right' as const,
};

describe('conflict policies', () => {
  it('left_wins and right_wins', () => {
    expect(resolveByPolicy('left_wins', base)).toBe('left');
    expect(resolveByPolicy('right_wins', base)).toBe('right');
  });
  it('prefer_*_unless_blank fall back to the other side on a blank', () => {
    expect(resolveByPolicy('prefer_left_unless_blank', base)).toBe('left');
    expect(resolveByPolicy('prefer_left_unless_blank', { ...base, leftValue: '' })).toBe('right');
    expect(resolveByPolicy('prefer_right_unless_blank', base)).toBe('right');
    expect(resolveByPolicy('prefer_right_unless_blank', { ...base, rightValue: null })).toBe(
      'left',
    );
  });
  it('latest_wins picks the most recent record, ties to the tie breaker', () => {
    expect(resolveByPolicy('latest_wins', base)).toBe('left');
    expect(resolveByPolicy('latest_wins', { ...base, rightUpdatedAt: base.leftUpdatedAt })).toBe(
      'right',
    );
  });
  it('manual writes neither', () => {
    expect(resolveByPolicy('manual', base)).toBe('manual');
  });
});

describe('three-way merge', () => {
  const sync = compileSync(contactSync({ defaultPolicy: 'manual' }));
  const left = {
    id: 'c1',
    updatedAt: '2024-01-01T00:00:00.000Z',
    fields: { email: 'a@x.io', firstName: 'Ann', company: 'Acme', status: 'Lead' },
  };
  const right = {
    id: 'l1',
    updatedAt: '2024-01-01T00:00:00.000Z',
    fields: { email: 'a@x.io', first_name: 'Ann', company: 'Acme', lead_status: 'NEW' },
  };
  const snapshot = { left: { ...left.fields }, right: { ...right.fields } };

  it('does nothing when neither side changed', async () => {
    const merge = await mergePair(sync, left, right, snapshot);
    expect(merge.writes).toEqual({ left: {}, right: {} });
  });
  it('writes a one-sided change through the transform, in the other side’s value space', async () => {
    const merge = await mergePair(
      sync,
      { ...left, fields: { ...left.fields, status: 'Customer' } },
      right,
      snapshot,
    );
    expect(merge.writes).toEqual({ left: {}, right: { lead_status: 'WON' } });
  });
  it('raises a conflict for manual fields changed on both sides to different values', async () => {
    const merge = await mergePair(
      sync,
      { ...left, fields: { ...left.fields, company: 'A' } },
      { ...right, fields: { ...right.fields, company: 'B' } },
      snapshot,
    );
    expect(merge.conflicts.map((conflict) => conflict.mapping.left)).toEqual(['company']);
    expect(merge.writes).toEqual({ left: {}, right: {} });
  });
  it('sees both sides changing to the same value as agreement', async () => {
    const merge = await mergePair(
      sync,
      { ...left, fields: { ...left.fields, status: 'Lost' } },
      { ...right, fields: { ...right.fields, lead_status: 'LOST' } },
      snapshot,
    );
    expect(merge.conflicts).toEqual([]);
    expect(merge.writes).toEqual({ left: {}, right: {} });
  });
  it('honours skip_nulls and fill_empty_only', async () => {
    const options = compileSync(
      contactSync({
        mappings: [
          { left: 'firstName', right: 'first_name', direction: 'both', skipNulls: true },
          { left: 'company', right: 'company', direction: 'left_to_right', fillEmptyOnly: true },
        ],
      }),
    );
    const merge = await mergePair(
      options,
      { ...left, fields: { ...left.fields, firstName: null, company: 'New' } },
      right,
      snapshot,
    );
    expect(merge.writes).toEqual({ left: {}, right: {} });
    const empty = await mergePair(
      options,
      { ...left, fields: { ...left.fields, company: 'New' } },
      { ...right, fields: { ...right.fields, company: null } },
      { left: snapshot.left, right: { ...snapshot.right, company: null } },
    );
    expect(empty.writes.right).toEqual({ company: 'New' });
  });
  it('snapshots the value the vendor stored, and keeps the old base when the write failed', async () => {
    const merge = await mergePair(
      sync,
      { ...left, fields: { ...left.fields, firstName: 'anna' } },
      right,
      snapshot,
    );
    const stored = nextSnapshot(snapshot, merge.decisions, {
      left: null,
      right: { ok: true, stored: { first_name: 'Anna' } },
    });
    expect(stored.right.first_name).toBe('Anna');
    expect(stored.left.firstName).toBe('anna');
    const failed = nextSnapshot(snapshot, merge.decisions, { left: null, right: { ok: false } });
    expect(failed.left.firstName).toBe('Ann');
  });
});

describe('unsubscribe_wins', () => {
  const sync = compileSync({
    ...contactSync({ defaultPolicy: 'latest_wins' }),
    mappings: [optOutMapping('optedOut', 'status')],
  });
  const record = (id: string, updatedAt: string, fields: Record<string, unknown>) => ({
    id,
    updatedAt,
    fields: fields as Record<string, string | boolean>,
  });
  const snapshot = { left: { optedOut: false }, right: { status: 'subscribed' } };

  it('passes an unsubscribe on either side to the other', async () => {
    const fromRight = await mergePair(
      sync,
      record('c1', '2024-01-01T00:00:00.000Z', { optedOut: false }),
      record('m1', '2024-01-01T00:00:05.000Z', { status: 'unsubscribed' }),
      snapshot,
    );
    expect(fromRight.writes).toEqual({ left: { optedOut: true }, right: {} });
    const fromLeft = await mergePair(
      sync,
      record('c1', '2024-01-01T00:00:05.000Z', { optedOut: true }),
      record('m1', '2024-01-01T00:00:00.000Z', { status: 'subscribed' }),
      snapshot,
    );
    expect(fromLeft.writes).toEqual({ left: {}, right: { status: 'unsubscribed' } });
  });

  it('never writes a subscribed value over an opted-out one, and says why', async () => {
    const merge = await mergePair(
      sync,
      record('c1', '2024-01-01T00:00:09.000Z', { optedOut: false }),
      record('m1', '2024-01-01T00:00:00.000Z', { status: 'unsubscribed' }),
      { left: { optedOut: true }, right: { status: 'unsubscribed' } },
    );
    expect(merge.writes).toEqual({ left: {}, right: {} });
    expect(merge.decisions[0]?.held).toMatchObject({ side: 'right' });
    expect(merge.decisions[0]?.held?.note).toContain('unsubscribe_wins');
  });

  it('lets the opted-out side win when both changed, however late the other', async () => {
    const merge = await mergePair(
      sync,
      record('c1', '2024-01-01T00:00:09.000Z', { optedOut: false }),
      record('m1', '2024-01-01T00:00:00.000Z', { status: 'cleaned' }),
      { left: { optedOut: true }, right: { status: 'pending' } },
    );
    expect(merge.writes).toEqual({ left: { optedOut: true }, right: {} });
  });

  it('falls back to the latest change when neither value is an opt-out', () => {
    expect(
      resolveByPolicy('unsubscribe_wins', { ...base, optedOut: { left: false, right: false } }),
    ).toBe('left');
    expect(
      resolveByPolicy('unsubscribe_wins', { ...base, optedOut: { left: false, right: true } }),
    ).toBe('right');
  });
});
