import { matchesCondition, passesFilter } from './filters';

const record = {
  status: 'Customer',
  score: 42,
  tags: ['vip', 'eu'],
  email: 'Ann@Acme.com',
  empty: null,
  date: '2024-05-01',
};

describe('filter operators', () => {
  it.each([
    ['eq', 'status', 'Customer', true],
    ['eq', 'status', 'Lead', false],
    ['neq', 'status', 'Lead', true],
    ['in', 'status', ['Lead', 'Customer'], true],
    ['in', 'tags', ['eu'], true],
    ['not_in', 'status', ['Lead'], true],
    ['not_in', 'tags', ['vip'], false],
    ['contains', 'email', 'acme', true],
    ['contains', 'tags', 'vip', true],
    ['contains', 'email', 'globex', false],
    ['exists', 'email', undefined, true],
    ['exists', 'empty', undefined, false],
    ['not_exists', 'empty', undefined, true],
    ['not_exists', 'missing', undefined, true],
    ['gt', 'score', 41, true],
    ['gt', 'score', 42, false],
    ['gte', 'score', 42, true],
    ['lt', 'score', 43, true],
    ['lt', 'empty', 43, false],
    ['lte', 'date', '2024-05-01', true],
    ['lte', 'date', '2024-04-30', false],
  ] as const)('%s on %s with %p is %p', (op, field, value, expected) => {
    expect(
      matchesCondition(record, value === undefined ? { field, op } : { field, op, value }),
    ).toBe(expected);
  });

  it('combines conditions with all and any', () => {
    const conditions = [
      { field: 'status', op: 'eq' as const, value: 'Customer' },
      { field: 'score', op: 'gt' as const, value: 100 },
    ];
    expect(passesFilter(record, { combine: 'all', conditions })).toBe(false);
    expect(passesFilter(record, { combine: 'any', conditions })).toBe(true);
    expect(passesFilter(record, undefined)).toBe(true);
  });
});
