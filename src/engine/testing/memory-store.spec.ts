import { emptyCounters, type PageCommit } from '../ports';
import { DuplicateLinkError, MemorySyncStore } from './memory-store';

const page = (links: Array<[string, string]>, extra: Partial<PageCommit> = {}): PageCommit => ({
  syncId: 's',
  runId: 'r',
  upsertLinks: links.map(([leftId, rightId]) => ({
    leftId,
    rightId,
    snapshot: { left: {}, right: {} },
    leftUpdatedAt: null,
    rightUpdatedAt: null,
  })),
  removeLinks: [],
  events: [],
  upsertFailed: [],
  clearFailed: [],
  openConflicts: [],
  appliedConflicts: [],
  cursors: {},
  counters: emptyCounters(),
  ...extra,
});

describe('MemorySyncStore', () => {
  it('rejects a second link for the same left or right id, and changes nothing then', async () => {
    const store = new MemorySyncStore();
    await store.commitPage(page([['L1', 'R1']]));
    await store.commitPage(page([['L1', 'R1']]));
    await expect(
      store.commitPage(
        page([
          ['L2', 'R2'],
          ['L1', 'R9'],
        ]),
      ),
    ).rejects.toBeInstanceOf(DuplicateLinkError);
    await expect(store.commitPage(page([['L8', 'R1']]))).rejects.toBeInstanceOf(DuplicateLinkError);
    expect(store.links('s').map((link) => link.leftId)).toEqual(['L1']);
    await store.commitPage(page([['L1', 'R9']], { removeLinks: [{ side: 'right', id: 'R1' }] }));
    expect(await store.findLinks('s', 'right', ['R9', 'R1'])).toHaveLength(1);
  });
  it('returns due failed records only, oldest first', async () => {
    const store = new MemorySyncStore();
    const failed = (recordId: string, nextAttemptAt: string, dead = false) => ({
      syncId: 's',
      side: 'left' as const,
      recordId,
      attempts: 1,
      nextAttemptAt,
      errorCode: 'locked' as const,
      message: 'm',
      dead,
      firstFailedAt: nextAttemptAt,
      lastFailedAt: nextAttemptAt,
    });
    await store.commitPage(
      page([], {
        upsertFailed: [
          failed('b', '2024-01-01T00:02:00.000Z'),
          failed('a', '2024-01-01T00:01:00.000Z'),
          failed('c', '2024-01-01T00:09:00.000Z'),
          failed('d', '2024-01-01T00:00:00.000Z', true),
        ],
      }),
    );
    expect(
      (await store.dueFailedRecords('s', '2024-01-01T00:05:00.000Z', 10)).map(
        (record) => record.recordId,
      ),
    ).toEqual(['a', 'b']);
    expect(await store.findFailedRecords('s', 'left', ['d'])).toHaveLength(1);
  });
});
