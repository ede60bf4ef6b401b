import { fieldTypeOf, fromWire, toWire } from './values';

describe('HubSpot values', () => {
  it.each([
    [{ name: 'email', type: 'string', fieldType: 'text' }, 'email'],
    [{ name: 'notes', type: 'string', fieldType: 'textarea' }, 'text'],
    [{ name: 'phone', type: 'string', fieldType: 'phonenumber' }, 'phone'],
    [{ name: 'mobile', type: 'phone_number', fieldType: 'phonenumber' }, 'phone'],
    [{ name: 'stage', type: 'enumeration', fieldType: 'select' }, 'enum'],
    [{ name: 'stage', type: 'enumeration', fieldType: 'radio' }, 'enum'],
    [{ name: 'tags', type: 'enumeration', fieldType: 'checkbox' }, 'multi_enum'],
    [{ name: 'optout', type: 'enumeration', fieldType: 'booleancheckbox' }, 'boolean'],
    [{ name: 'optout', type: 'bool', fieldType: 'booleancheckbox' }, 'boolean'],
    [{ name: 'amount', type: 'number', fieldType: 'number' }, 'number'],
    [{ name: 'birthday', type: 'date', fieldType: 'date' }, 'date'],
    [{ name: 'closedate', type: 'datetime', fieldType: 'date' }, 'datetime'],
    [{ name: 'hs_object_id', type: 'number', fieldType: 'number' }, 'id'],
  ])('maps %o to %s', (property, expected) => {
    expect(fieldTypeOf(property)).toBe(expected);
  });

  it('reads the all-strings wire format into canonical values', () => {
    expect(fromWire('number', '1e3')).toBe(1000);
    expect(fromWire('boolean', 'true')).toBe(true);
    expect(fromWire('multi_enum', 'b;a;b')).toEqual(['a', 'b']);
    expect(fromWire('datetime', '1714557600000')).toBe('2024-05-01T10:00:00.000Z');
    expect(fromWire('date', '2024-05-01')).toBe('2024-05-01');
    expect(fromWire('number', '')).toBeNull();
    expect(fromWire('string', null)).toBeNull();
    // What cannot be read is kept as sent rather than lost.
    expect(fromWire('number', 'n/a')).toBe('n/a');
  });

  it('writes canonical values as HubSpot strings', () => {
    expect(toWire('multi_enum', ['a', 'b'], 'tags')).toBe('a;b');
    expect(toWire('boolean', false, 'optout')).toBe('false');
    expect(toWire('number', 12.5, 'amount')).toBe('12.5');
    expect(toWire('datetime', '2024-05-01T12:00:00+02:00', 'closedate')).toBe(
      '2024-05-01T10:00:00.000Z',
    );
    expect(toWire('string', null, 'firstname')).toBe('');
    expect(() => toWire('datetime', 'soon', 'closedate')).toThrow(/not a datetime/);
  });
});
