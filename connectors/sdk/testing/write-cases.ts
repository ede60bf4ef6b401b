/**
 * Contract cases for writing: per-record results in order, per-record rejections that spare the
 * rest of the batch, and what the vendor's store holds after create, update, upsert and delete.
 */
import type { ConnectorRecord, WriteMode, WriteResult } from '../contract';
import { type ContractHarness, type HarnessSlot, nth, sortedIds } from './harness';

/** Whether the harness declares `mode`; when it does not, the connector's limits must not either. */
function supports(harness: ContractHarness, mode: WriteMode): boolean {
  const declared = harness.capabilities.writeModes.includes(mode);
  if (!declared) expect(harness.connector.limits.maxBatch[mode]).toBeUndefined();
  return declared;
}

function succeeded(result: WriteResult | undefined): { id: string; record?: ConnectorRecord } {
  if (result === undefined || result.status === 'failed') {
    throw new Error(`expected a success, got ${JSON.stringify(result)}`);
  }
  return result;
}

function keyOf(harness: ContractHarness, record: { fields: ConnectorRecord['fields'] }): unknown {
  return record.fields[harness.keyField];
}

export function registerWriteCases(slot: HarnessSlot): void {
  it('creates records and the store holds what was sent', async () => {
    const harness = slot.current;
    if (!supports(harness, 'create')) return;
    const operations = ['c1', 'c2'].map((tag) => ({ fields: harness.newFields(tag) }));
    const results = await harness.connector.write({
      object: harness.object,
      mode: 'create',
      operations,
    });

    expect(results.map((result) => result.status)).toEqual(['created', 'created']);
    const stored = await harness.storeRecords();
    results.forEach((result, index) => {
      const { id, record } = succeeded(result);
      const sent = operations[index]?.fields ?? {};
      const inStore = stored.find((candidate) => candidate.id === id);
      expect(inStore && keyOf(harness, inStore)).toEqual(sent[harness.keyField]);
      if (record !== undefined) expect(keyOf(harness, record)).toEqual(sent[harness.keyField]);
    });
  });

  it('keeps the rest of a batch when the vendor rejects one record, results in order', async () => {
    const harness = slot.current;
    const mode: WriteMode = harness.capabilities.writeModes.includes('create')
      ? 'create'
      : 'upsert';
    const operations = ['p0', 'p1', 'p2', 'p3', 'p4'].map((tag) => ({
      fields: harness.newFields(tag),
    }));
    const badKey = operations[2]?.fields[harness.keyField];
    const expected = await harness.rejectWrites(
      (operation) => operation.fields[harness.keyField] === badKey,
    );

    const results = await harness.connector.write({
      object: harness.object,
      mode,
      matchField: mode === 'upsert' ? harness.keyField : undefined,
      operations,
    });
    expect(results).toHaveLength(5);
    const failed = nth(results, 2);
    expect(failed.status).toBe('failed');
    if (failed.status === 'failed') {
      expect(failed.error.code).toBe(expected.code);
      expect(failed.error.retryable).toBe(expected.retryable);
      expect(failed.error.message).not.toBe('');
    }
    const stored = await harness.storeRecords();
    const storedKeys = stored.map((record) => keyOf(harness, record));
    [0, 1, 3, 4].forEach((index) => {
      expect(results[index]?.status).toBe('created');
      expect(storedKeys).toContain(operations[index]?.fields[harness.keyField]);
    });
    expect(storedKeys).not.toContain(badKey);
  });

  it('updates a record by id', async () => {
    const harness = slot.current;
    if (!supports(harness, 'update')) return;
    const target = nth(await harness.seed(2), 0);
    const results = await harness.connector.write({
      object: harness.object,
      mode: 'update',
      operations: [{ id: target.id, fields: { [harness.textField]: 'updated by the kit' } }],
    });
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ status: 'updated', id: target.id });
    const stored = (await harness.storeRecords()).find((record) => record.id === target.id);
    expect(stored?.fields[harness.textField]).toBe('updated by the kit');
    expect(stored && keyOf(harness, stored)).toEqual(keyOf(harness, target));
  });

  it('upserts by key: updates the match, creates the rest, and creates no duplicate when repeated', async () => {
    const harness = slot.current;
    if (!supports(harness, 'upsert')) return;
    const existing = nth(await harness.seed(1), 0);
    const operations = [
      {
        fields: {
          [harness.keyField]: keyOf(harness, existing) as string,
          [harness.textField]: 'u-existing',
        },
      },
      { fields: { ...harness.newFields('u-new'), [harness.textField]: 'u-new' } },
    ];
    const request = {
      object: harness.object,
      mode: 'upsert' as const,
      matchField: harness.keyField,
      operations,
    };

    const first = await harness.connector.write(request);
    expect(first.map((result) => result.status)).toEqual(['updated', 'created']);
    expect(succeeded(first[0]).id).toBe(existing.id);
    const again = await harness.connector.write(request);
    expect(again.map((result) => result.status)).toEqual(['updated', 'updated']);
    expect(succeeded(again[1]).id).toBe(succeeded(first[1]).id);

    const stored = await harness.storeRecords();
    expect(stored).toHaveLength(2);
    const texts = Object.fromEntries(
      stored.map((record) => [record.id, record.fields[harness.textField]]),
    );
    expect(texts).toEqual({ [existing.id]: 'u-existing', [succeeded(first[1]).id]: 'u-new' });
  });

  it('deletes by id: the store loses the record and get() no longer finds it', async () => {
    const harness = slot.current;
    if (!supports(harness, 'delete')) return;
    const seeded = await harness.seed(2);
    const gone = nth(seeded, 0);
    const kept = nth(seeded, 1);
    const since = harness.clock.now().toISOString();
    const results = await harness.connector.write({
      object: harness.object,
      mode: 'delete',
      operations: [{ id: gone.id, fields: {} }],
    });
    expect(results).toEqual([expect.objectContaining({ status: 'deleted', id: gone.id })]);
    expect(sortedIds(await harness.storeRecords())).toEqual([kept.id]);
    const found = await harness.connector.get(harness.object, [gone.id, kept.id], []);
    expect(sortedIds(found)).toEqual([kept.id]);
    if (harness.capabilities.deletes && harness.connector.readDeleted !== undefined) {
      const deleted: string[] = [];
      for await (const page of harness.connector.readDeleted({ object: harness.object, since })) {
        deleted.push(...page.records.map((record) => record.id));
      }
      expect(deleted).toContain(gone.id);
    }
  });
}
