/**
 * Batch endpoints (`/batch/{read,create,update,upsert,archive}`): up to 100 inputs, 207 multi-status
 * with `errors` and `numErrors` when some inputs failed
 * (https://developers.hubspot.com/docs/api/crm/contacts, "Batch" tab).
 */
import {
  type ErrorDetailJson,
  type RouteAnswer,
  correlationId,
  errorAnswer,
  recordJson,
} from '../responses';
import { DuplicateFailure, type StoredRecord, ValidationFailure } from '../store';
import { type RouteContext, isRecord, objectLabel, propertiesOf } from './context';

// https://developers.hubspot.com/docs/api/crm/contacts: batch endpoints take at most 100 inputs.
export const BATCH_MAX_INPUTS = 100;

interface BatchError {
  status: 'error';
  category: string;
  message: string;
  context: Record<string, string[]>;
  errors: ErrorDetailJson[];
  /** Required in HubSpot's StandardError schema, like `context`; empty here. */
  links?: Record<string, string>;
}

interface Input {
  id?: string;
  idProperty?: string;
  objectWriteTraceId?: string;
  properties: Record<string, unknown>;
}

function inputsOf(body: unknown): unknown[] | RouteAnswer {
  const inputs = isRecord(body) ? body['inputs'] : undefined;
  if (!Array.isArray(inputs))
    return errorAnswer(400, 'VALIDATION_ERROR', 'Invalid input JSON: inputs is required');
  if (inputs.length > BATCH_MAX_INPUTS)
    return errorAnswer(
      400,
      'VALIDATION_ERROR',
      `Batch input size of ${inputs.length} exceeds the maximum of ${BATCH_MAX_INPUTS}`,
    );
  return inputs as unknown[];
}

function parseInput(raw: unknown): Input | undefined {
  if (!isRecord(raw)) return undefined;
  const properties = propertiesOf(raw) ?? {};
  const text = (name: string): string | undefined => {
    const value = raw[name];
    return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
  };
  return {
    id: text('id'),
    idProperty: text('idProperty'),
    objectWriteTraceId: text('objectWriteTraceId'),
    properties,
  };
}

function traceContext(input: Input | undefined): Record<string, string[]> {
  return input?.objectWriteTraceId === undefined
    ? {}
    : { objectWriteTraceId: [input.objectWriteTraceId] };
}

function failureOf(error: unknown, input: Input | undefined): BatchError {
  if (error instanceof ValidationFailure) {
    return {
      status: 'error',
      category: 'VALIDATION_ERROR',
      message: `Property values were not valid: ${error.message}`,
      context: {
        ...traceContext(input),
        propertyName: error.problems.map((problem) => problem.name),
      },
      errors: error.problems.map((problem) => ({
        message: problem.message,
        code: problem.code,
        context: { propertyName: [problem.name] },
      })),
    };
  }
  if (error instanceof DuplicateFailure) {
    return {
      status: 'error',
      category: 'CONFLICT',
      message: error.message,
      context: { ...traceContext(input), existingId: [error.existingId] },
      errors: [],
    };
  }
  throw error;
}

function answer(
  results: unknown[],
  errors: BatchError[],
  startedAt: string,
  completedAt: string,
  status = 200,
): RouteAnswer {
  const body: Record<string, unknown> = { status: 'COMPLETE', results, startedAt, completedAt };
  if (errors.length > 0) {
    body['numErrors'] = errors.length;
    body['errors'] = errors.map((error) => ({ ...error, links: error.links ?? {} }));
  }
  return { status: errors.length > 0 ? 207 : status, body };
}

/** The fault-injected rejection of an input, as a batch error. */
function rejected(context: RouteContext, input: Input): BatchError | undefined {
  const rejection = context.faults.rejection(
    { id: input.id, properties: input.properties },
    context.type,
  );
  if (rejection === undefined) return undefined;
  return {
    status: 'error',
    category: rejection.category,
    message: rejection.message,
    context: {
      ...traceContext(input),
      ...(rejection.propertyName === undefined ? {} : { propertyName: [rejection.propertyName] }),
    },
    errors:
      rejection.code === undefined ? [] : [{ message: rejection.message, code: rejection.code }],
  };
}

export function batchRead(context: RouteContext): RouteAnswer {
  const inputs = inputsOf(context.body);
  if (!Array.isArray(inputs)) return inputs;
  const startedAt = context.store.clock.now().toISOString();
  const body = isRecord(context.body) ? context.body : {};
  const idProperty = typeof body['idProperty'] === 'string' ? body['idProperty'] : undefined;
  if (
    idProperty !== undefined &&
    context.store.properties.of(context.type, idProperty)?.hasUniqueValue !== true
  )
    return errorAnswer(400, 'VALIDATION_ERROR', `${idProperty} is not a unique property`);
  const properties = Array.isArray(body['properties'])
    ? body['properties'].filter((name): name is string => typeof name === 'string')
    : undefined;
  const archived = context.query.get('archived') === 'true';
  const results: unknown[] = [];
  const missing: string[] = [];
  const seen = new Set<string>();
  for (const raw of inputs) {
    const id = parseInput(raw)?.id ?? '';
    const record =
      idProperty === undefined
        ? context.store.get(context.type, id, archived)
        : context.store.findBy(context.type, idProperty, id);
    if (record === undefined) missing.push(id);
    else if (!seen.has(record.id)) {
      seen.add(record.id);
      results.push(recordJson(context.type, record, properties));
    }
  }
  const errors: BatchError[] =
    missing.length === 0
      ? []
      : [
          {
            status: 'error',
            category: 'OBJECT_NOT_FOUND',
            message: `Could not get some ${objectLabel(context)} objects, they may be deleted or not exist. Check that ids are valid.`,
            context: { ids: missing },
            errors: [],
          },
        ];
  return answer(results, errors, startedAt, context.store.clock.now().toISOString());
}

export function batchCreate(context: RouteContext): RouteAnswer {
  const inputs = inputsOf(context.body);
  if (!Array.isArray(inputs)) return inputs;
  const startedAt = context.store.clock.now().toISOString();
  const parsed = inputs.map(parseInput);
  // HubSpot refuses the whole batch when a unique value (a contact's email) is taken.
  const emails = new Map<string, number>();
  for (const input of parsed) {
    const email = input?.properties['email'];
    if (context.type !== 'contacts' || typeof email !== 'string' || email === '') continue;
    const key = email.trim().toLowerCase();
    const existing = context.store.findBy(context.type, 'email', key);
    if (existing !== undefined)
      return errorAnswer(409, 'CONFLICT', `Contact already exists. Existing ID: ${existing.id}`);
    emails.set(key, (emails.get(key) ?? 0) + 1);
  }
  const repeated = [...emails].find(([, count]) => count > 1);
  if (repeated !== undefined)
    return errorAnswer(400, 'VALIDATION_ERROR', `Duplicate email in batch input: ${repeated[0]}`);
  const results: unknown[] = [];
  const errors: BatchError[] = [];
  for (const input of parsed) {
    if (input === undefined) {
      errors.push({
        status: 'error',
        category: 'VALIDATION_ERROR',
        message: 'Invalid input',
        context: {},
        errors: [],
      });
      continue;
    }
    const rejection = rejected(context, input);
    if (rejection !== undefined) {
      errors.push(rejection);
      continue;
    }
    try {
      const record = context.store.create(context.type, input.properties);
      results.push(
        recordJson(context.type, record, Object.keys(input.properties), traceField(input)),
      );
    } catch (error) {
      errors.push(failureOf(error, input));
    }
  }
  return answer(results, errors, startedAt, context.store.clock.now().toISOString(), 201);
}

function traceField(input: Input): Record<string, unknown> {
  return input.objectWriteTraceId === undefined
    ? {}
    : { objectWriteTraceId: input.objectWriteTraceId };
}

function duplicateIds(inputs: readonly (Input | undefined)[]): string | undefined {
  const seen = new Set<string>();
  for (const input of inputs) {
    const key = input?.idProperty === 'email' ? input.id?.toLowerCase() : input?.id;
    if (key === undefined) continue;
    if (seen.has(key)) return key;
    seen.add(key);
  }
  return undefined;
}

/** The inputs of an update or upsert, parsed; HubSpot refuses a batch naming one id twice. */
function keyedInputs(
  context: RouteContext,
): { parsed: ReturnType<typeof parseInput>[]; startedAt: string } | RouteAnswer {
  const inputs = inputsOf(context.body);
  if (!Array.isArray(inputs)) return inputs;
  const startedAt = context.store.clock.now().toISOString();
  const parsed = inputs.map(parseInput);
  const duplicate = duplicateIds(parsed);
  if (duplicate !== undefined)
    return errorAnswer(
      400,
      'VALIDATION_ERROR',
      `Duplicate IDs found in batch input: [${duplicate}]`,
    );
  return { parsed, startedAt };
}

export function batchUpdate(context: RouteContext): RouteAnswer {
  const batch = keyedInputs(context);
  if (!('parsed' in batch)) return batch;
  const { parsed, startedAt } = batch;
  const results: unknown[] = [];
  const errors: BatchError[] = [];
  for (const input of parsed) {
    if (input?.id === undefined) {
      errors.push({
        status: 'error',
        category: 'VALIDATION_ERROR',
        message: 'id is required',
        context: {},
        errors: [],
      });
      continue;
    }
    const target: StoredRecord | undefined =
      input.idProperty === undefined
        ? context.store.get(context.type, input.id)
        : context.store.findBy(context.type, input.idProperty, input.id);
    if (target === undefined) {
      errors.push({
        status: 'error',
        category: 'OBJECT_NOT_FOUND',
        message: `Could not get some ${objectLabel(context)} objects, they may be deleted or not exist. Check that ids are valid.`,
        context: { ...traceContext(input), ids: [input.id] },
        errors: [],
      });
      continue;
    }
    const rejection = rejected(context, input);
    if (rejection !== undefined) {
      errors.push(rejection);
      continue;
    }
    try {
      const record = context.store.update(context.type, target.id, input.properties);
      if (record !== undefined)
        results.push(
          recordJson(context.type, record, Object.keys(input.properties), traceField(input)),
        );
    } catch (error) {
      errors.push(failureOf(error, input));
    }
  }
  return answer(results, errors, startedAt, context.store.clock.now().toISOString());
}

export function batchUpsert(context: RouteContext): RouteAnswer {
  const batch = keyedInputs(context);
  if (!('parsed' in batch)) return batch;
  const { parsed, startedAt } = batch;
  for (const input of parsed) {
    const idProperty = input?.idProperty;
    // Upsert matches on a unique property only (hs_object_id aside).
    if (
      idProperty === undefined ||
      input?.id === undefined ||
      context.store.properties.of(context.type, idProperty)?.hasUniqueValue !== true
    )
      return errorAnswer(
        400,
        'VALIDATION_ERROR',
        `idProperty must name a unique property, got ${String(idProperty)}`,
      );
  }
  const results: unknown[] = [];
  const errors: BatchError[] = [];
  for (const input of parsed) {
    if (input?.id === undefined || input.idProperty === undefined) continue;
    const rejection = rejected(context, input);
    if (rejection !== undefined) {
      errors.push(rejection);
      continue;
    }
    try {
      const existing = context.store.findBy(context.type, input.idProperty, input.id);
      const record =
        existing === undefined
          ? context.store.create(context.type, {
              ...input.properties,
              [input.idProperty]: input.id,
            })
          : context.store.update(context.type, existing.id, input.properties);
      if (record !== undefined)
        results.push(
          recordJson(context.type, record, Object.keys(input.properties), {
            ...traceField(input),
            new: existing === undefined,
          }),
        );
    } catch (error) {
      errors.push(failureOf(error, input));
    }
  }
  return answer(results, errors, startedAt, context.store.clock.now().toISOString());
}

export function batchArchive(context: RouteContext): RouteAnswer {
  const inputs = inputsOf(context.body);
  if (!Array.isArray(inputs)) return inputs;
  for (const raw of inputs) {
    const id = parseInput(raw)?.id;
    if (id !== undefined) context.store.archive(context.type, id);
  }
  return { status: 204, headers: { 'x-hubspot-correlation-id': correlationId() } };
}
