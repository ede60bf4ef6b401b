/**
 * Writes through Bulk API 2.0 ingest jobs, as the jobs capability's three steps: start (create the
 * job, upload one CSV, mark it UploadComplete), poll (until JobComplete, Failed or Aborted), and
 * results (the successful, failed and unprocessed result CSVs). Result rows come back in no particular order; each is matched to its
 * input by the columns it echoes (the Id, the external id, or the whole row for inserts).
 */
import type { Connection } from 'jsforce';
import type {
  JobState,
  JobTicket,
  WriteOperation,
  WriteRequest,
  WriteResult,
} from '../sdk/contract';
import { ConnectorError } from '../sdk/errors';
import { readCsv, writeCsv } from './csv';
import { jsforceRequest } from './jsforce-bridge';
import { toCsvCell } from './values';
import { failedResult } from './write';

type Operation = 'insert' | 'update' | 'upsert' | 'delete';

interface JobInfo {
  id: string;
  state: string;
  errorMessage?: string;
}

function isJobInfo(value: unknown): value is JobInfo {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { id?: unknown }).id === 'string'
  );
}

function operationOf(request: WriteRequest): Operation {
  switch (request.mode) {
    case 'create':
      return 'insert';
    case 'update':
      return 'update';
    case 'upsert':
      return 'upsert';
    case 'delete':
      return 'delete';
    default: {
      const unreachable: never = request.mode;
      return unreachable;
    }
  }
}

/** The CSV header and one row per operation, with the columns that identify each row. */
function upload(
  request: WriteRequest,
  operation: Operation,
  upsertField: string | undefined,
): { header: string[]; rows: string[][]; keyColumns: number[] } {
  const columns = new Set<string>();
  if (operation === 'update' || operation === 'delete') columns.add('Id');
  if (operation !== 'delete')
    for (const write of request.operations)
      for (const name of Object.keys(write.fields)) columns.add(name);
  const header = [...columns];
  const rows = request.operations.map((write) =>
    // An upsert on Id carries its key in the fields; an update or delete names its record.
    header.map((name) =>
      name === 'Id' && write.id !== undefined ? write.id : toCsvCell(write.fields[name]),
    ),
  );
  const key = operation === 'upsert' ? upsertField : operation === 'insert' ? undefined : 'Id';
  const keyIndex =
    key === undefined ? -1 : header.findIndex((name) => name.toLowerCase() === key.toLowerCase());
  return { header, rows, keyColumns: keyIndex < 0 ? header.map((_, index) => index) : [keyIndex] };
}

function rowKey(row: readonly string[], columns: readonly number[], offset: number): string {
  return columns.map((column) => row[column + offset] ?? '').join('\u0000');
}

/** Where a job's rows are: `/services/data/vXX.X/jobs/ingest/<id>`. */
function jobPath(version: string, id: string): string {
  return `/services/data/v${version}/jobs/ingest/${id}`;
}

function upsertFieldOf(ticket: JobTicket): string | undefined {
  const field = ticket.state['upsertField'];
  return typeof field === 'string' ? field : undefined;
}

/** Creates the job, uploads one CSV and marks it UploadComplete; Salesforce takes it from there. */
export async function startBulk(
  connection: Connection,
  version: string,
  request: WriteRequest,
  upsertField: string | undefined,
  created?: (ticket: JobTicket) => Promise<void>,
): Promise<JobTicket> {
  const operation = operationOf(request);
  const json = { 'content-type': 'application/json' };
  const job = await jsforceRequest(connection, {
    method: 'POST',
    url: `/services/data/v${version}/jobs/ingest`,
    headers: json,
    body: JSON.stringify({
      object: request.object,
      operation,
      ...(operation === 'upsert' ? { externalIdFieldName: upsertField } : {}),
      contentType: 'CSV',
      lineEnding: 'LF',
      columnDelimiter: 'COMMA',
    }),
  });
  if (!isJobInfo(job)) throw new ConnectorError('unknown', 'Bulk API 2.0 created no job');
  const ticket: JobTicket = {
    id: job.id,
    object: request.object,
    mode: request.mode,
    state: { upsertField: upsertField ?? null },
  };
  // Known before it can run: a starter killed from here on leaves a job its successor can find.
  await created?.(ticket);
  const path = jobPath(version, job.id);
  const { header, rows } = upload(request, operation, upsertField);
  await jsforceRequest(connection, {
    method: 'PUT',
    url: `${path}/batches`,
    headers: { 'content-type': 'text/csv' },
    body: writeCsv([header, ...rows]),
  });
  await jsforceRequest(connection, {
    method: 'PATCH',
    url: path,
    headers: json,
    body: JSON.stringify({ state: 'UploadComplete' }),
  });
  return ticket;
}

/** The job's state: JobComplete is done; Failed and Aborted ended with what they processed. */
export async function pollBulk(
  connection: Connection,
  version: string,
  ticket: JobTicket,
): Promise<JobState> {
  const polled = await jsforceRequest(connection, {
    method: 'GET',
    url: jobPath(version, ticket.id),
  });
  if (!isJobInfo(polled))
    throw new ConnectorError('unknown', 'Bulk API 2.0 answered a poll without a job');
  if (polled.state === 'JobComplete') return { status: 'done' };
  if (polled.state === 'Open') {
    // Polled only after UploadComplete, or by a run taking over from one killed before it: that
    // upload will never complete. Aborted, the job writes nothing; its records are sent again.
    await jsforceRequest(connection, {
      method: 'PATCH',
      url: jobPath(version, ticket.id),
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ state: 'Aborted' }),
    });
    return {
      status: 'failed',
      reason: `Bulk job ${ticket.id} was never closed for processing (its upload did not complete): aborted`,
    };
  }
  if (polled.state === 'Failed' || polled.state === 'Aborted')
    return {
      status: 'failed',
      reason: `Bulk job ${ticket.id} ended ${polled.state}: ${polled.errorMessage ?? 'no reason given'}`,
    };
  return { status: 'running' };
}

/**
 * One result per operation from the job's successful, failed and unprocessed result CSVs (a Failed
 * or Aborted job has them too: what it did not process comes back failed, and can be retried).
 */
export async function bulkResults(
  connection: Connection,
  version: string,
  ticket: JobTicket,
  operations: readonly WriteOperation[],
): Promise<WriteResult[]> {
  const request: WriteRequest = {
    object: ticket.object,
    mode: ticket.mode,
    operations: [...operations],
  };
  const operation = operationOf(request);
  const { rows, keyColumns } = upload(request, operation, upsertFieldOf(ticket));
  const job = jobPath(version, ticket.id);
  const csv = async (name: string): Promise<string[][]> => {
    const text = await jsforceRequest(
      connection,
      { method: 'GET', url: `${job}/${name}` },
      { responseType: 'text/plain' },
    );
    if (typeof text !== 'string') throw new ConnectorError('unknown', `Bulk ${name} was not CSV`);
    return readCsv(text).slice(1);
  };
  const successful = await csv('successfulResults');
  const failed = await csv('failedResults');
  const unprocessed = await csv('unprocessedrecords');
  // Inputs waiting for their result, by the columns a result row echoes; equal rows take turns.
  const waiting = new Map<string, number[]>();
  rows.forEach((row, index) => {
    const key = rowKey(row, keyColumns, 0);
    const queue = waiting.get(key);
    if (queue === undefined) waiting.set(key, [index]);
    else queue.push(index);
  });
  const results: (WriteResult | undefined)[] = new Array<WriteResult | undefined>(rows.length).fill(
    undefined,
  );
  const claim = (row: readonly string[], offset: number): number | undefined =>
    waiting.get(rowKey(row, keyColumns, offset))?.shift();

  for (const row of successful) {
    const index = claim(row, 2);
    const id = row[0] ?? '';
    if (index === undefined) continue;
    const wasCreated = row[1] === 'true';
    results[index] =
      operation === 'delete'
        ? { status: 'deleted', id }
        : {
            status:
              operation === 'insert' || (operation === 'upsert' && wasCreated)
                ? 'created'
                : 'updated',
            id,
          };
  }
  for (const row of failed) {
    const index = claim(row, 2);
    if (index === undefined) continue;
    const { statusCode, message, fields } = parseBulkError(row[1] ?? '');
    results[index] = failedResult(statusCode, message, fields, row[0] === '' ? undefined : row[0]);
  }
  for (const row of unprocessed) {
    const index = claim(row, 0);
    if (index !== undefined)
      results[index] = failedResult('UNPROCESSED', 'the Bulk job did not process this record');
  }
  return results.map(
    (result) =>
      result ??
      failedResult('UNKNOWN_EXCEPTION', 'the Bulk job reported no result for this record'),
  );
}

/**
 * A Bulk API 2.0 `sf__Error`: "STATUS_CODE:message:Field1,Field2 --", and with no field list
 * "STATUS_CODE:message:--" (no space: ENTITY_IS_DELETED:entity is deleted:--).
 */
export function parseBulkError(text: string): {
  statusCode: string;
  message: string;
  fields: string[];
} {
  const match = /^([A-Z_]+):(.*?):([\w,]*) ?--$/s.exec(text.trim());
  if (match === null) return { statusCode: 'UNKNOWN_EXCEPTION', message: text, fields: [] };
  const [, statusCode, message, fields] = match as unknown as [string, string, string, string];
  return { statusCode, message, fields: fields.split(',').filter((name) => name !== '') };
}
