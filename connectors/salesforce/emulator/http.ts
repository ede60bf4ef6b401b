/** What route handlers receive and answer; the server turns an answer into an HTTP response. */
import type { EmulatorFaults } from './faults';
import type { OrgStore, SfError } from './store';

export interface EmulatorAnswer {
  status: number;
  /** JSON unless `text` is set. */
  body?: unknown;
  text?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

export interface RouteContext {
  method: string;
  /** The path after `/services/data/vXX.X` (for API routes) or the full path. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  store: OrgStore;
  faults: EmulatorFaults;
  version: string;
  settings: EmulatorSettings;
}

export interface EmulatorSettings {
  /** Records per query batch (Salesforce: up to 2,000, REST API "Query" resource). */
  queryBatchSize: number;
  /** GETs of a Bulk job that still report InProgress after UploadComplete. */
  bulkInProgressPolls: number;
  /**
   * When set, an ingest job runs this long after UploadComplete and writes its records only then
   * (seen at the first GET of the job after that), as Salesforce processes jobs asynchronously.
   */
  bulkProcessingMs?: number;
}

export function json(
  status: number,
  body: unknown,
  headers?: Record<string, string>,
): EmulatorAnswer {
  return headers === undefined ? { status, body } : { status, body, headers };
}

/** Salesforce's REST error body: `[{message, errorCode, fields?}]`. */
export function restError(
  status: number,
  errorCode: string,
  message: string,
  fields?: string[],
): EmulatorAnswer {
  return json(status, [
    fields === undefined ? { message, errorCode } : { message, errorCode, fields },
  ]);
}

export function recordErrors(errors: readonly SfError[]): EmulatorAnswer {
  return json(
    400,
    errors.map((error) => ({
      message: error.message,
      errorCode: error.statusCode,
      fields: error.fields,
    })),
  );
}

export function parseJsonBody(context: RouteContext): unknown {
  try {
    return context.text === '' ? undefined : (JSON.parse(context.text) as unknown);
  } catch {
    return Symbol.for('invalid-json');
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export const notFound = (): EmulatorAnswer =>
  restError(404, 'NOT_FOUND', 'The requested resource does not exist');
