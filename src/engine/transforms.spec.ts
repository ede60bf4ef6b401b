import type { Transform } from './definition';
import { applyFormat, toCountryIso2, toE164 } from './format';
import { compileTransform, inverseSteps, invertValueMap } from './transforms';

async function apply(
  steps: Transform[],
  value: Parameters<ReturnType<typeof compileTransform>>[0],
  record = {},
): Promise<unknown> {
  return compileTransform(steps)(value, record);
}

describe('transforms', () => {
  it('maps picklist values, with a default or passing unknown values through', async () => {
    const map = { Lead: 'NEW', Customer: 'WON' };
    expect(await apply([{ kind: 'value_map', map }], 'Lead')).toBe('NEW');
    expect(await apply([{ kind: 'value_map', map }], 'Other')).toBe('Other');
    expect(await apply([{ kind: 'value_map', map, default: null }], 'Other')).toBeNull();
    expect(await apply([{ kind: 'value_map', map }], ['Customer', 'Lead'])).toEqual(['NEW', 'WON']);
  });
  it('inverts value maps and refuses non-invertible ones', () => {
    expect(invertValueMap({ a: '1', b: '2' })).toEqual({ '1': 'a', '2': 'b' });
    expect(invertValueMap({ a: '1', b: '1' })).toBeUndefined();
    expect(
      inverseSteps([
        { kind: 'format', fn: 'trim' },
        { kind: 'value_map', map: { a: 'x' } },
      ]),
    ).toEqual([{ kind: 'value_map', map: { x: 'a' } }]);
    expect(inverseSteps([{ kind: 'constant', value: 1 }])).toBeUndefined();
  });
  it('writes constants and fills templates from the source record', async () => {
    expect(await apply([{ kind: 'constant', value: 'syncline' }], 'x')).toBe('syncline');
    expect(
      await apply([{ kind: 'template', template: '{{first}} {{ last }} <{{value}}>' }], 'a@x.io', {
        first: 'Ann',
        last: 'Lee',
      }),
    ).toBe('Ann Lee <a@x.io>');
  });
  it('formats case, whitespace, phones, countries, dates and datetimes', () => {
    expect(applyFormat('lowercase', 'AbC')).toBe('abc');
    expect(applyFormat('uppercase', 'AbC')).toBe('ABC');
    expect(applyFormat('trim', '  a ')).toBe('a');
    expect(applyFormat('phone_e164', '(415) 555-0100', 'US')).toBe('+14155550100');
    expect(toE164('+44 20 7946 0958')).toBe('+442079460958');
    expect(toE164('0049 30 1234567')).toBe('+49301234567');
    expect(toE164('030 1234567', 'DE')).toBe('+49301234567');
    expect(() => toE164('555-0100')).toThrow('no country code');
    expect(() => toE164('12', 'DE')).toThrow('not a valid number');
    // E.164 keeps the leading 0 of Italian numbers (no trunk prefix there), libphonenumber knows.
    expect(toE164('06 6982 1234', 'IT')).toBe('+390669821234');
    expect(toE164('+39 06 6982 1234')).toBe('+390669821234');
    expect(toE164('+1 415-555-0100 ext. 12')).toBe('+14155550100');
    expect(toCountryIso2('Germany')).toBe('DE');
    expect(toCountryIso2('usa')).toBe('US');
    expect(toCountryIso2('fr')).toBe('FR');
    expect(toCountryIso2('GBR')).toBe('GB');
    expect(toCountryIso2('Deutschland')).toBe('DE');
    expect(toCountryIso2('España')).toBe('ES');
    expect(toCountryIso2('Czechia')).toBe('CZ');
    expect(toCountryIso2('United Kingdom')).toBe('GB');
    expect(toCountryIso2('England')).toBe('GB');
    expect(toCountryIso2(' KOR ')).toBe('KR');
    expect(() => toCountryIso2('UK')).not.toThrow();
    expect(() => toCountryIso2('Atlantis')).toThrow('not a known country');
    expect(applyFormat('date', '2024-05-01T22:10:00.000Z')).toBe('2024-05-01');
    expect(applyFormat('date', '2024-05-01', 'dd/MM/yyyy')).toBe('01/05/2024');
    expect(applyFormat('datetime', '2024-05-01T10:00:00+02:00')).toBe('2024-05-01T08:00:00.000Z');
    expect(applyFormat('datetime', '2024-05-01T10:00:00Z', "yyyy-MM-dd'T'HH:mm")).toBe(
      '2024-05-01T10:00',
    );
    expect(() => applyFormat('date', 'not a date')).toThrow('not a date');
    expect(applyFormat('lowercase', null)).toBeNull();
  });
  it('evaluates JSONata over value and record, asynchronously', async () => {
    expect(
      await apply(
        [{ kind: 'jsonata', expression: '$uppercase(value) & "-" & record.country' }],
        'ann',
        { country: 'DE' },
      ),
    ).toBe('ANN-DE');
    expect(
      await apply(
        [
          { kind: 'jsonata', expression: 'value * 2' },
          { kind: 'format', fn: 'lowercase' },
        ],
        21,
      ),
    ).toBe(42);
    await expect(apply([{ kind: 'jsonata', expression: '{"a": 1}' }], 'x')).rejects.toThrow(
      'not a field value',
    );
    expect(() => compileTransform([{ kind: 'jsonata', expression: '$uppercase(' }])).toThrow();
  });
  it('chains steps in order', async () => {
    expect(
      await apply(
        [
          { kind: 'format', fn: 'trim' },
          { kind: 'format', fn: 'lowercase' },
          { kind: 'value_map', map: { lead: 'NEW' } },
        ],
        '  LEAD ',
      ),
    ).toBe('NEW');
  });
});
