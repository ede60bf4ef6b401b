/**
 * An upsert by a property HubSpot does not hold unique, such as a company's `domain`: its batch
 * upsert takes only a unique `idProperty` (and refuses the call otherwise), so the records are
 * looked up by that property first (search IN, lookup.ts), those found once are updated by id and
 * the others created. A key that several records hold fails its operation as a duplicate rather
 * than guess which to update. The Salesforce connector does the same for a field that is no
 * external id (connectors/salesforce/upsert.ts).
 */
import type { WriteOperation, WriteResult } from '../sdk/contract';
import { ConnectorError } from '../sdk/errors';
import { failed } from './errors';
import { lookupRecords } from './lookup';
import type { ReadContext } from './read';

/** Matches keys as HubSpot's search compares strings: whatever the case. */
function keyOf(value: unknown): string {
  return typeof value === 'string' ? value.trim().toLowerCase() : '';
}

export async function upsertByLookup(
  context: ReadContext,
  request: { object: string; matchField: string },
  chunk: readonly WriteOperation[],
  write: (mode: 'create' | 'update', operations: WriteOperation[]) => Promise<WriteResult[]>,
): Promise<WriteResult[]> {
  const { object, matchField } = request;
  const keys = chunk.map((operation) => keyOf(operation.fields[matchField]));
  const found = await lookupRecords(context, {
    object,
    field: matchField,
    values: chunk.map((operation) => String(operation.fields[matchField] ?? '')),
    fields: [matchField],
  });
  const holders = new Map<string, string[]>();
  for (const record of found) {
    const key = keyOf(record.fields[matchField]);
    holders.set(key, [...(holders.get(key) ?? []), record.id]);
  }
  const results: (WriteResult | undefined)[] = chunk.map(() => undefined);
  const updates: Array<{ index: number; operation: WriteOperation }> = [];
  const creates: Array<{ index: number; operation: WriteOperation }> = [];
  chunk.forEach((operation, index) => {
    const key = keys[index] ?? '';
    const ids = holders.get(key) ?? [];
    if (key === '')
      results[index] = failed(
        new ConnectorError('required_field_missing', `no ${matchField} to upsert by`),
      );
    else if (ids.length > 1)
      results[index] = failed(
        new ConnectorError(
          'duplicate',
          `${String(ids.length)} ${object} have ${matchField} "${key}" (${ids.join(', ')}): not guessing which to update`,
        ),
      );
    else if (ids.length === 1) updates.push({ index, operation: { ...operation, id: ids[0] } });
    else creates.push({ index, operation });
  });
  for (const [mode, group] of [
    ['update', updates],
    ['create', creates],
  ] as const) {
    if (group.length === 0) continue;
    const written = await write(
      mode,
      group.map((each) => each.operation),
    );
    group.forEach((each, i) => {
      results[each.index] = written[i];
    });
  }
  return results.map(
    (result) => result ?? failed(new ConnectorError('unknown', 'no result for this record')),
  );
}
