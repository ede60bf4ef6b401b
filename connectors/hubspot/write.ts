/**
 * write(): batch create / update / upsert / archive in chunks of 100, each input tagged with an
 * `objectWriteTraceId` so that results and 207 errors (whose order HubSpot does not promise) find
 * their operation. A whole batch refused for a duplicate email is retried record by record, so one
 * taken email never fails its 99 neighbours.
 */
import type { ConnectorRecord, WriteOperation, WriteRequest, WriteResult } from '../sdk/contract';
import { ConnectorError } from '../sdk/errors';
import type { HubSpotCalls } from './calls';
import type { SchemaCache } from './discover';
import { failed, toWriteError } from './errors';
import { HUBSPOT } from './limits';
import { toRecord } from './read';
import type { WireBatch, WireInput, WireRecord } from './sdk-client';
import { splitStatuses, writeStatuses } from './subscriptions';
import { upsertByLookup } from './upsert';
import { type Schema, fieldsToWire } from './values';

export interface WriteContext {
  calls: HubSpotCalls;
  schemas: SchemaCache;
  /** The legal basis sent with subscription statuses (subscriptions.ts), where the portal needs one. */
  legalBasis?: { basis?: string; explanation?: string };
}

/** A chunk's CRM write, then the subscription statuses its operations set (subscriptions.ts). */
async function writeWithStatuses(
  context: WriteContext,
  request: WriteRequest & { mode: BatchMode },
  schema: Schema,
  chunk: readonly WriteOperation[],
): Promise<WriteResult[]> {
  const { crm, changes } = splitStatuses(request.object, chunk);
  // An update of statuses alone changes no CRM property: nothing to send there.
  const statusOnly = (index: number): boolean =>
    request.mode === 'update' &&
    Object.keys(crm[index]?.fields ?? {}).length === 0 &&
    (changes[index]?.length ?? 0) > 0;
  const toCrm = crm.filter((_, index) => !statusOnly(index));
  const written = toCrm.length > 0 ? await writeBatch(context, request, schema, toCrm) : [];
  let next = 0;
  const results = crm.map((operation, index): WriteResult => {
    if (!statusOnly(index))
      return written[next++] ?? failed(new ConnectorError('unknown', 'no answer'));
    return { status: 'updated', id: operation.id ?? '' };
  });
  return writeStatuses(context, context.legalBasis ?? {}, chunk, changes, results);
}

type BatchMode = 'create' | 'update' | 'upsert';

/** Errors that stop the run rather than fail the records of one batch. */
function stopsTheRun(error: ConnectorError): boolean {
  const action = error.action;
  return action.kind === 'fail_run' || error.code === 'cancelled';
}

function endpoint(object: string, operation: string): string {
  return `POST /crm/v3/objects/${object}/batch/${operation}`;
}

/** Our results for one batch answer, in the order of `operations`. */
function resultsOf(
  object: string,
  schema: Schema,
  mode: BatchMode,
  operations: readonly WriteOperation[],
  inputs: readonly (WireInput | undefined)[],
  answer: WireBatch,
): WriteResult[] {
  const results: (WriteResult | undefined)[] = operations.map(() => undefined);
  const byTrace = new Map<string, number>();
  const byId = new Map<string, number>();
  inputs.forEach((input, index) => {
    if (input === undefined) return;
    byTrace.set(input.objectWriteTraceId, index);
    if (input.id !== undefined)
      byId.set(input.idProperty === 'email' ? input.id.toLowerCase() : input.id, index);
  });
  const indexOf = (wire: WireRecord): number | undefined => {
    if (wire.objectWriteTraceId !== undefined) return byTrace.get(wire.objectWriteTraceId);
    const key =
      mode === 'upsert' ? inputs.find((input) => input !== undefined)?.idProperty : undefined;
    const value = key === undefined ? wire.id : (wire.properties[key] ?? '');
    return byId.get(key === 'email' ? value.toLowerCase() : value);
  };
  for (const wire of answer.results) {
    const index = indexOf(wire);
    if (index === undefined) continue;
    const fields = Object.keys(operations[index]?.fields ?? {});
    const record: ConnectorRecord = toRecord(object, schema, wire, fields);
    const status = mode === 'create' || wire.isNew === true ? 'created' : 'updated';
    results[index] = { status, id: wire.id, record };
  }
  for (const error of answer.errors) {
    const traces = error.context['objectWriteTraceId'] ?? [];
    const ids = error.context['ids'] ?? [];
    const indexes = [
      ...traces.map((trace) => byTrace.get(trace)),
      ...ids.map((id) => byId.get(id)),
    ].filter((index): index is number => index !== undefined);
    for (const index of indexes) {
      if (results[index] !== undefined) continue;
      const writeError = toWriteError(error);
      const id = operations[index]?.id;
      results[index] =
        id === undefined
          ? { status: 'failed', error: writeError }
          : { status: 'failed', id, error: writeError };
    }
  }
  return results.map(
    (result, index) =>
      result ??
      (inputs[index] === undefined
        ? failed(
            new ConnectorError('required_field_missing', 'the operation has no key to write by'),
          )
        : failed(
            new ConnectorError(
              'unknown',
              'HubSpot answered neither a result nor an error for this record',
            ),
          )),
  );
}

function inputFor(
  schema: Schema,
  mode: BatchMode,
  matchField: string | undefined,
  operation: WriteOperation,
  index: number,
): WireInput | undefined {
  const properties = fieldsToWire(schema, operation.fields);
  const objectWriteTraceId = String(index);
  switch (mode) {
    case 'create':
      return { objectWriteTraceId, properties };
    case 'update':
      return operation.id === undefined
        ? undefined
        : { id: operation.id, objectWriteTraceId, properties };
    case 'upsert': {
      const key = matchField === undefined ? undefined : operation.fields[matchField];
      if (matchField === undefined || typeof key !== 'string' || key === '') return undefined;
      return { id: key, idProperty: matchField, objectWriteTraceId, properties };
    }
    default: {
      const unreachable: never = mode;
      return unreachable;
    }
  }
}

async function writeBatch(
  context: WriteContext,
  request: WriteRequest & { mode: BatchMode },
  schema: Schema,
  operations: readonly WriteOperation[],
): Promise<WriteResult[]> {
  const { object, mode } = request;
  let inputs: (WireInput | undefined)[];
  try {
    inputs = operations.map((operation, index) =>
      inputFor(schema, mode, request.matchField, operation, index),
    );
  } catch (error) {
    if (!(error instanceof ConnectorError)) throw error;
    // A value we cannot serialise fails its own record only: write the rest one by one.
    return writeOneByOne(context, request, schema, operations);
  }
  const sendable = inputs.filter((input): input is WireInput => input !== undefined);
  let answer: WireBatch = { results: [], errors: [] };
  if (sendable.length > 0) {
    try {
      answer = await context.calls.run(
        // Creating twice would duplicate; update and upsert are safe to repeat.
        { endpoint: endpoint(object, mode), idempotent: mode !== 'create' },
        (sdk) =>
          mode === 'create'
            ? sdk.batchCreate(object, sendable)
            : mode === 'update'
              ? sdk.batchUpdate(object, sendable)
              : sdk.batchUpsert(object, sendable),
      );
    } catch (error) {
      if (!(error instanceof ConnectorError)) throw error;
      // HubSpot refuses a whole create batch for one taken email (409) or a duplicate inside it.
      if (operations.length > 1 && (error.code === 'duplicate' || error.code === 'bad_request'))
        return writeOneByOne(context, request, schema, operations);
      if (stopsTheRun(error)) throw error;
      return operations.map((operation) => failed(error, operation.id));
    }
  }
  return resultsOf(object, schema, mode, operations, inputs, answer);
}

async function writeOneByOne(
  context: WriteContext,
  request: WriteRequest & { mode: BatchMode },
  schema: Schema,
  operations: readonly WriteOperation[],
): Promise<WriteResult[]> {
  const results: WriteResult[] = [];
  for (const operation of operations) {
    try {
      results.push(...(await writeBatch(context, request, schema, [operation])));
    } catch (error) {
      if (!(error instanceof ConnectorError) || stopsTheRun(error)) throw error;
      results.push(failed(error, operation.id));
    }
  }
  return results;
}

async function archive(
  context: WriteContext,
  object: string,
  operations: readonly WriteOperation[],
): Promise<WriteResult[]> {
  const ids = operations
    .map((operation) => operation.id)
    .filter((id): id is string => id !== undefined && id !== '');
  if (ids.length > 0) {
    try {
      await context.calls.run({ endpoint: endpoint(object, 'archive'), idempotent: true }, (sdk) =>
        sdk.batchArchive(object, ids),
      );
    } catch (error) {
      if (!(error instanceof ConnectorError) || stopsTheRun(error)) throw error;
      return operations.map((operation) => failed(error, operation.id));
    }
  }
  // HubSpot archives idempotently: a missing id answers 204 too.
  return operations.map((operation) =>
    operation.id === undefined || operation.id === ''
      ? failed(new ConnectorError('required_field_missing', 'a delete needs the record id'))
      : { status: 'deleted', id: operation.id },
  );
}

/** The match field of an upsert when HubSpot does not hold it unique (upserted by lookup). */
async function lookupKey(
  context: WriteContext,
  request: WriteRequest,
): Promise<string | undefined> {
  const field = request.matchField;
  if (field === undefined || field === 'hs_object_id') return undefined;
  const property = (await context.schemas.list(request.object)).find((p) => p.name === field);
  return property === undefined || property.hasUniqueValue ? undefined : field;
}

export async function writeRecords(
  context: WriteContext,
  request: WriteRequest,
): Promise<WriteResult[]> {
  const { mode } = request;
  const results: WriteResult[] = [];
  const schema = mode === 'delete' ? new Map() : await context.schemas.schema(request.object);
  const byLookup = mode === 'upsert' ? await lookupKey(context, request) : undefined;
  for (let i = 0; i < request.operations.length; i += HUBSPOT.maxBatch) {
    const chunk = request.operations.slice(i, i + HUBSPOT.maxBatch);
    if (byLookup !== undefined) {
      results.push(
        ...(await upsertByLookup(context, { ...request, matchField: byLookup }, chunk, (as, ops) =>
          writeWithStatuses(context, { ...request, mode: as }, schema, ops),
        )),
      );
      continue;
    }
    switch (mode) {
      case 'create':
      case 'update':
      case 'upsert':
        results.push(...(await writeWithStatuses(context, { ...request, mode }, schema, chunk)));
        break;
      case 'delete':
        results.push(...(await archive(context, request.object, chunk)));
        break;
      default: {
        const unreachable: never = mode;
        return unreachable;
      }
    }
  }
  return results;
}
