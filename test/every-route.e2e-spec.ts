/**
 * Properties of every route the OpenAPI document lists: documented with schemas, closed without
 * a key, and never a 500 for a bad request.
 */
import { startTestApp, type TestApp } from './support/app';

interface Operation {
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
  requestBody?: unknown;
}
type PathItem = Record<string, Operation>;

const PUBLIC = new Set(['/health/live', '/health/ready']);
/** Public, but authenticated by the vendor's signature instead of a key (401 without one). */
const SIGNED = new Set(['/api/v1/webhooks/{connectionId}']);
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

describe('every route', () => {
  let app: TestApp;
  let routes: Array<{ method: string; path: string; operation: Operation }>;

  beforeAll(async () => {
    app = await startTestApp();
    const doc = (await (await app.request('/api/docs-json', { key: null })).json()) as {
      paths: Record<string, PathItem>;
    };
    routes = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method]) => METHODS.includes(method))
        .map(([method, operation]) => ({ method, path, operation })),
    );
  });

  afterAll(async () => {
    await app.stop();
  });

  /** A concrete URL for a templated path: unknown ids, a valid side and index. */
  function concrete(path: string): string {
    return path
      .replace('{side}', 'left')
      .replace('{index}', '0')
      .replace('{object}', 'contacts')
      .replace('{recordId}', 'r1')
      .replace(/\{[^}]+\}/g, UNKNOWN_ID);
  }

  it('lists the API with a response schema for every operation', () => {
    expect(routes.length).toBeGreaterThan(40);
    for (const { method, path, operation } of routes) {
      const success = Object.entries(operation.responses).filter(([status]) =>
        status.startsWith('2'),
      );
      expect({ method, path, documented: success.length > 0 }).toEqual({
        method,
        path,
        documented: true,
      });
      for (const [status, response] of success) {
        if (status === '204') continue;
        const schema =
          response.content?.['application/json']?.schema ??
          response.content?.['text/plain']?.schema;
        expect({ method, path, status, schema: schema !== undefined }).toEqual({
          method,
          path,
          status,
          schema: true,
        });
      }
      // Writes that take a body say what it is (these few act on the path alone).
      const takesNoBody =
        /\/(check|cancel|runs|retry|validate)$/.test(path) &&
        !path.endsWith('/failed-records/retry');
      if (['post', 'put', 'patch'].includes(method) && !takesNoBody) {
        expect({ method, path, body: operation.requestBody !== undefined }).toEqual({
          method,
          path,
          body: true,
        });
      }
    }
  });

  it('answers 401 without a key on every route but health', async () => {
    for (const { method, path } of routes) {
      if (PUBLIC.has(path)) continue;
      const res = await app.request(concrete(path), {
        method: method.toUpperCase(),
        key: null,
        body: method === 'get' || method === 'delete' ? undefined : '{}',
      });
      expect({ method, path, status: res.status }).toEqual({ method, path, status: 401 });
      if (SIGNED.has(path)) {
        // Without a signature, not for want of a key.
        const error = (await res.json()) as { error: { code: string } };
        expect({ path, code: error.error.code }).toEqual({ path, code: 'invalid_signature' });
      }
    }
  });

  it('answers 403 to a viewer on every write, and to a service key outside runs', async () => {
    const key = async (role: string): Promise<string> => {
      const res = await app.request('/api/v1/api-keys', {
        method: 'POST',
        body: JSON.stringify({ name: role, role }),
      });
      return ((await res.json()) as { key: string }).key;
    };
    const viewer = await key('viewer');
    const service = await key('service');
    // Reading routes a viewer may call with POST: they change nothing.
    const viewerMay = (path: string): boolean => path.endsWith('/validate');
    for (const { method, path } of routes) {
      if (PUBLIC.has(path) || SIGNED.has(path) || method === 'get' || viewerMay(path)) continue;
      const res = await app.request(concrete(path), {
        method: method.toUpperCase(),
        key: viewer,
        body: '{}',
      });
      expect({ method, path, status: res.status }).toEqual({ method, path, status: 403 });
    }
    // A service key triggers and reads runs and their events, and asks who it is; nothing else.
    const serviceMay = (method: string, path: string): boolean =>
      path === '/api/v1/me' ||
      path === '/api/v1/records' ||
      path.startsWith('/api/v1/runs') ||
      (method === 'post' && path.endsWith('/runs')) ||
      (method === 'get' &&
        (path.endsWith('/events') ||
          path.endsWith('/events/export') ||
          path.includes('/records/')));
    for (const { method, path } of routes) {
      if (PUBLIC.has(path) || SIGNED.has(path) || serviceMay(method, path)) continue;
      const res = await app.request(concrete(path), {
        method: method.toUpperCase(),
        key: service,
        body: method === 'get' || method === 'delete' ? undefined : '{}',
      });
      expect({ method, path, status: res.status }).toEqual({ method, path, status: 403 });
    }
  });

  it('never answers 500 to a bad request, with an admin key', async () => {
    const bodies = ['{}', '[]', '{"name": 7, "version": "x", "mappings": {}}', 'null'];
    for (const { method, path } of routes) {
      if (method === 'get' || method === 'delete') {
        const res = await app.request(
          `${concrete(path).replace(UNKNOWN_ID, 'not-an-id')}?limit=-1&cursor=%%`,
          {
            method: method.toUpperCase(),
          },
        );
        expect({ method, path, status: res.status < 500 }).toEqual({ method, path, status: true });
        continue;
      }
      for (const body of bodies) {
        const res = await app.request(concrete(path), { method: method.toUpperCase(), body });
        expect({ method, path, body, status: res.status >= 400 && res.status < 500 }).toEqual({
          method,
          path,
          body,
          status: true,
        });
        const error = (await res.json()) as { error?: { code?: unknown } };
        expect(typeof error.error?.code).toBe('string');
      }
    }
  });
});
