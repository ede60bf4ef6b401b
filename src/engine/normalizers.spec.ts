import { lookupValues, normalizeKey } from './normalizers';
import { isBlank, valuesEqual } from './values';

describe('match normalisers', () => {
  it('email trims and lower-cases', () => {
    expect(normalizeKey('  Ann@Example.COM ', 'email')).toBe('ann@example.com');
  });
  it('trim only trims', () => {
    expect(normalizeKey('  Ann ', 'trim')).toBe('Ann');
  });
  it('case_insensitive lower-cases without trimming', () => {
    expect(normalizeKey(' ANN', 'case_insensitive')).toBe(' ann');
  });
  it('exact keeps the value, numbers as text', () => {
    expect(normalizeKey(' Ann', 'exact')).toBe(' Ann');
    expect(normalizeKey(42, 'exact')).toBe('42');
  });
  it('domain reads a web domain from an address, a bare domain or an email', () => {
    for (const spelling of [
      'acme.com',
      'ACME.com',
      'www.acme.com',
      'https://acme.com',
      'http://www.Acme.com/',
      'https://www.acme.com:443/about?x=1#top',
      'acme.com.',
      'sales@acme.com',
      'mailto:sales@ACME.com',
      '  //acme.com/path ',
    ])
      expect([spelling, normalizeKey(spelling, 'domain')]).toEqual([spelling, 'acme.com']);
    expect(normalizeKey('shop.acme.co.uk', 'domain')).toBe('shop.acme.co.uk');
    expect(normalizeKey('https://', 'domain')).toBeNull();
    expect(normalizeKey('www.', 'domain')).toBeNull();
  });
  it('domain looks up the spellings a site is stored in', () => {
    const values = lookupValues('https://www.acme.com/', 'domain');
    expect(values).toEqual(
      expect.arrayContaining([
        'acme.com',
        'www.acme.com',
        'https://acme.com',
        'http://www.acme.com/',
      ]),
    );
    expect(new Set(values.map((value) => normalizeKey(value, 'domain')))).toEqual(
      new Set(['acme.com']),
    );
  });
  it('has no key for blanks and lists', () => {
    expect(normalizeKey(null, 'email')).toBeNull();
    expect(normalizeKey('   ', 'email')).toBeNull();
    expect(normalizeKey(['a'], 'exact')).toBeNull();
  });
  it('looks up both the raw and the normalised spelling', () => {
    expect(lookupValues(' Ann@X.io', 'email')).toEqual(['ann@x.io', ' Ann@X.io']);
    expect(lookupValues('ann@x.io', 'email')).toEqual(['ann@x.io']);
  });
});

describe('canonical equality', () => {
  it('treats every blank as equal', () => {
    expect(valuesEqual(null, '')).toBe(true);
    expect(valuesEqual([], null)).toBe(true);
    expect(valuesEqual(undefined, null)).toBe(true);
    expect(isBlank(0)).toBe(false);
    expect(valuesEqual(0, null)).toBe(false);
  });
  it('compares multi-selects as sets and numbers by value', () => {
    expect(valuesEqual(['b', 'a'], ['a', 'b', 'a'])).toBe(true);
    expect(valuesEqual(['a'], ['a', 'b'])).toBe(false);
    expect(valuesEqual(0, -0)).toBe(true);
    expect(valuesEqual(1, '1')).toBe(false);
    expect(valuesEqual(true, true)).toBe(true);
  });
});
