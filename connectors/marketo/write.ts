/**
 * Writing leads with Sync Leads, up to 300 a call, one result per record in order: upsert as
 * `createOrUpdate` by the match field, create as `createOnly`, update as `updateOnly` by id; and
 * Delete Leads. Marketo warns that closely timed upserts of one key can both create a lead, so the
 * connection never has two calls in flight that create by the same key.
 */
import type { WriteRequest, WriteResult } from '../sdk/contract';
import { ConnectorError } from '../sdk/errors';
import type { MarketoClient } from './client';
import { recordError, wireText } from './errors';
import type { ReadParts } from './read';
import { LEADS, type LeadSchema, fieldName, wireValue } from './schema';

interface SyncResult {
  id?: unknown;
  status?: unknown;
  reasons?: unknown;
}

/** Locks by key: a holder of some keys waits for every earlier holder of any of them. */
export class KeyLocks {
  private readonly tails = new Map<string, Promise<void>>();

  async acquire(keys: readonly string[]): Promise<() => void> {
    const unique = [...new Set(keys)];
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const before = unique.map((key) => this.tails.get(key)).filter((tail) => tail !== undefined);
    for (const key of unique) this.tails.set(key, held);
    await Promise.all(before);
    return () => {
      release();
      for (const key of unique) if (this.tails.get(key) === held) this.tails.delete(key);
    };
  }
}

export interface WriteParts extends ReadParts {
  locks: KeyLocks;
}

function outcome(raw: SyncResult | undefined, fallbackId?: string): WriteResult {
  const id = raw?.id === undefined || raw.id === null ? fallbackId : wireText(raw.id);
  switch (raw?.status) {
    case 'created':
    case 'updated':
    case 'deleted':
      if (id === undefined) break;
      return { status: raw.status, id };
    case 'skipped':
      return {
        status: 'failed',
        ...(id === undefined ? {} : { id }),
        error: recordError(raw.reasons),
      };
    default:
      break;
  }
  return {
    status: 'failed',
    ...(id === undefined ? {} : { id }),
    error: {
      code: 'unknown',
      message: `Marketo answered ${JSON.stringify(raw ?? null)} for this record`,
      retryable: true,
    },
  };
}

function inputOf(schema: LeadSchema, fields: Record<string, unknown>): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    const field = fieldName(schema, name);
    input[field] = wireValue(schema.types.get(field), value as never);
  }
  return input;
}

async function deleteLeads(client: MarketoClient, request: WriteRequest): Promise<WriteResult[]> {
  const answer = await client.post<SyncResult>('v1/leads/delete.json', {
    input: request.operations.map((operation) => ({ id: Number(operation.id) })),
  });
  const results = answer.result ?? [];
  return request.operations.map((operation, index) => {
    const result = outcome(results[index], operation.id);
    // Deleting a lead already gone leaves what the caller wanted.
    if (
      result.status === 'failed' &&
      result.error.code === 'not_found' &&
      operation.id !== undefined
    )
      return { status: 'deleted', id: operation.id };
    return result;
  });
}

export async function writeLeads(parts: WriteParts, request: WriteRequest): Promise<WriteResult[]> {
  if (request.object !== LEADS)
    throw new ConnectorError(
      'bad_request',
      `Marketo connections write ${LEADS}, not ${request.object}`,
    );
  if (request.mode === 'delete') return deleteLeads(parts.client, request);
  const schema = await parts.schema();
  const action =
    request.mode === 'upsert'
      ? 'createOrUpdate'
      : request.mode === 'create'
        ? 'createOnly'
        : 'updateOnly';
  const lookupField =
    request.mode === 'update' ? 'id' : fieldName(schema, request.matchField ?? 'email');
  if (request.mode !== 'update' && !schema.searchable.has(lookupField))
    throw new ConnectorError(
      'bad_request',
      `Marketo cannot match leads by ${lookupField}: its lookup fields are ${[...schema.searchable].join(', ')}`,
    );
  const input = request.operations.map((operation) =>
    request.mode === 'update'
      ? { ...inputOf(schema, operation.fields), id: Number(operation.id) }
      : inputOf(schema, operation.fields),
  );
  // Creates by key wait for any call creating by the same keys (emails compare without case).
  const keys =
    request.mode === 'update'
      ? []
      : input
          .map((record) => wireText(record[lookupField]).toLowerCase())
          .filter((key) => key !== '');
  const release = await parts.locks.acquire(keys);
  try {
    // An update by id or an upsert by key lands once however often it is sent; a create does not.
    const answer = await parts.client.post<SyncResult>(
      'v1/leads.json',
      { action, lookupField, input },
      { idempotent: request.mode !== 'create' },
    );
    const results = answer.result ?? [];
    return request.operations.map((operation, index) => outcome(results[index], operation.id));
  } finally {
    release();
  }
}
