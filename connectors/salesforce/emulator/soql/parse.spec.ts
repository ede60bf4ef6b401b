import { SoqlError, parseSoql } from './parse';

describe('SOQL parser', () => {
  it('parses the incremental read the connector sends', () => {
    expect(
      parseSoql(
        "SELECT Id, SystemModstamp, Email FROM Contact WHERE (SystemModstamp > 2024-05-01T10:00:00Z OR (SystemModstamp = 2024-05-01T10:00:00Z AND Id > '003Dn0000000000001')) ORDER BY SystemModstamp, Id DESC NULLS LAST LIMIT 200",
      ),
    ).toEqual({
      fields: ['Id', 'SystemModstamp', 'Email'],
      object: 'Contact',
      where: {
        kind: 'or',
        items: [
          {
            kind: 'compare',
            field: 'SystemModstamp',
            op: '>',
            value: { type: 'datetime', ms: Date.parse('2024-05-01T10:00:00Z') },
          },
          {
            kind: 'and',
            items: [
              {
                kind: 'compare',
                field: 'SystemModstamp',
                op: '=',
                value: { type: 'datetime', ms: Date.parse('2024-05-01T10:00:00Z') },
              },
              {
                kind: 'compare',
                field: 'Id',
                op: '>',
                value: { type: 'string', value: '003Dn0000000000001' },
              },
            ],
          },
        ],
      },
      orderBy: [
        { field: 'SystemModstamp', descending: false, nullsLast: false },
        { field: 'Id', descending: true, nullsLast: true },
      ],
      limit: 200,
    });
  });

  it('reads IN / NOT IN lists, escaped strings, offsets, booleans and null', () => {
    const query = parseSoql(
      "select Id from Lead where Email in ('o\\'hara@x.io', 'a\\\\b') and IsDeleted = false and Phone != null and CreatedDate >= 2024-05-01T12:00:00+02:00 and Id not in ('x')",
    );
    expect(query.where).toEqual({
      kind: 'and',
      items: [
        {
          kind: 'in',
          field: 'Email',
          negated: false,
          values: [
            { type: 'string', value: "o'hara@x.io" },
            { type: 'string', value: 'a\\b' },
          ],
        },
        { kind: 'compare', field: 'IsDeleted', op: '=', value: { type: 'boolean', value: false } },
        { kind: 'compare', field: 'Phone', op: '!=', value: { type: 'null' } },
        {
          kind: 'compare',
          field: 'CreatedDate',
          op: '>=',
          value: { type: 'datetime', ms: Date.parse('2024-05-01T10:00:00Z') },
        },
        { kind: 'in', field: 'Id', negated: true, values: [{ type: 'string', value: 'x' }] },
      ],
    });
  });

  it.each([
    "SELECT Id FROM Contact WHERE Email = 'a' AND Phone = 'b' OR Title = 'c'",
    'SELECT Id FROM Contact WHERE SystemModstamp > 2024-05-01T10:00:00.000Z',
    'SELECT Id FROM Contact WHERE SystemModstamp > 2024-05-01 10:00:00',
    "SELECT Id FROM Contact WHERE Email = 'unterminated",
    "SELECT Id FROM Contact WHERE Email = 'bad \\q escape'",
    'SELECT FROM Contact',
    'SELECT Id FROM Contact LIMIT x',
    'SELECT Id FROM Contact extra',
  ])('rejects %s', (soql) => {
    expect(() => parseSoql(soql)).toThrow(SoqlError);
  });
});
