/**
 * Validation against the sync definition's one schema (src/sync-definition/schema.ts) with Ajv:
 * a sync file's (config/schema/sync.schema.json is that schema, written out for editors) and
 * the REST API's bodies, and Ajv's errors as problems a person can act on: one per mistake, at
 * the path of the offending key or value.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import type { TSchema } from '@sinclair/typebox';
import { syncFileSchema } from '../sync-definition/schema';
import { formatPath, type PathSegments } from './yaml-source';

/** The schema as JSON (TypeBox's own markers dropped), as editors and OpenAPI documents take it. */
export function jsonSchemaOf(schema: TSchema): Record<string, unknown> {
  return JSON.parse(JSON.stringify(schema)) as Record<string, unknown>;
}

export const SYNC_SCHEMA: Record<string, unknown> = jsonSchemaOf(syncFileSchema);

export interface SchemaProblem {
  path: PathSegments;
  problem: string;
  /** A value the schema does not allow (an unknown policy, say), in a body of the right shape. */
  valueOnly?: true;
}

const ajv = new Ajv({
  allErrors: true,
  discriminator: true,
  verbose: true,
  strict: true,
  strictRequired: false,
  allowUnionTypes: true,
  // `default` and `description` are annotations for editors.
  useDefaults: false,
});
// The API's schemas say `format: uuid` for connection ids (OpenAPI documents show it).
ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
// JSON Schema's `date-time` is RFC 3339's: a date, a time and an offset (2026-10-01T00:00:00Z).
ajv.addFormat('date-time', {
  type: 'string',
  validate: (value: string) =>
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(value) &&
    !Number.isNaN(Date.parse(value)),
});
const validateFile = ajv.compile(SYNC_SCHEMA);

function pointerToPath(pointer: string): PathSegments {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  return JSON.stringify(value);
}

function list(values: readonly unknown[]): string {
  return values.map((value) => String(value)).join(', ');
}

function typeName(type: unknown): string {
  const names: Record<string, string> = {
    object: 'a map',
    array: 'a list',
    string: 'a string',
    integer: 'a whole number',
    number: 'a number',
    boolean: 'true or false',
    null: 'null',
  };
  const types = Array.isArray(type) ? (type as string[]) : [String(type)];
  return types.map((t) => names[t] ?? t).join(' or ');
}

function problemOf(error: ErrorObject): SchemaProblem | undefined {
  const path = pointerToPath(error.instancePath);
  const params = error.params;
  const parent: Record<string, unknown> | undefined = error.parentSchema;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params['additionalProperty']);
      const allowed = Object.keys(parent?.['properties'] ?? {});
      return {
        path: [...path, key],
        problem: `unknown key "${key}"${allowed.length > 0 ? ` (expected one of ${list(allowed)})` : ''}`,
      };
    }
    case 'required':
      return { path: [...path, String(params['missingProperty'])], problem: 'is required' };
    // The failed branch of an if (what a records sync needs) speaks through its own errors.
    case 'if':
      return undefined;
    case 'enum':
      return {
        valueOnly: true,
        path,
        problem: `${describe(error.data)} is not allowed (expected one of ${list(params['allowedValues'] as unknown[])})`,
      };
    case 'type':
      return { path, problem: `must be ${typeName(params['type'])}, not ${describe(error.data)}` };
    case 'discriminator': {
      const kinds = (
        (parent?.['oneOf'] ?? []) as Array<{ properties: { kind: { const: string } } }>
      ).map((branch) => branch.properties.kind.const);
      return {
        path: [...path, 'kind'],
        problem:
          params['error'] === 'tag'
            ? `is required (one of ${list(kinds)})`
            : `unknown transform kind ${describe(params['tagValue'])} (expected one of ${list(kinds)})`,
      };
    }
    case 'oneOf': {
      const branches = (parent?.['oneOf'] ?? []) as Array<{ required?: string[] }>;
      const keys = branches.flatMap((branch) => branch.required ?? []);
      return { path, problem: `give exactly one of ${keys.join(' or ')}` };
    }
    case 'dependencies':
      return {
        path: [...path, String(params['property'])],
        problem: `is only allowed with ${String(params['missingProperty'])}`,
      };
    case 'pattern':
      if (path.at(-1) === 'webhookUrl')
        return { path, problem: 'must be an http(s) URL or ${ENV_VAR}' };
      if (path.at(-1) === 'name') return { path, problem: 'must not be blank' };
      if (path.at(-2) === 'events' && path.at(-1) === 'key')
        return {
          path,
          problem: 'must name at least one source field, as {Field}, e.g. "deal-{id}-{StageName}"',
        };
      return { path, problem: `must match ${String(params['pattern'])}` };
    case 'format':
      return {
        path,
        problem:
          params['format'] === 'uuid' ? 'must be a UUID' : `must be a ${String(params['format'])}`,
      };
    case 'minLength':
      return {
        path,
        problem:
          params['limit'] === 1
            ? 'must not be empty'
            : `must have at least ${String(params['limit'])} characters`,
      };
    case 'maxLength':
      return { path, problem: `must have at most ${String(params['limit'])} characters` };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const words: Record<string, string> = {
        minimum: 'at least',
        maximum: 'at most',
        exclusiveMinimum: 'more than',
        exclusiveMaximum: 'less than',
      };
      return { path, problem: `must be ${words[error.keyword] ?? ''} ${String(params['limit'])}` };
    }
    default:
      return { path, problem: error.message ?? `fails ${error.keyword}` };
  }
}

const compiled = new WeakMap<TSchema, ValidateFunction>();

/** Problems of `data` against `schema` (a sync file's by default); empty when it conforms. */
export function schemaProblems(data: unknown, schema?: TSchema): SchemaProblem[] {
  let validate = validateFile;
  if (schema !== undefined) {
    validate = compiled.get(schema) ?? ajv.compile(jsonSchemaOf(schema));
    compiled.set(schema, validate);
  }
  if (validate(data)) return [];
  const errors = validate.errors ?? [];
  // Errors inside the branches of a failed oneOf repeat it; the oneOf's own message says it all.
  const oneOfs = errors.filter((error) => error.keyword === 'oneOf').map((e) => e.schemaPath);
  const kept = errors.filter(
    (error) =>
      error.keyword === 'oneOf' ||
      !oneOfs.some((schemaPath) => error.schemaPath.startsWith(`${schemaPath}/`)),
  );
  const seen = new Set<string>();
  const problems: SchemaProblem[] = [];
  for (const error of kept) {
    const problem = problemOf(error);
    if (problem === undefined) continue;
    const key = `${formatPath(problem.path)}\u0000${problem.problem}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
  }
  return problems;
}
