/** Rate limiting of the API per API key: 429 with Retry-After and the error shape; health is free. */
import { startTestApp, type TestApp } from './support/app';
import { apiKey, json, type ErrorBody } from './support/api-helpers';

describe('API rate limit', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ SYNCLINE_API_RATE_LIMIT: '3' });
  });

  afterAll(async () => {
    await app.stop();
  });

  it('allows a key its requests per minute across routes, then answers 429 with Retry-After', async () => {
    const key = await apiKey(app, 'viewer');
    expect((await app.request('/api/v1/syncs', { key })).status).toBe(200);
    expect((await app.request('/api/v1/connections', { key })).status).toBe(200);
    expect((await app.request('/api/v1/runs', { key })).status).toBe(200);

    const limited = await app.request('/api/v1/syncs', { key });
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const body = await json<ErrorBody>(limited);
    expect(body.error).toMatchObject({ code: 'rate_limited', details: [] });
    expect(body.error.message).toContain('3 per minute');

    // Another key has a budget of its own.
    // (The admin key has spent one request of its three on the first key, this is its second.)
    const other = await apiKey(app, 'viewer');
    expect((await app.request('/api/v1/syncs', { key: other })).status).toBe(200);
  });

  it('never throttles health', async () => {
    for (let i = 0; i < 10; i++) {
      const res = await fetch(`${app.url}/health/live`);
      expect(res.status).toBe(200);
      expect(res.headers.get('retry-after')).toBeNull();
    }
  });
});
