/**
 * The OpenAPI document as a client generator or a reader of /api/docs uses it: every parameter
 * described, ids typed as uuids, the key's format stated, and every example valid against its own
 * schema, each error example carrying the code its status answers with.
 */
import Ajv from 'ajv';
import { RECORD_COUNTERS } from '../src/engine/ports';
import { SYNC_KINDS } from '../src/sync-definition/schema';
import { startTestApp, type TestApp } from './support/app';
import type { ErrorBody } from './support/api-helpers';

interface Parameter {
  name: string;
  in: string;
  description?: string;
  schema?: { type?: string; format?: string };
}
interface MediaType {
  schema?: Record<string, unknown>;
  example?: unknown;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, MediaType> };
  responses: Record<string, { content?: Record<string, MediaType> }>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, unknown>;
    securitySchemes?: Record<string, { bearerFormat?: string; description?: string }>;
  };
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
/** The code each error status answers with. */
const CODES: Record<string, string[]> = {
  '400': ['validation_failed', 'bad_request'],
  '401': ['unauthorized', 'invalid_signature'],
  '403': ['forbidden'],
  '404': ['not_found'],
  '410': ['route_moved'],
  '409': [
    'conflict',
    'stale_version',
    'run_in_progress',
    'name_taken',
    'conflict_not_open',
    'connection_in_use',
  ],
  '413': ['payload_too_large'],
  '429': ['rate_limited'],
  '502': ['vendor_error'],
};

describe('the OpenAPI document', () => {
  let app: TestApp;
  let doc: Document;
  let operations: Array<{ method: string; path: string; operation: Operation }>;

  beforeAll(async () => {
    app = await startTestApp();
    doc = (await (await app.request('/api/docs-json', { key: null })).json()) as Document;
    operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method]) => METHODS.includes(method))
        .map(([method, operation]) => ({ method, path, operation })),
    );
  });

  afterAll(async () => {
    await app.stop();
  });

  it('describes every parameter, and types ids as uuids', () => {
    const undescribed: string[] = [];
    const untyped: string[] = [];
    for (const { method, path, operation } of operations) {
      for (const parameter of operation.parameters ?? []) {
        const where = `${method.toUpperCase()} ${path} ${parameter.in} ${parameter.name}`;
        if ((parameter.description ?? '').trim() === '') undescribed.push(where);
        const isId =
          parameter.in === 'path' && (parameter.name === 'id' || parameter.name === 'syncId');
        if (isId && parameter.schema?.format !== 'uuid') untyped.push(where);
      }
    }
    expect(undescribed).toEqual([]);
    expect(untyped).toEqual([]);
  });

  it("describes a run's counters and a sync's body from their one source", () => {
    const counters = doc.components.schemas['RunCountersDto'] as { properties: object };
    expect(Object.keys(counters.properties).sort()).toEqual(
      [...RECORD_COUNTERS, 'apiCalls'].sort(),
    );
    const syncs = doc.paths['/api/v1/syncs'];
    const body = syncs['post'].requestBody?.content?.['application/json'];
    const create = body?.schema as { properties: Record<string, { enum?: string[] }> };
    expect(create.properties['kind'].enum).toEqual([...SYNC_KINDS]);
    expect(Object.keys(create.properties)).toEqual(
      expect.arrayContaining(['name', 'left', 'right', 'direction', 'match', 'mappings']),
    );
  });

  it('states the API key format rather than JWT', () => {
    const schemes = Object.values(doc.components.securitySchemes ?? {});
    expect(schemes.length).toBeGreaterThan(0);
    for (const scheme of schemes) {
      expect(scheme.bearerFormat).not.toBe('JWT');
      expect(scheme.description).toMatch(/sl_/);
    }
  });

  it('gives every error response an example of its own code, valid against its schema', () => {
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    ajv.addSchema({ components: doc.components }, 'doc');
    const resolve = (schema: Record<string, unknown>): Record<string, unknown> =>
      JSON.parse(
        JSON.stringify(schema).replace(/"#\/components\//g, '"doc#/components/'),
      ) as Record<string, unknown>;
    const wrong: string[] = [];
    let checked = 0;
    for (const { method, path, operation } of operations) {
      const media = [
        ...Object.entries(operation.responses).map(([status, response]) => ({
          status,
          content: response.content?.['application/json'],
        })),
        { status: 'request', content: operation.requestBody?.content?.['application/json'] },
      ];
      for (const { status, content } of media) {
        const where = `${method.toUpperCase()} ${path} ${status}`;
        const isError = /^[45]/.test(status);
        if (content?.schema === undefined) continue;
        if (isError && content.example === undefined) {
          wrong.push(`${where}: no example`);
          continue;
        }
        if (content.example === undefined) continue;
        checked += 1;
        const validate = ajv.compile(resolve(content.schema));
        if (!validate(content.example)) wrong.push(`${where}: ${ajv.errorsText(validate.errors)}`);
        if (isError && !path.startsWith('/health/')) {
          const code = (content.example as ErrorBody).error.code;
          if (!(CODES[status] ?? []).includes(code)) wrong.push(`${where}: code ${code}`);
          // A 400's example names a field the operation takes.
          if (status === '400' && code === 'validation_failed') {
            const named = (content.example as ErrorBody).error.details
              .at(0)
              ?.path.split(/[.[]/)
              .at(0);
            const takes = new Set([
              ...(operation.parameters ?? []).map((parameter) => parameter.name),
              ...bodyFields(doc, operation),
            ]);
            if (named === undefined || !takes.has(named))
              wrong.push(
                `${where}: the example names ${named ?? 'nothing'}, not one of ${[...takes].join(', ')}`,
              );
          }
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(100);
  });

  it('names the path parameter that is not a uuid', async () => {
    const res = await app.request('/api/v1/syncs/not-a-uuid');
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.details).toEqual([{ path: 'id', problem: 'id must be a UUID' }]);
  });
});

/** Top-level property names of an operation's JSON body. */
function bodyFields(doc: Document, operation: Operation): string[] {
  let schema = operation.requestBody?.content?.['application/json']?.schema as
    { $ref?: string; properties?: Record<string, unknown>; allOf?: unknown[] } | undefined;
  for (let hops = 0; schema?.$ref !== undefined && hops < 10; hops++)
    schema = doc.components.schemas[schema.$ref.split('/').at(-1) ?? ''] as typeof schema;
  return Object.keys(schema?.properties ?? {});
}
