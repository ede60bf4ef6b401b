import {
  EndpointCounters,
  FaultQueue,
  IdSequence,
  Rejections,
  startEmulatorServer,
} from './emulator-kit';

describe('the emulator kit', () => {
  it('queues faults for the calls a matcher accepts, as many times as asked, then draws at random', () => {
    const faults = new FaultQueue<
      'rate_limited' | 'server_error',
      string,
      { retryAfterMs?: number }
    >((kind, withHint) => (kind === 'rate_limited' && withHint ? { retryAfterMs: 1000 } : {}));
    faults.push('server_error', {}, { times: 2, match: (endpoint) => endpoint.startsWith('POST') });
    faults.push('rate_limited', { retryAfterMs: 5 });
    expect(faults.take('GET /a')).toMatchObject({ kind: 'rate_limited', retryAfterMs: 5 });
    expect(faults.take('POST /b')).toMatchObject({ kind: 'server_error' });
    expect(faults.take('POST /b')).toMatchObject({ kind: 'server_error' });
    expect(faults.take('POST /b')).toBeUndefined();
    faults.chaos.set({ rate: 1, kinds: ['rate_limited'], random: () => 0 });
    expect(faults.take('GET /a')).toMatchObject({ kind: 'rate_limited' });
    faults.reset();
    expect(faults.take('GET /a')).toBeUndefined();
  });

  it('counts calls per endpoint and answers per status', () => {
    const counters = new EndpointCounters();
    counters.record('GET /a');
    counters.record('POST /a');
    counters.record('POST /a');
    counters.answered(429);
    expect(counters.calls('POST /a')).toBe(2);
    expect(counters.matching(/^POST /)).toBe(2);
    expect(counters.byEndpoint()).toEqual({ 'GET /a': 1, 'POST /a': 2 });
    expect([counters.total, counters.rateLimited, counters.byStatus.get(429)]).toEqual([3, 1, 1]);
  });

  it('asks rejectors in order, and numbers ids in sequence', () => {
    const rejections = new Rejections<number, string>();
    rejections.add((n) => (n > 10 ? 'too big' : undefined));
    rejections.add((n) => (n % 2 === 1 ? 'odd' : undefined));
    expect([rejections.first(11), rejections.first(3), rejections.first(4)]).toEqual([
      'too big',
      'odd',
      undefined,
    ]);
    const ids = new IdSequence(100, 'x-');
    expect([ids.next(), ids.next()]).toEqual(['x-100', 'x-101']);
  });

  it('serves on a free port, answers a crash with the vendor’s 500, and closes with held calls', async () => {
    const server = await startEmulatorServer(
      async (request, response, emulator) => {
        if (request.url === '/crash') throw new Error('boom');
        if (request.url === '/hang') return emulator.wait(60_000);
        response.end('ok');
        return Promise.resolve();
      },
      (response, error) => {
        response.writeHead(500);
        response.end(String(error));
      },
    );
    try {
      expect(await (await fetch(`${server.url}/`)).text()).toBe('ok');
      const crashed = await fetch(`${server.url}/crash`);
      expect([crashed.status, await crashed.text()]).toEqual([500, 'Error: boom']);
      const hanging = fetch(`${server.url}/hang`).catch(() => 'dropped');
      await new Promise((resolve) => setTimeout(resolve, 50));
      await server.close();
      expect(await hanging).toBe('dropped');
    } finally {
      await server.close().catch(() => undefined);
    }
  });
});
