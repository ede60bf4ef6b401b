/**
 * The memory vendor's batch write endpoint: each operation succeeds or fails on its own, results
 * come back in order, and the values stored are returned with each success.
 */
import type {
  Fields,
  WriteError,
  WriteMode,
  WriteOperation,
  WriteRequest,
  WriteResult,
} from '../sdk/contract';
import { ConnectorError } from '../sdk/errors';
import { copyFields, copyRecord, type MemoryObject, valueKey } from './store';
import { validateFields } from './validate';

/** Write modes the memory vendor accepts. */
export const MEMORY_WRITE_MODES: readonly WriteMode[] = ['create', 'update', 'upsert', 'delete'];

export interface WriteEnvironment {
  store: MemoryObject;
  /** ISO stamp for every record this batch touches (vendors stamp a batch with one time). */
  now: string;
  newId: () => string;
  rejection: (operation: WriteOperation) => WriteError | undefined;
}

function failure(code: WriteError['code'], message: string, id?: string): WriteResult {
  const error: WriteError = { code, message, retryable: code === 'locked' };
  return id === undefined ? { status: 'failed', error } : { status: 'failed', id, error };
}

/** A value of another record already holds one of the object's unique fields. */
function duplicateOf(
  store: MemoryObject,
  fields: Fields,
  selfId: string | undefined,
): WriteError | undefined {
  for (const field of store.uniqueFields) {
    const key = valueKey(fields[field]);
    if (key === undefined) continue;
    for (const id of store.idsWhere(field, key)) {
      if (id !== selfId) {
        return {
          code: 'duplicate',
          message: `${field} '${key}' is already used by ${id}`,
          retryable: false,
          fields: [field],
        };
      }
    }
  }
  return undefined;
}

function create(env: WriteEnvironment, values: Fields): WriteResult {
  const problem =
    validateFields(env.store.descriptors, values, values) ??
    duplicateOf(env.store, values, undefined);
  if (problem !== undefined) return { status: 'failed', error: problem };
  const stored = env.store.put(env.newId(), values, env.now);
  return { status: 'created', id: stored.id, record: copyRecord(stored) };
}

function update(env: WriteEnvironment, id: string, values: Fields): WriteResult {
  const existing = env.store.records.get(id);
  if (existing === undefined) return failure('not_found', `no record ${id}`, id);
  const complete = { ...existing.fields, ...values };
  const problem =
    validateFields(env.store.descriptors, values, complete) ?? duplicateOf(env.store, complete, id);
  if (problem !== undefined) return { status: 'failed', id, error: problem };
  const stored = env.store.put(id, complete, env.now);
  return { status: 'updated', id, record: copyRecord(stored) };
}

function upsert(env: WriteEnvironment, matchField: string, values: Fields): WriteResult {
  const key = valueKey(values[matchField]);
  if (key === undefined)
    return failure('required_field_missing', `upsert needs a value for ${matchField}`);
  const matches = [...env.store.idsWhere(matchField, key)];
  if (matches.length === 0) return create(env, values);
  if (matches.length > 1)
    return failure('duplicate', `${matches.length} records have ${matchField} '${key}'`);
  return update(env, matches[0], values);
}

function remove(env: WriteEnvironment, id: string): WriteResult {
  if (!env.store.remove(id, env.now)) return failure('not_found', `no record ${id}`, id);
  return { status: 'deleted', id };
}

function applyOne(
  env: WriteEnvironment,
  request: WriteRequest,
  operation: WriteOperation,
): WriteResult {
  const rejected = env.rejection(operation);
  if (rejected !== undefined) {
    return operation.id === undefined
      ? { status: 'failed', error: rejected }
      : { status: 'failed', id: operation.id, error: rejected };
  }
  const values = copyFields(operation.fields);
  switch (request.mode) {
    case 'create':
      return create(env, values);
    case 'update':
      return operation.id === undefined
        ? failure('not_found', 'update needs an id')
        : update(env, operation.id, values);
    case 'upsert':
      // Checked by applyWrite; repeated so the compiler knows.
      return request.matchField === undefined
        ? failure('invalid_value', 'upsert needs a match field')
        : upsert(env, request.matchField, values);
    case 'delete':
      return operation.id === undefined
        ? failure('not_found', 'delete needs an id')
        : remove(env, operation.id);
    default: {
      const unreachable: never = request.mode;
      return unreachable;
    }
  }
}

/** Applies a batch; throws only for a malformed call, as the vendor would answer 400. */
export function applyWrite(env: WriteEnvironment, request: WriteRequest): WriteResult[] {
  if (!MEMORY_WRITE_MODES.includes(request.mode)) {
    throw new ConnectorError(
      'bad_request',
      `the memory vendor does not support ${request.mode} writes`,
      { status: 400 },
    );
  }
  if (request.mode === 'upsert' && request.matchField === undefined) {
    throw new ConnectorError('bad_request', 'an upsert needs a matchField', { status: 400 });
  }
  return request.operations.map((operation) => applyOne(env, request, operation));
}
