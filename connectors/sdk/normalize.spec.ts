import fc from 'fast-check';
import {
  hashEmail,
  normalizeBoolean,
  normalizeDate,
  normalizeDatetime,
  normalizeEmail,
  normalizeMultiEnum,
  normalizeNumber,
  normalizePhone,
  normalizeValue,
  sha256Hex,
} from './normalize';

describe('canonical values', () => {
  it('writes datetimes as ISO UTC with milliseconds, whatever the offset or form', () => {
    expect(normalizeDatetime('2024-05-01T12:00:00+02:00')).toBe('2024-05-01T10:00:00.000Z');
    expect(normalizeDatetime(1714557600000)).toBe('2024-05-01T10:00:00.000Z');
    expect(normalizeDatetime('1714557600000')).toBe('2024-05-01T10:00:00.000Z');
    expect(normalizeDatetime(new Date('2024-05-01T10:00:00Z'))).toBe('2024-05-01T10:00:00.000Z');
    expect(normalizeDatetime('')).toBeNull();
    expect(() => normalizeDatetime('not a date')).toThrow(
      expect.objectContaining({ code: 'invalid_value' }) as Error,
    );
  });

  it('writes dates as YYYY-MM-DD, reading datetimes and midnight epochs in UTC', () => {
    expect(normalizeDate('2024-02-29')).toBe('2024-02-29');
    expect(normalizeDate('2024-05-01T23:30:00-02:00')).toBe('2024-05-02');
    expect(normalizeDate(1714521600000)).toBe('2024-05-01');
    expect(normalizeDate(null)).toBeNull();
    expect(() => normalizeDate('2023-02-29')).toThrow(/date/);
  });

  it('reads numbers and booleans from strings, and empty strings as null', () => {
    expect(normalizeNumber(' 42.5 ')).toBe(42.5);
    expect(normalizeNumber(7)).toBe(7);
    expect(normalizeNumber('')).toBeNull();
    expect(() => normalizeNumber('12abc')).toThrow(/number/);
    expect(normalizeBoolean('TRUE')).toBe(true);
    expect(normalizeBoolean('false')).toBe(false);
    expect(normalizeBoolean('')).toBeNull();
    expect(() => normalizeBoolean('yes')).toThrow(/boolean/);
  });

  it('sorts and de-duplicates multi-select values', () => {
    expect(normalizeMultiEnum('b;a;;b')).toEqual(['a', 'b']);
    expect(normalizeMultiEnum(['z', 'y', 'z'])).toEqual(['y', 'z']);
    expect(normalizeMultiEnum('')).toBeNull();
  });

  it('dispatches by field type and keeps strings exactly as given', () => {
    expect(normalizeValue('string', '  padded ')).toBe('  padded ');
    expect(normalizeValue('integer', '3')).toBe(3);
    expect(() => normalizeValue('integer', '3.5')).toThrow(/integer/);
    expect(normalizeValue('multi_enum', 'b;a')).toEqual(['a', 'b']);
    expect(normalizeValue('json', { a: 1 })).toBe('{"a":1}');
    expect(normalizeValue('number', '')).toBeNull();
  });

  it('is idempotent: a canonical value normalises to itself', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1970-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
        (date) => {
          const once = normalizeDatetime(date);
          expect(normalizeDatetime(once)).toBe(once);
          const day = normalizeDate(date);
          expect(normalizeDate(day)).toBe(day);
        },
      ),
    );
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-z]{1,5}$/)), (values) => {
        const once = normalizeMultiEnum(values);
        expect(normalizeMultiEnum(once)).toEqual(once);
      }),
    );
  });
});

describe('PII helpers', () => {
  it('normalises emails and phones before hashing', () => {
    expect(normalizeEmail('  Jane.Doe@Example.COM ')).toBe('jane.doe@example.com');
    expect(normalizePhone('+1 (555) 010-9999')).toBe('+15550109999');
    // SHA-256 of "test@example.com".
    expect(hashEmail(' Test@Example.com')).toBe(
      '973dfe463ec85785f5f95af5ba3906eedb2d931c24e69824a89ea65dba4e813b',
    );
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});
