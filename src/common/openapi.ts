/**
 * The last touches to the OpenAPI document that decorators cannot give per route without
 * repeating themselves on every one: each error response's example (its real code, and for a 400
 * a field the route takes), a description and a uuid format for every path id, and a description
 * for each query parameter that has none of its own.
 */
import type { OpenAPIObject } from '@nestjs/swagger';
import type {
  OperationObject,
  ParameterObject,
  ReferenceObject,
  SchemaObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { apiError, type ApiErrorBody } from './api-error';

/** A field's value in the OpenAPI document: text, number, boolean, a list of texts, or null. */
export const FIELD_VALUE_SCHEMA = {
  nullable: true,
  oneOf: [
    { type: 'string' },
    { type: 'number' },
    { type: 'boolean' },
    { type: 'array', items: { type: 'string' } },
  ],
};

/** What each resource's `{id}` is, by the path's first segment after the prefix. */
const ID_OF: Record<string, string> = {
  'api-keys': "The API key's id (from GET /api-keys; not the key itself)",
  connections: "The connection's id",
  syncs: "The sync's id",
  runs: "The run's id",
  conflicts: "The conflict's id",
};

/** Path and query parameters by name, where the route's DTO says nothing itself. */
const PARAMETERS: Record<string, string> = {
  syncId: "The sync's id",
  side: 'Which side of the sync: left or right',
  recordId: "The record's id on that side, as the vendor gives it",
  index: "The mapping's position in the sync's mappings, from 0",
  object: 'An object of the connection, as GET /connections/{id}/objects names it',
  limit: 'Most items on one page',
  cursor: 'The `nextCursor` of the previous page; absent for the first page',
  status: 'Only items with this status',
  from: 'Only items at or after this time (a date or date-time, ISO 8601)',
  to: 'Only items before this time (a date or date-time, ISO 8601)',
  runId: 'Only the lines of this run',
  action: 'Only lines with this action',
  errorCode: 'Only lines or records that failed with this error code',
  email: "A value of the sync's match field (an email, compared without case)",
  connectionId: 'Only syncs reading or writing this connection',
  // (the webhook route documents its own connectionId)
  dead: 'Only records that will not be retried any more (true) or that will (false)',
  code: 'Only records that failed with this error code',
  q: 'Text to look for',
  kind: 'Only this kind',
  actor: 'Only entries by this API key (its id)',
  targetType: 'Only entries about this kind of thing (connection, sync, api_key, …)',
  targetId: 'Only entries about this one (its id)',
};

function isReference(value: unknown): value is ReferenceObject {
  return typeof value === 'object' && value !== null && '$ref' in value;
}

function schemaOf(
  document: OpenAPIObject,
  value: SchemaObject | ReferenceObject | undefined,
): SchemaObject | undefined {
  let current = value;
  for (let hops = 0; isReference(current) && hops < 10; hops++)
    current = document.components?.schemas?.[current.$ref.split('/').at(-1) ?? ''];
  return current as SchemaObject | undefined;
}

/** The field a 400's example names: a path id, else a body property, else a query parameter. */
function fieldFor(
  document: OpenAPIObject,
  operation: OperationObject,
): { path: string; problem: string } | undefined {
  const parameters = (operation.parameters ?? []).filter(
    (parameter): parameter is ParameterObject => !isReference(parameter),
  );
  const id = parameters.find(
    (parameter) =>
      parameter.in === 'path' && (parameter.name === 'id' || parameter.name === 'syncId'),
  );
  if (id !== undefined) return { path: id.name, problem: `${id.name} must be a UUID` };
  const body = operation.requestBody;
  const bodySchema = isReference(body)
    ? undefined
    : schemaOf(document, body?.content['application/json']?.schema);
  const property = bodySchema?.required?.at(0) ?? Object.keys(bodySchema?.properties ?? {}).at(0);
  if (property !== undefined)
    return { path: property, problem: `${property} must be given, in the type its schema says` };
  const other = parameters.at(0);
  if (other !== undefined)
    return { path: other.name, problem: `${other.name} is not one of the values it takes` };
  return undefined;
}

/** The 409 a route answers, by what it does. */
function conflictOf(method: string, path: string): ApiErrorBody {
  if (path.endsWith('/runs') || path.endsWith('/retry'))
    return apiError('run_in_progress', 'A run of this sync is already queued or running');
  if (path.endsWith('/resolve'))
    return apiError('conflict_not_open', 'This conflict is already resolved');
  if (method === 'delete' && path.startsWith('/api/v1/connections'))
    return apiError('connection_in_use', 'Syncs use this connection: delete or change them first');
  if (method === 'post' && !path.includes('{'))
    return apiError('name_taken', 'Another one already has this name', [
      { path: 'name', problem: 'name is taken' },
    ]);
  return apiError(
    'stale_version',
    'It changed since you read it: read it again, then apply your change',
    [{ path: 'version', problem: 'version is not the current one' }],
  );
}

/** What /health/ready answers while the database does not (Terminus's shape, not the API's). */
const HEALTH_DOWN = {
  status: 'error',
  info: {},
  error: { database: { status: 'down', message: 'timeout of 3000ms exceeded' } },
  details: { database: { status: 'down', message: 'timeout of 3000ms exceeded' } },
};

function errorExample(
  document: OpenAPIObject,
  method: string,
  path: string,
  operation: OperationObject,
  status: number,
): object | undefined {
  if (path.startsWith('/health/')) return status === 503 ? HEALTH_DOWN : undefined;
  const signed = path.startsWith('/api/v1/webhooks');
  switch (status) {
    case 400: {
      if (signed) return apiError('bad_request', 'The body is not what the vendor sends');
      const field = fieldFor(document, operation);
      return field === undefined
        ? apiError('bad_request', 'The request is invalid')
        : apiError('validation_failed', 'The request is invalid', [field]);
    }
    case 401:
      return signed
        ? apiError(
            'invalid_signature',
            "The vendor's signature header is missing or does not match",
          )
        : apiError('unauthorized', 'A valid API key is required: Authorization: Bearer sl_…');
    case 403:
      return apiError('forbidden', 'This API key (role viewer) may not do this');
    case 404:
      return apiError('not_found', 'Nothing has this id');
    case 409:
      return conflictOf(method, path);
    case 410:
      return apiError(
        'route_moved',
        "Webhooks now arrive per connection: set POST /api/v1/webhooks/<connection id> as the webhook URL in the vendor's app",
      );
    case 413:
      return apiError('payload_too_large', 'request entity too large');
    case 429:
      return apiError(
        'rate_limited',
        'Too many requests for this API key: try again after Retry-After seconds',
      );
    case 502:
      return apiError(
        'vendor_error',
        'The vendor refused the call: it answered 401 (the credentials were refused)',
      );
    default:
      return undefined;
  }
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** Fills in what the document lacks; answers the same document. */
export function refineOpenApi(document: OpenAPIObject): OpenAPIObject {
  for (const [path, item] of Object.entries(document.paths)) {
    const collection = path.split('/')[3] ?? '';
    for (const method of METHODS) {
      const operation = item[method];
      if (operation === undefined) continue;
      for (const parameter of operation.parameters ?? []) {
        if (isReference(parameter)) continue;
        const isId =
          parameter.in === 'path' && (parameter.name === 'id' || parameter.name === 'syncId');
        if (isId)
          parameter.schema = { ...(parameter.schema ?? {}), type: 'string', format: 'uuid' };
        if ((parameter.description ?? '').trim() === '')
          parameter.description =
            (parameter.name === 'id' ? ID_OF[collection] : undefined) ?? PARAMETERS[parameter.name];
      }
      for (const [status, response] of Object.entries(operation.responses)) {
        const code = Number(status);
        if (code < 400 || response === undefined || isReference(response)) continue;
        const media = response.content?.['application/json'];
        if (media === undefined) continue;
        const example = errorExample(document, method, path, operation, code);
        if (example !== undefined) media.example = example;
      }
    }
  }
  return document;
}
