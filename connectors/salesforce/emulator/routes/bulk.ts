/**
 * Bulk API 2.0. Ingest: `POST /jobs/ingest` (Open) → `PUT /jobs/ingest/{id}/batches` (CSV) →
 * `PATCH {state: UploadComplete}` → `GET` polls (InProgress, then JobComplete or Failed) →
 * `successfulResults` (sf__Id, sf__Created), `failedResults` (sf__Id, sf__Error) and
 * `unprocessedrecords` CSVs. Query: `POST /jobs/query` → polls → `results` CSV paged by
 * `Sforce-Locator`. Shapes and states follow the Bulk API 2.0 Developer Guide.
 */
import { readCsv, writeCsv } from '../../csv';
import { findField, findObject } from '../describe';
import { type EmulatorAnswer, type RouteContext, isRecord, json, parseJsonBody } from '../http';
import { SoqlError, parseSoql } from '../soql/parse';
import { type QueryResult, SoqlRejection, evaluateSoql } from '../soql/evaluate';
import { type OrgStore, type SfError, type SfValue, formatSfDatetime } from '../store';
import { type WriteKind, applyWrite } from '../writes';

/** "Bulk API 2.0 … divides the data into internal batches of 10,000 records" (Bulk API 2.0 limits). */
const INTERNAL_BATCH = 10_000;
/** "Maximum file size per job: 150 MB" (Bulk API 2.0 and Bulk API limits). */
const MAX_UPLOAD_BYTES = 150 * 1024 * 1024;
/** Bulk 2.0 sets a field to null with this value; an empty value leaves it unchanged. */
const NULL_VALUE = '#N/A';

type IngestOperation = 'insert' | 'update' | 'upsert' | 'delete' | 'hardDelete';
type JobState = 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';

interface IngestJob {
  id: string;
  object: string;
  operation: IngestOperation;
  externalIdFieldName?: string;
  state: JobState;
  lineEnding: 'LF' | 'CRLF';
  createdDate: number;
  csv: string;
  pollsLeft: number;
  successful: string[][];
  failed: string[][];
  unprocessed: string[][];
  header: string[];
  errorMessage?: string;
  /** With `bulkProcessingMs`: when the job ends, its rows written only then (ms, emulator clock). */
  completesAt?: number;
}

interface QueryJob {
  id: string;
  operation: 'query' | 'queryAll';
  object: string;
  query: string;
  state: JobState;
  createdDate: number;
  pollsLeft: number;
  result: QueryResult;
}

const jobs = new WeakMap<
  OrgStore,
  { ingest: Map<string, IngestJob>; query: Map<string, QueryJob>; sequence: number }
>();

function jobsOf(store: OrgStore): {
  ingest: Map<string, IngestJob>;
  query: Map<string, QueryJob>;
  sequence: number;
} {
  let found = jobs.get(store);
  if (found === undefined) {
    found = { ingest: new Map(), query: new Map(), sequence: 0 };
    jobs.set(store, found);
  }
  return found;
}

/** Bulk API errors are `[{errorCode, message}]`. */
function bulkError(status: number, errorCode: string, message: string): EmulatorAnswer {
  return json(status, [{ errorCode, message }]);
}

function csvAnswer(rows: string[][], headers: Record<string, string> = {}): EmulatorAnswer {
  return { status: 200, text: writeCsv(rows), contentType: 'text/csv', headers };
}

function ingestInfo(context: RouteContext, job: IngestJob): Record<string, unknown> {
  const processed = job.successful.length + job.failed.length;
  return {
    id: job.id,
    operation: job.operation,
    object: job.object,
    createdById: '005Dn0000000001AAA',
    createdDate: formatSfDatetime(job.createdDate),
    systemModstamp: formatSfDatetime(job.createdDate),
    state: job.state,
    ...(job.externalIdFieldName === undefined
      ? {}
      : { externalIdFieldName: job.externalIdFieldName }),
    concurrencyMode: 'Parallel',
    contentType: 'CSV',
    apiVersion: Number(context.version),
    jobType: 'V2Ingest',
    contentUrl: `services/data/v${context.version}/jobs/ingest/${job.id}/batches`,
    lineEnding: job.lineEnding,
    columnDelimiter: 'COMMA',
    numberRecordsProcessed: job.state === 'JobComplete' || job.state === 'Failed' ? processed : 0,
    numberRecordsFailed:
      job.state === 'JobComplete' || job.state === 'Failed' ? job.failed.length : 0,
    retries: 0,
    totalProcessingTime: 0,
    apiActiveProcessingTime: 0,
    apexProcessingTime: 0,
    ...(job.errorMessage === undefined ? {} : { errorMessage: job.errorMessage }),
  };
}

/**
 * `sf__Error` as Salesforce writes it: "CODE:message:Field1,Field2 --", or "CODE:message:--" when the
 * error names no field (no space before the dashes).
 */
function errorText(errors: readonly SfError[]): string {
  return errors
    .map((error) =>
      error.fields.length === 0
        ? `${error.statusCode}:${error.message}:--`
        : `${error.statusCode}:${error.message}:${error.fields.join(',')} --`,
    )
    .join(' ');
}

/** Runs the uploaded rows; results are produced per internal batch, last batch first. */
function processIngest(context: RouteContext, job: IngestJob): JobState {
  const [header = [], ...rows] = readCsv(job.csv);
  const object = findObject(job.object);
  job.header = header;
  const unknown =
    object === undefined ? undefined : header.find((name) => findField(object, name) === undefined);
  if (object === undefined || unknown !== undefined || header.length === 0) {
    job.errorMessage = `InvalidBatch : Field name not found : ${unknown ?? ''}`;
    job.unprocessed = rows;
    return 'Failed';
  }
  const batches: { successful: string[][]; failed: string[][] }[] = [];
  // A job that fails part-way keeps what it wrote; the rest comes back as unprocessed records.
  const failure = context.faults.takeBulkJobFailure();
  const processed = failure === undefined ? rows : rows.slice(0, failure.afterRows);
  for (let start = 0; start < processed.length; start += INTERNAL_BATCH) {
    const batch = { successful: [] as string[][], failed: [] as string[][] };
    for (const row of processed.slice(start, start + INTERNAL_BATCH)) {
      const values: Record<string, unknown> = {};
      header.forEach((name, index) => {
        const raw = row[index] ?? '';
        if (raw === NULL_VALUE) values[name] = null;
        else if (raw !== '' || job.operation === 'insert') values[name] = raw === '' ? null : raw;
      });
      const id = typeof values['Id'] === 'string' ? values['Id'] : undefined;
      let write: WriteKind;
      switch (job.operation) {
        case 'insert':
          write = { kind: 'create' };
          break;
        case 'upsert':
          write = { kind: 'upsert', keyField: job.externalIdFieldName ?? 'Id' };
          break;
        case 'update':
          write = { kind: 'update', id: id ?? '' };
          break;
        case 'delete':
        case 'hardDelete':
          write = { kind: 'delete', id: id ?? '' };
          break;
        default: {
          const unreachable: never = job.operation;
          throw new Error(`unknown operation ${String(unreachable)}`);
        }
      }
      const outcome = applyWrite(context.store, context.faults, object.name, write, values);
      if (outcome.ok) batch.successful.push([outcome.id, String(outcome.created), ...row]);
      else batch.failed.push([id ?? '', errorText(outcome.errors), ...row]);
    }
    batches.push(batch);
  }
  batches.reverse();
  job.successful = batches.flatMap((batch) => batch.successful);
  job.failed = batches.flatMap((batch) => batch.failed);
  if (failure === undefined) return 'JobComplete';
  job.unprocessed = rows.slice(failure.afterRows);
  job.errorMessage = failure.message;
  return 'Failed';
}

function createIngest(context: RouteContext): EmulatorAnswer {
  const body = parseJsonBody(context);
  if (!isRecord(body))
    return bulkError(400, 'INVALIDJOB', 'The request body must be a JSON object');
  const operation = body['operation'];
  const objectName = typeof body['object'] === 'string' ? body['object'] : '';
  const object = findObject(objectName);
  if (!['insert', 'update', 'upsert', 'delete', 'hardDelete'].includes(String(operation))) {
    return bulkError(400, 'INVALIDJOB', `Invalid operation: ${String(operation)}`);
  }
  if (object === undefined)
    return bulkError(400, 'INVALIDJOB', `Unable to find object: ${objectName}`);
  const externalId =
    typeof body['externalIdFieldName'] === 'string' ? body['externalIdFieldName'] : undefined;
  if (operation === 'upsert') {
    const field = externalId === undefined ? undefined : findField(object, externalId);
    if (field === undefined || !(field.externalId || field.name === 'Id')) {
      return bulkError(
        400,
        'INVALIDJOB',
        `The External ID field ${externalId ?? '(none)'} is not an external ID field on ${object.name}`,
      );
    }
  }
  if (body['contentType'] !== undefined && body['contentType'] !== 'CSV') {
    return bulkError(400, 'INVALIDJOB', 'contentType must be CSV');
  }
  const registry = jobsOf(context.store);
  const job: IngestJob = {
    id: `750Dn${String(++registry.sequence).padStart(13, '0')}`,
    object: object.name,
    operation: operation as IngestOperation,
    ...(externalId === undefined ? {} : { externalIdFieldName: externalId }),
    state: 'Open',
    lineEnding: body['lineEnding'] === 'CRLF' ? 'CRLF' : 'LF',
    createdDate: context.store.stamp(),
    csv: '',
    pollsLeft: context.settings.bulkInProgressPolls,
    successful: [],
    failed: [],
    unprocessed: [],
    header: [],
  };
  registry.ingest.set(job.id, job);
  return json(200, ingestInfo(context, job));
}

function ingestRoutes(context: RouteContext, id: string, rest: string | undefined): EmulatorAnswer {
  const job = jobsOf(context.store).ingest.get(id);
  if (job === undefined)
    return bulkError(404, 'NOT_FOUND', 'The requested resource does not exist');
  if (rest === 'batches' && context.method === 'PUT') {
    if (job.state !== 'Open')
      return bulkError(409, 'INVALIDJOBSTATE', 'Job is not in the Open state');
    if (Buffer.byteLength(job.csv) + Buffer.byteLength(context.text) > MAX_UPLOAD_BYTES) {
      return bulkError(400, 'INVALIDJOB', 'The upload exceeds 150 MB');
    }
    if (job.csv !== '') {
      return bulkError(
        400,
        'INVALIDJOBSTATE',
        `Found multiple contents for job: <${job.id}>, please 'Close' / 'Abort' / 'Delete' the current Job then create a new Job and make sure you only do 'PUT' once on a given Job.`,
      );
    }
    job.csv = context.text;
    return { status: 201 };
  }
  if (rest === undefined && context.method === 'PATCH') {
    const body = parseJsonBody(context);
    const state = isRecord(body) ? body['state'] : undefined;
    if (state === 'Aborted') {
      job.state = 'Aborted';
      return json(200, ingestInfo(context, job));
    }
    if (state !== 'UploadComplete' || job.state !== 'Open') {
      return bulkError(
        400,
        'INVALIDJOBSTATE',
        `Cannot change the state of a ${job.state} job to ${String(state)}`,
      );
    }
    job.state = 'UploadComplete';
    const answer = json(200, ingestInfo(context, job));
    const processingMs = context.settings.bulkProcessingMs;
    if (processingMs !== undefined) {
      // As Salesforce does: the job runs on its own, and its records appear when it has.
      job.state = 'InProgress';
      job.completesAt = context.store.clock.now().getTime() + processingMs;
      return answer;
    }
    const finished = processIngest(context, job);
    job.state = finished === 'JobComplete' && job.pollsLeft > 0 ? 'InProgress' : finished;
    return answer;
  }
  if (rest === undefined && context.method === 'GET') {
    if (job.state === 'InProgress' && job.completesAt !== undefined) {
      if (context.store.clock.now().getTime() >= job.completesAt) {
        job.state = processIngest(context, job);
        delete job.completesAt;
      }
    } else if (job.state === 'InProgress') {
      if (job.pollsLeft > 0) job.pollsLeft--;
      else job.state = 'JobComplete';
    }
    return json(200, ingestInfo(context, job));
  }
  if (rest === undefined && context.method === 'DELETE') {
    jobsOf(context.store).ingest.delete(id);
    return { status: 204 };
  }
  if (
    context.method === 'GET' &&
    (rest === 'successfulResults' || rest === 'failedResults' || rest === 'unprocessedrecords')
  ) {
    if (job.state !== 'JobComplete' && job.state !== 'Failed' && job.state !== 'Aborted') {
      return bulkError(400, 'INVALIDJOBSTATE', 'The job is not complete');
    }
    switch (rest) {
      case 'successfulResults':
        return csvAnswer([['sf__Id', 'sf__Created', ...job.header], ...job.successful]);
      case 'failedResults':
        return csvAnswer([['sf__Id', 'sf__Error', ...job.header], ...job.failed]);
      case 'unprocessedrecords':
        return csvAnswer([job.header, ...job.unprocessed]);
      default: {
        const unreachable: never = rest;
        return unreachable;
      }
    }
  }
  return bulkError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${context.method}' not allowed.`);
}

function queryInfo(job: QueryJob, version: string): Record<string, unknown> {
  return {
    id: job.id,
    operation: job.operation,
    object: job.object,
    createdById: '005Dn0000000001AAA',
    createdDate: formatSfDatetime(job.createdDate),
    systemModstamp: formatSfDatetime(job.createdDate),
    state: job.state,
    concurrencyMode: 'Parallel',
    contentType: 'CSV',
    apiVersion: Number(version),
    jobType: 'V2Query',
    lineEnding: 'LF',
    columnDelimiter: 'COMMA',
    numberRecordsProcessed: job.state === 'JobComplete' ? job.result.records.length : 0,
    retries: 0,
    totalProcessingTime: 0,
  };
}

function createQuery(context: RouteContext): EmulatorAnswer {
  const body = parseJsonBody(context);
  if (!isRecord(body) || typeof body['query'] !== 'string')
    return bulkError(400, 'INVALIDJOB', 'query is required');
  const operation =
    body['operation'] === 'queryAll'
      ? 'queryAll'
      : body['operation'] === 'query'
        ? 'query'
        : undefined;
  if (operation === undefined)
    return bulkError(400, 'INVALIDJOB', `Invalid operation: ${String(body['operation'])}`);
  let result: QueryResult;
  try {
    result = evaluateSoql(context.store, parseSoql(body['query']), operation === 'queryAll');
  } catch (error) {
    if (error instanceof SoqlError || error instanceof SoqlRejection)
      return bulkError(400, 'API_ERROR', error.message);
    throw error;
  }
  const registry = jobsOf(context.store);
  const job: QueryJob = {
    id: `750Dn${String(++registry.sequence).padStart(13, '0')}`,
    operation,
    object: result.object.name,
    query: body['query'],
    state: 'UploadComplete',
    createdDate: context.store.stamp(),
    pollsLeft: context.settings.bulkInProgressPolls,
    result,
  };
  registry.query.set(job.id, job);
  return json(200, queryInfo(job, context.version));
}

/** Bulk query CSV values: datetimes in ISO with `Z`, empty for null. */
function csvValue(value: SfValue): string {
  if (value === null) return '';
  if (typeof value === 'string' && /\+0000$/.test(value)) return value.replace('+0000', 'Z');
  return String(value);
}

function queryRoutes(context: RouteContext, id: string, rest: string | undefined): EmulatorAnswer {
  const job = jobsOf(context.store).query.get(id);
  if (job === undefined)
    return bulkError(404, 'NOT_FOUND', 'The requested resource does not exist');
  if (rest === undefined && context.method === 'GET') {
    if (job.state === 'UploadComplete') job.state = 'InProgress';
    if (job.state === 'InProgress' && job.pollsLeft-- <= 0) job.state = 'JobComplete';
    return json(200, queryInfo(job, context.version));
  }
  if (rest === 'results' && context.method === 'GET') {
    if (job.state !== 'JobComplete')
      return bulkError(400, 'INVALIDJOBSTATE', 'The job is not complete');
    const offset = Number(
      Buffer.from(context.query.get('locator') ?? '', 'base64').toString() || '0',
    );
    const max = Math.max(1, Number(context.query.get('maxRecords') ?? '50000'));
    const slice = job.result.records.slice(offset, offset + max);
    const next = offset + slice.length;
    const rows = slice.map((record) =>
      job.result.fields.map((field) => csvValue(context.store.valueOf(record, field))),
    );
    return csvAnswer([job.result.fields.map((field) => field.name), ...rows], {
      'Sforce-Locator':
        next < job.result.records.length ? Buffer.from(String(next)).toString('base64') : 'null',
      'Sforce-NumberOfRecords': String(slice.length),
    });
  }
  return bulkError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${context.method}' not allowed.`);
}

export function bulkRoutes(context: RouteContext, segments: string[]): EmulatorAnswer {
  // segments: ['jobs', 'ingest' | 'query', id?, rest?]
  const kind = segments.at(1);
  const id = segments.at(2);
  const rest = segments.at(3);
  if (kind === 'ingest') {
    if (id === undefined)
      return context.method === 'POST'
        ? createIngest(context)
        : bulkError(405, 'METHOD_NOT_ALLOWED', 'Use POST');
    return ingestRoutes(context, id, rest);
  }
  if (kind === 'query') {
    if (id === undefined)
      return context.method === 'POST'
        ? createQuery(context)
        : bulkError(405, 'METHOD_NOT_ALLOWED', 'Use POST');
    return queryRoutes(context, id, rest);
  }
  return bulkError(404, 'NOT_FOUND', 'The requested resource does not exist');
}
