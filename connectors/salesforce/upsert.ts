/**
 * Upsert on a key that is not an external id (Contact.Email, say): Salesforce has no native upsert
 * there, so the connector looks the keys up (SOQL IN, compared as Salesforce compares) and updates
 * the single matches and creates the rest. Unlike a native upsert this has a window between the
 * lookup and the create; two records sharing a key fail as `duplicate` rather than being guessed.
 */
import type { ConnectorRecord, WriteOperation, WriteRequest, WriteResult } from '../sdk/contract';
import { failedResult } from './write';

export async function upsertByLookup(
  request: WriteRequest,
  keyField: string,
  find: (values: string[]) => Promise<ConnectorRecord[]>,
  write: (mode: 'create' | 'update', operations: WriteOperation[]) => Promise<WriteResult[]>,
): Promise<WriteResult[]> {
  const keyOf = (operation: WriteOperation): string | undefined => {
    const value = operation.fields[keyField];
    return typeof value === 'string' && value.trim() !== '' ? value : undefined;
  };
  const keys = request.operations.map(keyOf).filter((key): key is string => key !== undefined);
  const byKey = new Map<string, string[]>();
  for (const record of await find(keys)) {
    const value = record.fields[keyField];
    if (typeof value !== 'string') continue;
    const ids = byKey.get(value.toLowerCase()) ?? [];
    ids.push(record.id);
    byKey.set(value.toLowerCase(), ids);
  }
  const results: (WriteResult | undefined)[] = new Array<WriteResult | undefined>(
    request.operations.length,
  ).fill(undefined);
  const creates: { index: number; operation: WriteOperation }[] = [];
  const updates: { index: number; operation: WriteOperation }[] = [];
  request.operations.forEach((operation, index) => {
    const key = keyOf(operation);
    const ids = key === undefined ? [] : (byKey.get(key.toLowerCase()) ?? []);
    const [id, second] = [ids.at(0), ids.at(1)];
    if (second !== undefined) {
      results[index] = failedResult(
        'DUPLICATE_VALUE',
        `${ids.length} ${request.object} records have ${keyField} = ${key ?? ''}`,
        [keyField],
      );
    } else if (id === undefined) creates.push({ index, operation });
    else updates.push({ index, operation: { id, fields: operation.fields } });
  });
  const apply = async (mode: 'create' | 'update', items: typeof creates): Promise<void> => {
    if (items.length === 0) return;
    const written = await write(
      mode,
      items.map((item) => item.operation),
    );
    items.forEach((item, position) => {
      results[item.index] = written[position];
    });
  };
  await apply('update', updates);
  await apply('create', creates);
  return results.map(
    (result) => result ?? failedResult('UNKNOWN_EXCEPTION', 'no result for this record'),
  );
}

/**
 * Upsert on the record Id: sObject Collections upsert takes external ids only ("Only external ids
 * are supported. Don't use record ids", REST API Developer Guide, "Upsert Records Using sObject
 * Collections"), so an operation that carries an Id updates that record and one without creates.
 */
export async function upsertById(
  request: WriteRequest,
  idField: string,
  write: (mode: 'create' | 'update', operations: WriteOperation[]) => Promise<WriteResult[]>,
): Promise<WriteResult[]> {
  const withoutId = (operation: WriteOperation): WriteOperation => ({
    ...operation,
    fields: Object.fromEntries(
      Object.entries(operation.fields).filter(([name]) => name !== idField),
    ),
  });
  return upsertByLookup(
    request,
    idField,
    (ids) => Promise.resolve(ids.map((id) => ({ id, updatedAt: '', fields: { [idField]: id } }))),
    (mode, operations) => write(mode, operations.map(withoutId)),
  );
}
