import type { FieldDescriptor } from './contract';
import { valueProblem } from './field-values';

function described(type: FieldDescriptor['type'], options?: string[]): FieldDescriptor {
  return {
    name: 'f',
    label: 'F',
    type,
    required: false,
    readOnly: false,
    unique: false,
    externalId: false,
    ...(options === undefined
      ? {}
      : { options: options.map((value) => ({ value, label: value })) }),
  };
}

describe('valueProblem', () => {
  it('lists the allowed values of a picklist a value is not in', () => {
    const stage = described('enum', ['Lead', 'MQL', 'Customer']);
    expect(valueProblem(stage, 'MQL')).toBeUndefined();
    expect(valueProblem(stage, 'NotAStage')).toBe(
      "'NotAStage' is not one of the allowed values: Lead, MQL, Customer",
    );
    const many = described(
      'multi_enum',
      Array.from({ length: 25 }, (_, i) => `v${String(i)}`),
    );
    expect(valueProblem(many, ['v1', 'x'])).toMatch(/: v0, v1, .*v19 \(and 5 more\)$/);
  });

  it('takes any ISO 8601 date-time with an offset, and a null anywhere', () => {
    const at = described('datetime');
    expect(valueProblem(at, '2026-11-24T07:00:00Z')).toBeUndefined();
    expect(valueProblem(at, '2026-11-24T07:00:00.000Z')).toBeUndefined();
    expect(valueProblem(at, '2026-11-24T08:00+01:00')).toBeUndefined();
    expect(valueProblem(at, '2026-11-24')).toMatch(/ISO 8601 date-time/);
    expect(valueProblem(at, null)).toBeUndefined();
    expect(valueProblem(described('number'), 'seven')).toBe('expected a number');
  });
});
