import { type RoutableSync, syncsReading } from './routing';

const sync = (
  id: string,
  direction: RoutableSync['direction'],
  left: [string, string],
  right: [string, string],
): RoutableSync => ({
  id,
  direction,
  leftConnectionId: left[0],
  leftObject: left[1],
  rightConnectionId: right[0],
  rightObject: right[1],
});

const syncs = [
  sync('reads-left', 'left_to_right', ['hs', 'contacts'], ['sf', 'Contact']),
  sync('writes-left', 'right_to_left', ['hs', 'contacts'], ['sf', 'Contact']),
  sync('reads-right', 'right_to_left', ['sf', 'Contact'], ['hs', 'contacts']),
  sync('both', 'bidirectional', ['sf', 'Account'], ['hs', 'companies']),
  sync('deals', 'left_to_right', ['hs', 'deals'], ['sf', 'Opportunity']),
  sync('other-connection', 'left_to_right', ['hs2', 'contacts'], ['sf', 'Contact']),
];

describe('syncsReading', () => {
  it('names the syncs that read a changed object from the connection, on whichever side', () => {
    expect(syncsReading('hs', [{ object: 'contacts', ids: ['1'] }], syncs)).toEqual([
      'reads-left',
      'reads-right',
    ]);
    expect(syncsReading('hs', [{ object: 'companies', ids: [] }], syncs)).toEqual(['both']);
    expect(
      syncsReading(
        'hs',
        [
          { object: 'deals', ids: ['1'] },
          { object: 'contacts', ids: ['2'] },
        ],
        syncs,
      ),
    ).toEqual(['reads-left', 'reads-right', 'deals']);
  });

  it('leaves out syncs that only write the object, or read it from another connection', () => {
    expect(syncsReading('hs2', [{ object: 'contacts', ids: ['1'] }], syncs)).toEqual([
      'other-connection',
    ]);
    expect(syncsReading('hs', [{ object: 'products', ids: ['1'] }], syncs)).toEqual([]);
    expect(syncsReading('hs', [], syncs)).toEqual([]);
  });
});
