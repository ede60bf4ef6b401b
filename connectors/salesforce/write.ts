/**
 * Writes through sObject Collections, 200 records a call, `allOrNone: false` so one bad record
 * fails alone; results come back in input order, one per operation.
 */
import type { Connection } from 'jsforce';
import type {
  Fields,
  FieldDescriptor,
  WriteMode,
  WriteRequest,
  WriteResult,
} from '../sdk/contract';
import { ConnectorError, isRetryable } from '../sdk/errors';
import { recordErrorCode } from './errors';
import { jsforceRequest } from './jsforce-bridge';
import { COLLECTION_MAX } from './limits';
import { toSalesforce } from './values';

interface CollectionResult {
  id?: string | null;
  success: boolean;
  created?: boolean;
  errors: { statusCode: string; message: string; fields?: string[] }[];
}

function isResults(value: unknown, count: number): value is CollectionResult[] {
  return Array.isArray(value) && value.length === count;
}

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}

/** Field values as Salesforce's JSON takes them. */
export function wireFields(fields: Fields): Record<string, string | number | boolean | null> {
  return Object.fromEntries(
    Object.entries(fields).map(([name, value]) => [name, toSalesforce(value)]),
  );
}

export function failedResult(
  statusCode: string,
  message: string,
  fields: string[] = [],
  id?: string,
): WriteResult {
  const code = recordErrorCode(statusCode, fields);
  return {
    status: 'failed',
    ...(id === undefined ? {} : { id }),
    error: {
      code,
      message: `${statusCode}: ${message}`,
      retryable: isRetryable(code),
      ...(fields.length > 0 ? { fields } : {}),
    },
  };
}

function toResult(
  mode: WriteMode,
  result: CollectionResult,
  requestedId: string | undefined,
): WriteResult {
  const id = result.id ?? requestedId;
  if (result.success && typeof id === 'string') {
    switch (mode) {
      case 'create':
        return { status: 'created', id };
      case 'upsert':
        return { status: result.created === true ? 'created' : 'updated', id };
      case 'update':
        return { status: 'updated', id };
      case 'delete':
        return { status: 'deleted', id };
      default: {
        const unreachable: never = mode;
        return unreachable;
      }
    }
  }
  const first = result.errors.at(0);
  return failedResult(
    first?.statusCode ?? 'UNKNOWN_EXCEPTION',
    first?.message ?? 'the record was not saved',
    first?.fields ?? [],
    id ?? undefined,
  );
}

/** The upsert key as describe names it, and whether Salesforce can upsert on it natively. */
export function upsertKey(
  request: WriteRequest,
  fields: readonly FieldDescriptor[],
): { name: string; native: boolean } {
  const wanted = request.matchField?.toLowerCase();
  const field = fields.find((candidate) => candidate.name.toLowerCase() === wanted);
  if (field === undefined) {
    throw new ConnectorError(
      'bad_request',
      `${request.object} has no field ${request.matchField ?? '(none)'} to upsert on`,
    );
  }
  return { name: field.name, native: field.externalId || field.type === 'id' };
}

export async function writeCollections(
  connection: Connection,
  version: string,
  request: WriteRequest,
  upsertField: string | undefined,
): Promise<WriteResult[]> {
  const base = `/services/data/v${version}/composite/sobjects`;
  const results: WriteResult[] = [];
  for (const batch of chunks(request.operations, COLLECTION_MAX)) {
    let answer: unknown;
    const records = (): Record<string, unknown>[] =>
      batch.map((operation) => ({
        attributes: { type: request.object },
        ...(request.mode === 'update' ? { Id: operation.id } : {}),
        ...wireFields(operation.fields),
      }));
    switch (request.mode) {
      case 'create':
        answer = await jsforceRequest(connection, {
          method: 'POST',
          url: base,
          body: JSON.stringify({ allOrNone: false, records: records() }),
          headers: { 'content-type': 'application/json' },
        });
        break;
      case 'update':
        answer = await jsforceRequest(connection, {
          method: 'PATCH',
          url: base,
          body: JSON.stringify({ allOrNone: false, records: records() }),
          headers: { 'content-type': 'application/json' },
        });
        break;
      case 'upsert':
        answer = await jsforceRequest(connection, {
          method: 'PATCH',
          url: `${base}/${request.object}/${upsertField ?? ''}`,
          body: JSON.stringify({ allOrNone: false, records: records() }),
          headers: { 'content-type': 'application/json' },
        });
        break;
      case 'delete':
        answer = await jsforceRequest(connection, {
          method: 'DELETE',
          url: `${base}?allOrNone=false&ids=${batch.map((operation) => encodeURIComponent(operation.id ?? '')).join(',')}`,
        });
        break;
      default: {
        const unreachable: never = request.mode;
        return unreachable;
      }
    }
    if (!isResults(answer, batch.length)) {
      throw new ConnectorError(
        'unknown',
        `sObject Collections answered ${JSON.stringify(answer).slice(0, 200)}`,
      );
    }
    answer.forEach((result, index) => {
      results.push(toResult(request.mode, result, batch[index]?.id));
    });
  }
  return results;
}
