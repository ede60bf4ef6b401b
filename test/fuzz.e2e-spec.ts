/**
 * A fuzzer driven by the OpenAPI document: every operation, with every role's key, gets hostile
 * bodies (each property replaced by nulls, NULs, lone surrogates, huge strings, deep nesting,
 * wrong types), raw bodies that are not JSON, odd content types, hostile query parameters and path
 * ids. No answer may be a 5xx; every 4xx must be the API's one error shape. Deterministic: the
 * same requests every time, so a failure names the request that reproduces it.
 */
import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from './support/app';
import {
  apiKey,
  createMemoryContactsSync,
  createTwoConflicts,
  json,
  runSyncNow,
} from './support/api-helpers';

interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  minimum?: number;
}
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  schema?: Schema;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

interface FuzzRequest {
  method: string;
  path: string;
  body?: string | Buffer;
  contentType?: string;
  key: string;
  role: string;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** Values no field expects; each replaces each property of a body in turn. */
const HOSTILE_VALUES: unknown[] = [
  null,
  '',
  'a\u0000b',
  '\ud800',
  'x\udfff',
  'x'.repeat(100_000),
  -1,
  0.5,
  1e308,
  -0,
  true,
  [],
  [null],
  {},
  { a: { b: { c: 'd' } } },
  '2020-02-30',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  "'; drop table syncs; --",
  '\u202e\ufeff',
];

/** Whole bodies that are not what any operation takes. */
const RAW_BODIES: Array<string | Buffer> = [
  '',
  '{',
  'null',
  '[]',
  '"text"',
  '1',
  'true',
  `${'['.repeat(5000)}${']'.repeat(5000)}`,
  `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`,
  '{"a":"\\u0000"}',
  '{"name":"\\ud800"}',
  '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}',
  Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
  Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{}')]),
  `{"x":"${'y'.repeat(1_100_000)}"}`,
];

const CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/xml',
  'multipart/form-data; boundary=x',
  'application/json; charset=latin1',
];

/** Query values no parameter expects (already percent-encoded where needed). */
const HOSTILE_QUERY = [
  '',
  '%00',
  '%ED%A0%80',
  '%F0%9F%98%80',
  '2020-02-30',
  '2020-13-01T25:61:61Z',
  '-1',
  '1e309',
  'NaN',
  'x'.repeat(5_000),
  '%',
  '%%',
  'a&limit=0',
];

/** Path ids no route expects, percent-encoded. */
const HOSTILE_IDS = [
  'not-an-id',
  '%00',
  'a%00b',
  '%ED%A0%80',
  '%F0%9F%98%80',
  '..%2F..%2Fapi-keys',
  '00000000-0000-0000-0000-000000000000',
  randomUUID(),
  'x'.repeat(3_000),
  '%25',
];

describe('fuzzing every operation of the OpenAPI document', () => {
  let app: TestApp;
  let doc: Document;
  const keys: Record<string, string> = {};
  /** Real ids for the path parameters, so the fuzz reaches past the lookups. */
  const real = { sync: '', connection: '', run: '', conflict: '', apiKey: '', doomedSync: '' };

  beforeAll(async () => {
    app = await startTestApp({
      SYNCLINE_ALLOW_SANDBOX: 'true',
      // Every request is answered, not throttled: the fuzz is about what each answer is.
      SYNCLINE_API_RATE_LIMIT: '1000000',
      LOG_LEVEL: 'error',
    });
    keys.admin = app.adminKey;
    for (const role of ['editor', 'viewer', 'service']) keys[role] = await apiKey(app, role);
    const stores = { left: `fz-left-${randomUUID()}`, right: `fz-right-${randomUUID()}` };
    const conflicted = await createTwoConflicts(app, stores, 'Fuzzed');
    real.sync = conflicted.syncId;
    const sync = await json<{ left: { connectionId: string } }>(
      app.request(`/api/v1/syncs/${real.sync}`),
    );
    real.connection = sync.left.connectionId;
    real.run = (await runSyncNow(app, real.sync)).id;
    const conflicts = await json<{ items: Array<{ id: string }> }>(
      app.request(`/api/v1/syncs/${real.sync}/conflicts`),
    );
    real.conflict = conflicts.items[0]?.id ?? '';
    // A key the fuzz may revoke without locking itself out.
    const spare = await json<{ id: string }>(
      app.request('/api/v1/api-keys', {
        method: 'POST',
        body: JSON.stringify({ name: 'spare', role: 'viewer' }),
      }),
    );
    real.apiKey = spare.id;
    // A sync of its own for the destructive operations, so the others keep their fixtures.
    real.doomedSync = await createMemoryContactsSync(
      app,
      { left: `fz-dl-${randomUUID()}`, right: `fz-dr-${randomUUID()}` },
      { name: 'Doomed', direction: 'left_to_right' },
    );
    doc = await json<Document>(app.request('/api/docs-json', { key: null }));
  }, 60_000);

  afterAll(async () => {
    await app.stop();
  });

  function resolve(schema: Schema | undefined): Schema {
    let current = schema ?? {};
    for (let hops = 0; current.$ref !== undefined && hops < 20; hops++) {
      const name = current.$ref.split('/').at(-1) ?? '';
      current = doc.components?.schemas?.[name] ?? {};
    }
    if (current.allOf !== undefined) {
      const parts = current.allOf.map(resolve);
      return {
        type: 'object',
        properties: Object.assign({}, ...parts.map((part) => part.properties ?? {})) as Record<
          string,
          Schema
        >,
        required: parts.flatMap((part) => part.required ?? []),
      };
    }
    return current;
  }

  /** A plausible value for a schema (its example where it has one). */
  function sample(raw: Schema | undefined, depth = 0): unknown {
    const schema = resolve(raw);
    if (schema.example !== undefined) return schema.example;
    if (schema.enum !== undefined) return schema.enum[0];
    const variant = schema.oneOf?.[0] ?? schema.anyOf?.[0];
    if (variant !== undefined) return sample(variant, depth + 1);
    switch (schema.type) {
      case 'object':
        if (depth > 6) return {};
        return Object.fromEntries(
          Object.entries(schema.properties ?? {}).map(([name, property]) => [
            name,
            sample(property, depth + 1),
          ]),
        );
      case 'array':
        return depth > 6 ? [] : [sample(schema.items, depth + 1)];
      case 'integer':
      case 'number':
        return schema.minimum ?? 1;
      case 'boolean':
        return true;
      case 'string':
        if (schema.format === 'uuid') return real.connection;
        if (schema.format === 'date-time') return new Date().toISOString();
        return 'fuzz';
      case undefined:
      default:
        return schema.properties === undefined ? 'fuzz' : sample({ ...schema, type: 'object' });
    }
  }

  /** The path with real ids, or with `hostile` in the parameter `only`. */
  function concrete(path: string, only?: { name: string; value: string }): string {
    const collection = path.split('/')[3] ?? '';
    return path.replace(/\{([^}]+)\}/g, (_match, name: string) => {
      if (only?.name === name) return only.value;
      if (name === 'side') return 'left';
      if (name === 'index') return '0';
      if (name === 'object') return 'contacts';
      if (name === 'recordId') return 'r1';
      if (name === 'syncId') return real.sync;
      switch (collection) {
        case 'connections':
          return real.connection;
        case 'runs':
          return real.run;
        case 'conflicts':
          return real.conflict;
        case 'api-keys':
          return real.apiKey;
        default:
          return real.sync;
      }
    });
  }

  function bodyMutations(operation: Operation): Array<{ body: string | Buffer; type?: string }> {
    const schema = operation.requestBody?.content?.['application/json']?.schema;
    const base = sample(schema);
    const out: Array<{ body: string | Buffer; type?: string }> = [
      { body: JSON.stringify(base) },
      { body: '{}' },
      { body: JSON.stringify({ ...(base as object), unknownProperty: 1 }) },
    ];
    const resolved = resolve(schema);
    const properties = Object.keys(resolved.properties ?? {});
    for (const property of properties) {
      for (const value of HOSTILE_VALUES)
        out.push({ body: JSON.stringify({ ...(base as object), [property]: value }) });
      const without = Object.fromEntries(
        Object.entries(base as Record<string, unknown>).filter(([name]) => name !== property),
      );
      out.push({ body: JSON.stringify(without) });
      // One level down: each property of a nested object gets the first few hostile values.
      const nested = resolve(resolved.properties?.[property]);
      for (const inner of Object.keys(nested.properties ?? {})) {
        for (const value of HOSTILE_VALUES.slice(0, 6)) {
          const child = { ...((base as Record<string, object>)[property] ?? {}), [inner]: value };
          out.push({ body: JSON.stringify({ ...(base as object), [property]: child }) });
        }
      }
    }
    for (const body of RAW_BODIES) out.push({ body });
    for (const type of CONTENT_TYPES) out.push({ body: JSON.stringify(base), type });
    out.push({ body: JSON.stringify(base), type: '' });
    return out;
  }

  function requestsFor(method: string, path: string, operation: Operation): FuzzRequest[] {
    const out: FuzzRequest[] = [];
    const roles = Object.keys(keys);
    const takesBody = ['post', 'put', 'patch'].includes(method);
    const destructive = method === 'delete';
    // The destructive operations act on the doomed sync or on ids that do not exist.
    const safePath = (hostile?: { name: string; value: string }): string => {
      const url = concrete(path, hostile);
      return destructive && hostile === undefined && path.startsWith('/api/v1/syncs/{id}')
        ? url.replace(real.sync, real.doomedSync)
        : url;
    };
    for (const role of roles) {
      const key = keys[role] ?? '';
      // The admin gets every mutation; the other roles every other one (their answers are
      // mostly 403 before a body is read, which the matrix test covers in full).
      const every = role === 'admin' ? 1 : 3;
      const keep = <T>(items: T[]): T[] => items.filter((_item, index) => index % every === 0);
      if (takesBody) {
        for (const { body, type } of keep(bodyMutations(operation))) {
          out.push({
            method,
            path: safePath(),
            body,
            ...(type === undefined ? {} : { contentType: type }),
            key,
            role,
          });
        }
      }
      for (const parameter of operation.parameters ?? []) {
        if (parameter.in === 'query') {
          for (const value of keep(HOSTILE_QUERY))
            out.push({
              method,
              path: `${safePath()}?${parameter.name}=${value}`,
              ...(takesBody ? { body: '{}' } : {}),
              key,
              role,
            });
          // The parameter twice, and as an object (qs syntax).
          out.push({
            method,
            path: `${safePath()}?${parameter.name}=1&${parameter.name}=2&${parameter.name}[a]=b`,
            key,
            role,
          });
        }
        if (parameter.in === 'path' && !destructive) {
          for (const value of keep(HOSTILE_IDS))
            out.push({
              method,
              path: safePath({ name: parameter.name, value }),
              ...(takesBody ? { body: '{}' } : {}),
              key,
              role,
            });
        }
        if (parameter.in === 'path' && destructive) {
          for (const value of keep(HOSTILE_IDS))
            out.push({ method, path: safePath({ name: parameter.name, value }), key, role });
        }
      }
      if (!takesBody && !destructive) out.push({ method, path: safePath(), key, role });
    }
    return out;
  }

  it('answers no 5xx to at least 2,000 hostile requests, and every 4xx in the error shape', async () => {
    const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method]) => METHODS.includes(method))
        .map(([method, operation]) => ({ method, path, operation })),
    );
    // Deletes last, so the fixtures they may remove serve every other operation first.
    operations.sort((a, b) => Number(a.method === 'delete') - Number(b.method === 'delete'));
    const failures: string[] = [];
    let sent = 0;
    const statuses = new Map<number, number>();
    for (const { method, path, operation } of operations) {
      for (const request of requestsFor(method, path, operation)) {
        const headers: Record<string, string> = { authorization: `Bearer ${request.key}` };
        if (request.body !== undefined)
          headers['content-type'] = request.contentType ?? 'application/json';
        const res = await fetch(`${app.url}${request.path}`, {
          method: method.toUpperCase(),
          headers,
          ...(request.body === undefined ? {} : { body: request.body }),
        });
        sent += 1;
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const text = await res.text();
        const where = `${method.toUpperCase()} ${request.path.slice(0, 200)} as ${request.role} with ${
          request.body === undefined
            ? 'no body'
            : `${String(request.body).slice(0, 120)} (${request.contentType ?? 'json'})`
        }`;
        if (res.status >= 500) {
          failures.push(`${String(res.status)}: ${where}: ${text.slice(0, 300)}`);
          continue;
        }
        if (res.status >= 400) {
          let shaped: boolean;
          try {
            const body = JSON.parse(text) as {
              error?: { code?: unknown; message?: unknown; details?: unknown };
            };
            shaped =
              typeof body.error?.code === 'string' &&
              typeof body.error.message === 'string' &&
              Array.isArray(body.error.details) &&
              body.error.details.every(
                (detail: { path?: unknown; problem?: unknown }) =>
                  typeof detail.path === 'string' && typeof detail.problem === 'string',
              );
          } catch {
            shaped = false;
          }
          if (!shaped)
            failures.push(
              `${String(res.status)} not in the error shape: ${where}: ${text.slice(0, 300)}`,
            );
        }
      }
    }
    console.log(
      `Fuzzed ${String(operations.length)} operations with ${String(sent)} requests: ${[...statuses]
        .sort(([a], [b]) => a - b)
        .map(([status, count]) => `${String(status)}×${String(count)}`)
        .join(' ')}`,
    );
    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThanOrEqual(2_000);
    // No body reached the prototype of every object.
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    // Still answering.
    expect((await fetch(`${app.url}/health/live`)).status).toBe(200);
  }, 600_000);
});
