import {
  fromSalesforce,
  salesforceDatetimeToIso,
  soqlDatetime,
  soqlString,
  toCsvCell,
  toSalesforce,
} from './values';

describe('Salesforce values', () => {
  it('reads Salesforce datetimes as ISO UTC with milliseconds', () => {
    expect(salesforceDatetimeToIso('2024-05-01T10:00:00.000+0000')).toBe(
      '2024-05-01T10:00:00.000Z',
    );
    expect(salesforceDatetimeToIso('2024-05-01T03:00:00.000-0700')).toBe(
      '2024-05-01T10:00:00.000Z',
    );
    expect(fromSalesforce('datetime', '2024-05-01T10:00:00.000+0000')).toBe(
      '2024-05-01T10:00:00.000Z',
    );
  });

  it('reads multipicklists as sorted lists and writes them back joined by ;', () => {
    expect(fromSalesforce('multi_enum', 'CRM;Ads;CRM')).toEqual(['Ads', 'CRM']);
    expect(fromSalesforce('multi_enum', null)).toBeNull();
    expect(toSalesforce(['Ads', 'CRM'])).toBe('Ads;CRM');
    expect(toSalesforce([])).toBeNull();
  });

  it('writes Bulk CSV cells: #N/A for null, empty for absent', () => {
    expect([
      toCsvCell(null),
      toCsvCell(undefined),
      toCsvCell(true),
      toCsvCell(2.5),
      toCsvCell(['a', 'b']),
    ]).toEqual(['#N/A', '', 'true', '2.5', 'a;b']);
  });

  it('writes SOQL literals: escaped strings, whole-second datetimes', () => {
    expect(soqlString("o'hara\\x\n")).toBe("'o\\'hara\\\\x\\n'");
    expect(soqlDatetime('2024-05-01T10:00:00.999Z')).toBe('2024-05-01T10:00:00Z');
  });
});
