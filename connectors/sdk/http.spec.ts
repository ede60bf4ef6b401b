import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeClock } from './clock';
import { ConnectorError } from './errors';
import { createHttpClient, type HttpClientOptions } from './http';
import { RateLimiter } from './rate-limiter';

interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
  body: string;
}

type Reply = (response: ServerResponse, request: Seen) => void;

/** A local vendor: each path answers from its script in turn, then with its last reply. */
class ScriptedServer {
  readonly seen: Seen[] = [];
  private readonly scripts = new Map<string, Reply[]>();
  private readonly server: Server;
  private readonly hanging: ServerResponse[] = [];

  constructor() {
    this.server = createServer((request, response) => {
      void this.handle(request, response);
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/api`;
  }

  script(path: string, ...replies: Reply[]): void {
    this.scripts.set(path, replies);
  }

  /** Never answers; the response is ended when the server closes. */
  hang(): Reply {
    return (response) => this.hanging.push(response);
  }

  reset(): void {
    this.seen.length = 0;
    this.scripts.clear();
  }

  async close(): Promise<void> {
    for (const response of this.hanging) response.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) =>
      this.server.close((error) => {
        if (error) reject(error);
        else resolve();
      }),
    );
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const seen: Seen = {
      method: request.method ?? '',
      url: request.url ?? '',
      authorization: request.headers.authorization,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    this.seen.push(seen);
    const path = new URL(seen.url, 'http://x').pathname;
    const replies = this.scripts.get(path) ?? [json(404, { message: 'no route' })];
    const reply = replies.length > 1 ? replies.shift() : replies[0];
    reply?.(response, seen);
  }
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return (response) => {
    response.writeHead(status, { 'content-type': 'application/json', ...headers });
    response.end(JSON.stringify(body));
  };
}

const server = new ScriptedServer();
let baseUrl = '';

beforeAll(async () => {
  baseUrl = await server.start();
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => {
  server.reset();
});

function client(options: Partial<HttpClientOptions> = {}): {
  clock: FakeClock;
  http: ReturnType<typeof createHttpClient>;
} {
  const clock = new FakeClock({ autoAdvance: true });
  const http = createHttpClient({
    baseUrl,
    clock,
    random: () => 0.5,
    timeoutMs: 2_000,
    ...options,
  });
  return { clock, http };
}

describe('createHttpClient', () => {
  it('waits the Retry-After seconds of a 429 on its clock, then returns the answer', async () => {
    server.script(
      '/api/items',
      json(429, { message: 'slow down' }, { 'retry-after': '30' }),
      json(200, { ok: 1 }),
    );
    const { clock, http } = client();
    const response = await http.request<{ ok: number }>({
      method: 'GET',
      path: '/items',
      query: { limit: 10, tags: ['a', 'b'] },
    });
    expect(response).toMatchObject({ status: 200, body: { ok: 1 } });
    expect(clock.sleeps).toEqual([30_000]);
    expect(server.seen.map((seen) => seen.url)).toEqual([
      '/api/items?limit=10&tags=a&tags=b',
      '/api/items?limit=10&tags=a&tags=b',
    ]);
    expect(http.callCount()).toBe(2);
  });

  it('reads a Retry-After given as an HTTP-date against its clock', async () => {
    const { clock, http } = client();
    const retryAt = new Date(clock.now().getTime() + 5_000).toUTCString();
    server.script('/api/items', json(429, {}, { 'retry-after': retryAt }), json(200, {}));
    await http.request({ method: 'GET', path: 'items' });
    expect(clock.sleeps).toEqual([5_000]);
  });

  it('backs off with jitter after a 429 without Retry-After', async () => {
    server.script('/api/items', json(429, {}), json(429, {}), json(200, { ok: 1 }));
    const { clock, http } = client();
    await expect(http.request({ method: 'GET', path: '/items' })).resolves.toMatchObject({
      status: 200,
    });
    // Full jitter with random() = 0.5: half of 500 ms, then half of 1 s.
    expect(clock.sleeps).toEqual([250, 500]);
  });

  it('retries a 503 then succeeds, but does not repeat a POST that got a 5xx', async () => {
    server.script('/api/items', json(503, {}), json(200, { ok: 1 }));
    const { http } = client();
    await expect(http.request({ method: 'GET', path: '/items' })).resolves.toMatchObject({
      body: { ok: 1 },
    });
    server.script('/api/batch', json(500, { message: 'boom' }), json(200, {}));
    const post = http.request({ method: 'POST', path: '/batch', body: { inputs: [1] } });
    await expect(post).rejects.toMatchObject({ code: 'server_error', details: { status: 500 } });
    expect(server.seen.filter((seen) => seen.url === '/api/batch')).toHaveLength(1);
    expect(server.seen[2]?.body).toBe('{"inputs":[1]}');
  });

  it('times out a call that gets no answer and retries it', async () => {
    server.script('/api/slow', server.hang(), json(200, { ok: 1 }));
    const { http } = client({ timeoutMs: 150 });
    await expect(http.request({ method: 'GET', path: '/slow' })).resolves.toMatchObject({
      body: { ok: 1 },
    });
    expect(http.callCount()).toBe(2);
  });

  it('refreshes the token after a 401 and retries with the new one', async () => {
    let token = 'stale';
    const refresh = jest.fn(() => {
      token = 'fresh';
      return Promise.resolve();
    });
    const unauthorized = json(401, { message: 'expired' });
    server.script('/api/me', (response, seen) => {
      if (seen.authorization === 'Bearer fresh') json(200, { me: 'ok' })(response, seen);
      else unauthorized(response, seen);
    });
    const { http } = client({
      headers: () => Promise.resolve({ authorization: `Bearer ${token}` }),
      onUnauthorized: refresh,
    });
    await expect(http.request({ method: 'GET', path: '/me' })).resolves.toMatchObject({
      body: { me: 'ok' },
    });
    expect(server.seen.map((seen) => seen.authorization)).toEqual(['Bearer stale', 'Bearer fresh']);
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('fails at once with a clear code on 401 without refresh, 404, and a vendor-classified answer', async () => {
    server.script('/api/me', json(401, {}));
    server.script('/api/gone', json(404, { message: 'no such record' }));
    server.script('/api/query', json(403, [{ errorCode: 'REQUEST_LIMIT_EXCEEDED' }]));
    const { http } = client({
      classify: (status, body) =>
        status === 403 && JSON.stringify(body).includes('REQUEST_LIMIT_EXCEEDED')
          ? 'budget_exhausted'
          : undefined,
    });
    await expect(http.request({ method: 'GET', path: '/me' })).rejects.toMatchObject({
      code: 'auth_invalid',
    });
    const gone = http.request({ method: 'GET', path: '/gone' });
    await expect(gone).rejects.toThrow(/404 .*no such record/);
    await expect(http.request({ method: 'GET', path: '/query' })).rejects.toMatchObject({
      code: 'budget_exhausted',
    });
    expect(http.callCount()).toBe(3);
  });

  it('counts calls per endpoint with ids folded, and records the budget headers it was told of', async () => {
    server.script(
      '/api/crm/v3/objects/contacts/101',
      json(200, {}, { 'x-burst-limit': '100', 'x-burst-remaining': '7' }),
    );
    server.script(
      '/api/crm/v3/objects/contacts/202',
      json(200, {}, { 'x-daily-usage': 'api-usage=40/5000', 'x-other-limit': '3' }),
    );
    const clock = new FakeClock({ autoAdvance: true });
    const limiter = new RateLimiter({
      clock,
      limits: [{ name: 'burst', limit: 100, windowMs: 10_000, source: 'test' }],
    });
    const { http } = client({
      clock,
      rateLimiter: limiter,
      budgetHeaders: [
        {
          budget: 'burst',
          limit: 'x-burst-limit',
          remaining: 'x-burst-remaining',
          windowMs: 10_000,
        },
        { budget: 'daily', header: 'x-daily-usage', usage: /api-usage=(\d+)\/(\d+)/ },
      ],
    });
    await http.request({ method: 'GET', path: '/crm/v3/objects/contacts/101' });
    await http.request({ method: 'GET', path: '/crm/v3/objects/contacts/202' });
    expect(http.callsByEndpoint()).toEqual({ 'GET /api/crm/v3/objects/contacts/:id': 2 });
    expect(
      http.budgets().map(({ name, limit, remaining }) => ({ name, limit, remaining })),
    ).toEqual([
      { name: 'burst', limit: 100, remaining: 7 },
      { name: 'daily', limit: 5000, remaining: 4960 },
    ]);
    // Our bucket follows the vendor's count: 7 left there, one spent since.
    expect(limiter.available()).toEqual({ burst: 6 });
  });
});

describe('HttpClient.fetch (for official SDKs)', () => {
  it('applies auth, retry and counting, and returns the vendor answer', async () => {
    server.script('/api/sdk', json(429, {}, { 'retry-after': '2' }), json(200, { via: 'sdk' }));
    const { clock, http } = client({
      headers: () => Promise.resolve({ authorization: 'Bearer ours' }),
    });
    const response = await http.fetch(`${baseUrl}/sdk`, {
      method: 'POST',
      headers: { authorization: 'Bearer theirs' },
      body: '{"q":1}',
    });
    expect(response.status).toBe(200);
    await expect(response.json()).resolves.toEqual({ via: 'sdk' });
    expect(clock.sleeps).toEqual([2_000]);
    expect(server.seen.map((seen) => [seen.authorization, seen.body])).toEqual([
      ['Bearer ours', '{"q":1}'],
      ['Bearer ours', '{"q":1}'],
    ]);
    expect(http.callsByEndpoint()).toEqual({ 'POST /api/sdk': 2 });
  });

  it('hands the last error answer back once retries are spent, and throws for network failures', async () => {
    server.script('/api/down', json(503, { message: 'maintenance' }));
    const { http } = client({ retry: { maxAttempts: 2 } });
    const response = await http.fetch(`${baseUrl}/down`);
    expect(response.status).toBe(503);
    await expect(response.json()).resolves.toEqual({ message: 'maintenance' });
    expect(http.callCount()).toBe(2);
    const refused = http.fetch('http://127.0.0.1:1/nothing-listens-here');
    await expect(refused).rejects.toBeInstanceOf(ConnectorError);
    await expect(refused).rejects.toMatchObject({ code: 'network' });
  });
});
