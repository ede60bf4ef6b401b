import { DEFAULT_OVERLAP_MS } from './definition';
import {
  advanceCursor,
  alreadyCommitted,
  completeRead,
  emptyCursor,
  overlapOf,
  readStart,
} from './cursor';

const record = (id: string, updatedAt: string) => ({ id, updatedAt, fields: {} });

describe('cursors', () => {
  it("overlaps by the sync's setting, else the connector's lag for a read in stamp order", () => {
    const ordered = { ordering: 'cursor', timestampPrecisionMs: 1, lagMs: 120_000 } as const;
    expect(overlapOf(undefined, ordered)).toBe(120_000);
    expect(overlapOf(0, ordered)).toBe(0);
    expect(overlapOf(30_000, ordered)).toBe(30_000);
    // An unordered read moved `since` back by the lag when it completed.
    expect(overlapOf(undefined, { ...ordered, ordering: 'unordered' })).toBe(0);
    expect(overlapOf(undefined, { ordering: 'cursor', timestampPrecisionMs: 1 })).toBe(
      DEFAULT_OVERLAP_MS,
    );
  });
  it('starts an incremental read at the cursor minus the overlap window', () => {
    expect(readStart({ ...emptyCursor(), since: '2024-01-01T00:10:00.000Z' }, 5 * 60_000)).toEqual({
      since: '2024-01-01T00:05:00.000Z',
    });
    expect(readStart(emptyCursor(), 1000)).toEqual({});
    expect(
      readStart(
        { ...emptyCursor(), since: '2024-01-01T00:10:00.000Z', checkpoint: { after: 'x' } },
        0,
      ),
    ).toEqual({ since: '2024-01-01T00:10:00.000Z', checkpoint: { after: 'x' } });
  });
  it('advances past the page, tie-broken by id, never backwards', () => {
    const cursor = advanceCursor(
      emptyCursor(),
      [
        record('a', '2024-01-01T00:00:01.000Z'),
        record('b', '2024-01-01T00:00:02.000Z'),
        record('c', '2024-01-01T00:00:02.000Z'),
      ],
      { page: 1 },
    );
    expect(cursor).toMatchObject({
      since: '2024-01-01T00:00:02.000Z',
      lastId: 'c',
      checkpoint: { page: 1 },
    });
    expect(advanceCursor(cursor, [record('z', '2024-01-01T00:00:00.000Z')], null)).toMatchObject({
      since: '2024-01-01T00:00:02.000Z',
      lastId: 'c',
    });
    expect(completeRead(cursor).checkpoint).toBeNull();
  });
  it('without overlap, skips records at the cursor already committed', () => {
    const cursor = { ...emptyCursor(), since: '2024-01-01T00:00:02.000Z', lastId: 'c' };
    expect(alreadyCommitted(cursor, record('b', '2024-01-01T00:00:02.000Z'), 0)).toBe(true);
    expect(alreadyCommitted(cursor, record('d', '2024-01-01T00:00:02.000Z'), 0)).toBe(false);
    expect(alreadyCommitted(cursor, record('b', '2024-01-01T00:00:02.000Z'), 1000)).toBe(false);
  });
});
