/**
 * Contract cases for reading: paging, resuming from a checkpoint, equal timestamps at a page
 * boundary, incremental reads, lookup, get, deletes, check and discover.
 */
import type { Checkpoint } from '../contract';
import { type HarnessSlot, isCursorOrdered, nth, readAll, sortedIds } from './harness';

/** A little more than two pages, so a read crosses at least two page boundaries. */
function twoAndAHalfPages(pageSize: number): number {
  return pageSize * 2 + Math.ceil(pageSize / 2);
}

async function expectResumeReadsTheRest(slot: HarnessSlot, sameUpdatedAt: boolean): Promise<void> {
  const harness = slot.current;
  const seeded = await harness.seed(twoAndAHalfPages(harness.pageSize), { sameUpdatedAt });
  const iterator = harness.connector
    .read({ object: harness.object, fields: [harness.keyField], pageSize: harness.pageSize })
    [Symbol.asyncIterator]();
  const first = await iterator.next();
  await iterator.return?.();
  if (first.done === true) throw new Error('the first read returned no page');
  // A checkpoint is stored as JSON between runs.
  const checkpoint = JSON.parse(JSON.stringify(first.value.checkpoint)) as Checkpoint;
  const rest = (await readAll(harness, { checkpoint })).pages.flat();

  const firstIds = first.value.records.map((record) => record.id);
  const restIds = rest.map((record) => record.id);
  expect(firstIds.length).toBeGreaterThan(0);
  expect(firstIds.length).toBeLessThanOrEqual(harness.pageSize);
  expect(new Set(restIds).size).toBe(restIds.length);
  expect(restIds.filter((id) => firstIds.includes(id))).toEqual([]);
  expect([...firstIds, ...restIds].sort()).toEqual(sortedIds(seeded));
}

export function registerReadCases(slot: HarnessSlot): void {
  it('check() reports ok', async () => {
    await expect(slot.current.connector.check()).resolves.toMatchObject({ ok: true });
  });

  it('discover() lists the test object with its key field', async () => {
    const harness = slot.current;
    await harness.seed(1);
    const objects = await harness.connector.discover();
    const object = objects.find((candidate) => candidate.name === harness.object);
    expect(object?.fields.map((field) => field.name)).toContain(harness.keyField);
  });

  it('reads every record exactly once across several pages, in (updatedAt, id) order where it says so', async () => {
    const harness = slot.current;
    const seeded = await harness.seed(twoAndAHalfPages(harness.pageSize));
    const { pages } = await readAll(harness);
    const records = pages.flat();

    expect(pages.length).toBeGreaterThanOrEqual(3);
    for (const page of pages) expect(page.length).toBeLessThanOrEqual(harness.pageSize);
    expect(records.map((record) => record.id).sort()).toEqual(sortedIds(seeded));
    // A vendor's token (`unordered`) gives its own order across pages; each page is still sorted.
    const ordering = harness.connector.readTraits?.(harness.object).ordering ?? 'cursor';
    if (ordering === 'cursor') expect(isCursorOrdered(records)).toBe(true);
    else for (const page of pages) expect(isCursorOrdered(page)).toBe(true);
    const byId = new Map(seeded.map((record) => [record.id, record]));
    for (const record of records) {
      expect(record.fields[harness.keyField]).toEqual(
        byId.get(record.id)?.fields[harness.keyField],
      );
    }
  });

  it('resumes from a checkpoint taken mid-read and reads the rest exactly once', async () => {
    await expectResumeReadsTheRest(slot, false);
  });

  it('neither skips nor repeats records sharing one updatedAt across a page boundary', async () => {
    const harness = slot.current;
    const seeded = await harness.seed(twoAndAHalfPages(harness.pageSize), { sameUpdatedAt: true });
    const records = (await readAll(harness)).pages.flat();
    expect(records.map((record) => record.id).sort()).toEqual(sortedIds(seeded));
    expect(new Set(records.map((record) => record.id)).size).toBe(records.length);
  });

  it('resumes inside a run of equal updatedAt without skipping or repeating', async () => {
    await expectResumeReadsTheRest(slot, true);
  });

  it('reads only records changed at or after `since`', async () => {
    const harness = slot.current;
    const old = await harness.seed(4);
    await harness.advanceTime(60_000);
    const since = harness.clock.now().toISOString();
    await harness.advanceTime(1_000);
    const fresh = await harness.seed(3);
    const edited = nth(old, 1);
    await harness.updateInVendor(edited.id, { [harness.textField]: 'edited after since' });

    const records = (await readAll(harness, { since })).pages.flat();
    expect(records.map((record) => record.id).sort()).toEqual(sortedIds([...fresh, edited]));
    const read = records.find((record) => record.id === edited.id);
    expect(read?.fields[harness.textField]).toBe('edited after since');
    for (const record of records) expect(record.updatedAt >= since).toBe(true);
  });

  it('looks records up by key: hits are returned, misses left out', async () => {
    const harness = slot.current;
    const seeded = await harness.seed(4);
    const wanted = [nth(seeded, 0), nth(seeded, 2)];
    const keys = wanted.map((record) => String(record.fields[harness.keyField]));
    const missingKey = String(harness.newFields('never-created')[harness.keyField]);

    const found = await harness.connector.lookup({
      object: harness.object,
      field: harness.keyField,
      values: [...keys, missingKey],
      fields: [harness.keyField],
    });
    expect(sortedIds(found)).toEqual(sortedIds(wanted));
    for (const record of found) expect(keys).toContain(String(record.fields[harness.keyField]));
    await expect(
      harness.connector.lookup({
        object: harness.object,
        field: harness.keyField,
        values: [],
        fields: [],
      }),
    ).resolves.toEqual([]);
  });

  it('gets records by id, leaving missing ids out', async () => {
    const harness = slot.current;
    const seeded = await harness.seed(3);
    const wanted = [nth(seeded, 0), nth(seeded, 2)];
    const found = await harness.connector.get(
      harness.object,
      [...wanted.map((record) => record.id), harness.missingId],
      [harness.keyField],
    );
    expect(sortedIds(found)).toEqual(sortedIds(wanted));
  });

  it('reports deletes made in the vendor through readDeleted', async () => {
    const harness = slot.current;
    if (!harness.capabilities.deletes) {
      expect(typeof harness.connector.readDeleted).toBe('undefined');
      return;
    }
    const seeded = await harness.seed(3);
    const since = harness.clock.now().toISOString();
    const gone = nth(seeded, 1);
    await harness.deleteInVendor(gone.id);
    const deleted: string[] = [];
    const pages = harness.connector.readDeleted?.({ object: harness.object, since });
    if (pages === undefined)
      throw new Error('capabilities.deletes is true but readDeleted is absent');
    for await (const page of pages) deleted.push(...page.records.map((record) => record.id));
    expect(deleted).toEqual([gone.id]);
    expect(sortedIds(await harness.storeRecords())).not.toContain(gone.id);
  });
}
