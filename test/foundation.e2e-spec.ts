import { DataSource } from 'typeorm';
import { startTestApp, type TestApp } from './support/app';

describe('Syncline service (in process)', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });

  afterAll(async () => {
    await app.stop();
  });

  it('answers liveness and readiness with the database up', async () => {
    const live = await fetch(`${app.url}/health/live`);
    expect(live.status).toBe(200);
    const ready = await fetch(`${app.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ok',
      info: { database: { status: 'up' } },
    });
  });

  it('applied every migration on its database', async () => {
    const dataSource = app.running.app.get(DataSource);
    const rows: Array<{ name: string }> = await dataSource.query(
      'SELECT name FROM migrations ORDER BY id',
    );
    expect(rows.map((r) => r.name)).toEqual(
      expect.arrayContaining(['Instance1764000000000', 'ApiKeys1764000002000']),
    );
    expect(await dataSource.showMigrations()).toBe(false);
  });

  it('serves Prometheus metrics with the HTTP duration histogram', async () => {
    await fetch(`${app.url}/health/ready`);
    const res = await app.request('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/health\/ready",status_code="200"\} \d+/,
    );
  });

  it('serves an OpenAPI 3 document and its UI', async () => {
    const res = await fetch(`${app.url}/api/docs-json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/health/live', '/health/ready', '/metrics']),
    );
    const ui = await fetch(`${app.url}/api/docs`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger');
  });

  it('answers an unknown route with 404 in the API error shape', async () => {
    const res = await fetch(`${app.url}/api/v1/no-such-thing`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: { code: 'not_found', message: 'Cannot GET /api/v1/no-such-thing', details: [] },
    });
  });

  it('gives every response a request id, keeping a sane one the caller sent', async () => {
    const generated = await fetch(`${app.url}/health/live`);
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const given = await fetch(`${app.url}/health/live`, { headers: { 'x-request-id': 'abc-123' } });
    expect(given.headers.get('x-request-id')).toBe('abc-123');
    const hostile = await fetch(`${app.url}/health/live`, {
      headers: { 'x-request-id': 'a b\tc' },
    });
    expect(hostile.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
