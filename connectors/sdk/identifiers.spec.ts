/**
 * The identifier rules against the values the vendors publish: Meta's Conversions API example
 * payload (hashed fn "joe", ln "smith", ph "12345678901", zp "94035"), Google's gmail rule, and the
 * edge cases (whitespace, capitals, gmail dots, a phone without a country code, accented names,
 * empty values).
 */
import type { IdentifierRule } from './contract';
import { normalizeIdentifier, normalizePhone, prepareIdentifiers, sha256Hex } from './identifiers';

const META =
  'https://developers.facebook.com/docs/marketing-api/conversions-api/parameters/customer-information-parameters';

const META_RULES: IdentifierRule[] = [
  { type: 'email', normalize: 'email', hash: 'sha256', source: META },
  { type: 'phone', normalize: 'phone_digits', hash: 'sha256', source: META },
  { type: 'first_name', normalize: 'name_letters', hash: 'sha256', source: META },
  { type: 'last_name', normalize: 'name_letters', hash: 'sha256', source: META },
  { type: 'zip', normalize: 'zip', hash: 'sha256', source: META },
  { type: 'country', normalize: 'country', hash: 'sha256', source: META },
];

describe("Meta's published example", () => {
  it('hashes to the values of the example payload', () => {
    const prepared = prepareIdentifiers(META_RULES, {
      first_name: ' Joe ',
      last_name: 'SMITH',
      phone: '+1 (234) 567-8901',
      zip: '94035',
    });
    expect(prepared).toEqual({
      first_name: '78675cc176081372c43abab3ea9fb70c74381eb02dc6e93fb6d44d161da6eeb3',
      last_name: '6627835f988e2c5e50533d491163072d3f4f41f5c8b04630150debb3722ca2dd',
      phone: '254aa248acb47dd654ca3ea53f48c2c26d641d23d7e2e93a1ec56258df7674c4',
      zip: '1794327a4d443904421f5ca1f3d72d0a62ba2f0770d80755ec2220fc0efb052e',
    });
  });
});

describe('email', () => {
  it('trims and lower-cases; only Google drops the dots of gmail addresses', () => {
    expect(normalizeIdentifier('email', '  Jane.Doe@GMAIL.com ')).toBe('jane.doe@gmail.com');
    expect(normalizeIdentifier('email_google', '  Jane.Doe@GMAIL.com ')).toBe('janedoe@gmail.com');
    expect(normalizeIdentifier('email_google', 'jane.doe@googlemail.com')).toBe(
      'janedoe@googlemail.com',
    );
    expect(normalizeIdentifier('email_google', 'Jane.Doe@example.com')).toBe(
      'jane.doe@example.com',
    );
  });
});

describe('phone', () => {
  it('writes E.164, reading a national number in the default country', () => {
    expect(normalizePhone('+44 20 7946 0958')).toBe('+442079460958');
    expect(normalizePhone('0044 20 7946 0958')).toBe('+442079460958');
    expect(normalizePhone('(415) 555-0132', 'US')).toBe('+14155550132');
    expect(normalizePhone('01 23 45 67 89', 'FR')).toBe('+33123456789');
    expect(normalizeIdentifier('phone_digits', '(415) 555-0132', { defaultCountry: 'US' })).toBe(
      '14155550132',
    );
  });

  it('leaves out, never hashes, a number without a country code when no country is known', () => {
    expect(normalizePhone('(415) 555-0132')).toBe('');
    expect(normalizePhone('12')).toBe('');
    expect(prepareIdentifiers(META_RULES, { phone: '(415) 555-0132', email: 'a@b.co' })).toEqual({
      email: sha256Hex('a@b.co'),
    });
  });
});

describe('names, zip and country', () => {
  it('keeps the letters of any script, lower-cased; Meta drops punctuation', () => {
    expect(normalizeIdentifier('name', '  José ')).toBe('josé');
    expect(normalizeIdentifier('name_letters', "O'Brien-Żółć")).toBe('obrienżółć');
    expect(normalizeIdentifier('name', 'ÉLODIE')).toBe('élodie');
    expect(sha256Hex(normalizeIdentifier('name', 'José'))).toBe(sha256Hex('josé'));
  });

  it('writes zips without spaces or dashes, and only two-letter countries', () => {
    expect(normalizeIdentifier('zip', ' SW1A 1AA ')).toBe('sw1a1aa');
    expect(normalizeIdentifier('zip', '94035-1234')).toBe('940351234');
    expect(normalizeIdentifier('country', ' US ')).toBe('us');
    expect(normalizeIdentifier('country', 'United States')).toBe('');
  });

  it('leaves out empty values: never the hash of an empty string', () => {
    expect(
      prepareIdentifiers(META_RULES, { email: '   ', first_name: '', last_name: "'", zip: ' ' }),
    ).toEqual({});
  });
});
