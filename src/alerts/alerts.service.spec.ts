import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AlertsModule } from './alerts.module';
import { ALERTS_OPTIONS, AlertsService, type AlertEvent, type AlertSync } from './alerts.service';

interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/** A webhook receiver on a real port: records requests, answers with the queued statuses. */
class Receiver {
  readonly requests: Received[] = [];
  /** Statuses for the next requests, in order; 200 once they run out. */
  statuses: number[] = [];
  private readonly server: Server;

  constructor() {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        this.requests.push({
          method: request.method ?? '',
          path: request.url ?? '',
          headers: request.headers,
          body: JSON.parse(text) as unknown,
        });
        const status = this.statuses.shift() ?? 200;
        response.writeHead(status, { 'content-type': 'text/plain' });
        response.end(status === 200 ? 'ok' : status === 400 ? 'invalid_payload' : 'rollup_error');
      });
    });
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  url(path = '/services/T000/B000/SECRET-TOKEN'): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  reset(): void {
    this.requests.length = 0;
    this.statuses = [];
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) =>
      this.server.close((error) => {
        if (error) reject(error);
        else resolve();
      }),
    );
  }
}

const AT = new Date('2026-03-01T12:00:00.000Z');

describe('AlertsService', () => {
  const receiver = new Receiver();
  let closedPortUrl: string;
  let alerts: AlertsService;
  let warn: jest.SpiedFunction<Logger['warn']>;
  let log: jest.SpiedFunction<Logger['log']>;

  function sync(url = receiver.url()): AlertSync {
    return { id: 'sync-1', name: 'CRM → Warehouse', alerts: { webhookUrl: url } };
  }

  beforeAll(async () => {
    await receiver.listen();
    // A port that was just free and is closed again: connections are refused.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    closedPortUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}/hook/SECRET-TOKEN`;
    await new Promise<void>((resolve) => {
      probe.close(() => {
        resolve();
      });
    });
    // The receiver is on the loopback interface: allowed only as an operator's choice.
    alerts = new AlertsService({
      retryDelaysMs: [5, 5],
      timeoutMs: 2000,
      now: () => AT,
      allowPrivate: true,
    });
  });

  beforeEach(() => {
    receiver.reset();
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  afterAll(async () => {
    await receiver.close();
  });

  it('posts a run_failed alert as Slack JSON with the event as data', async () => {
    const event: AlertEvent = {
      kind: 'run_failed',
      runId: 'run-9',
      error: 'the vendor answered 401:\n  token expired',
      consecutiveFailures: 3,
      health: 'unhealthy',
    };
    await expect(alerts.notify(sync(), event)).resolves.toBe(true);

    expect(receiver.requests).toHaveLength(1);
    const [request] = receiver.requests;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/services/T000/B000/SECRET-TOKEN');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['user-agent']).toMatch(/^Syncline\//);
    expect(request.body).toEqual({
      text: ':red_circle: Sync "CRM → Warehouse" failed: the vendor answered 401: token expired (3 failures in a row, unhealthy)',
      blocks: [
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text:
              ':red_circle: *Sync "CRM → Warehouse" failed* (3 failures in a row, unhealthy)\n' +
              '>the vendor answered 401: token expired\n' +
              'Run `run-9`',
          },
        },
      ],
      syncline: {
        event: 'run_failed',
        syncId: 'sync-1',
        syncName: 'CRM → Warehouse',
        runId: 'run-9',
        error: 'the vendor answered 401:\n  token expired',
        consecutiveFailures: 3,
        health: 'unhealthy',
        at: '2026-03-01T12:00:00.000Z',
      },
    });
    expect(log).toHaveBeenCalledWith(
      expect.stringContaining(
        'Alert run_failed for sync sync-1 (run run-9) delivered to 127.0.0.1:',
      ),
    );
    expect(warn).not.toHaveBeenCalled();
  });

  it('words a first failure without an error and without a streak', async () => {
    await alerts.notify(sync(), {
      kind: 'run_failed',
      runId: 'run-1',
      error: null,
      consecutiveFailures: 1,
      health: 'failing',
    });
    expect(receiver.requests[0]?.body).toMatchObject({
      text: ':red_circle: Sync "CRM → Warehouse" failed (failing)',
      blocks: [
        {
          text: {
            text: ':red_circle: *Sync "CRM → Warehouse" failed* (failing)\nRun `run-1`',
          },
        },
      ],
      syncline: { event: 'run_failed', error: null, consecutiveFailures: 1, health: 'failing' },
    });
  });

  it('posts a failed_records alert with the rate and threshold as percentages', async () => {
    await expect(
      alerts.notify(sync(), {
        kind: 'failed_records',
        runId: 'run-2',
        failed: 12,
        read: 200,
        rate: 0.06,
        threshold: 0.05,
      }),
    ).resolves.toBe(true);
    expect(receiver.requests[0]?.body).toEqual({
      text: ':warning: Sync "CRM → Warehouse": 12 of 200 records failed (6%, threshold 5%)',
      blocks: [
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: ':warning: *Sync "CRM → Warehouse"*: 12 of 200 records failed (6%, threshold 5%)\nRun `run-2`',
          },
        },
      ],
      syncline: {
        event: 'failed_records',
        syncId: 'sync-1',
        syncName: 'CRM → Warehouse',
        runId: 'run-2',
        failed: 12,
        read: 200,
        rate: 0.06,
        threshold: 0.05,
        at: '2026-03-01T12:00:00.000Z',
      },
    });
  });

  it('posts a degraded alert with its reason', async () => {
    await expect(
      alerts.notify(sync(), {
        kind: 'degraded',
        runId: 'run-4',
        reason: '7 records failed in the last run and 7 records in the one before',
      }),
    ).resolves.toBe(true);
    expect(receiver.requests[0]?.body).toMatchObject({
      text: ':warning: Sync "CRM → Warehouse" is degraded: 7 records failed in the last run and 7 records in the one before',
      syncline: { event: 'degraded', runId: 'run-4' },
    });
  });

  it('posts a record-count anomaly with each count and its usual', async () => {
    await expect(
      alerts.notify(sync(), {
        kind: 'record_anomaly',
        runId: 'run-5',
        factor: 5,
        anomalies: [
          { counter: 'created', count: 600, usual: 12 },
          { counter: 'deleted', count: 80, usual: 0 },
        ],
      }),
    ).resolves.toBe(true);
    expect(receiver.requests[0]?.body).toMatchObject({
      text: ':warning: Sync "CRM → Warehouse" created 600 records (usually 12), deleted 80 records (usually 0)',
      blocks: [
        {
          text: {
            text: ':warning: *Sync "CRM → Warehouse"* created 600 records (usually 12), deleted 80 records (usually 0), more than 5 times its usual number\nRun `run-5`',
          },
        },
      ],
      syncline: { event: 'record_anomaly', runId: 'run-5', factor: 5 },
    });
  });

  it('posts a recovered alert', async () => {
    await expect(
      alerts.notify(sync(), { kind: 'recovered', runId: 'run-3', after: 'run_failed' }),
    ).resolves.toBe(true);
    expect(receiver.requests[0]?.body).toEqual({
      text: ':large_green_circle: Sync "CRM → Warehouse" recovered',
      blocks: [
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: ':large_green_circle: *Sync "CRM → Warehouse" recovered*: runs succeed again after failing\nRun `run-3`',
          },
        },
      ],
      syncline: {
        event: 'recovered',
        syncId: 'sync-1',
        syncName: 'CRM → Warehouse',
        runId: 'run-3',
        after: 'run_failed',
        at: '2026-03-01T12:00:00.000Z',
      },
    });
  });

  it('escapes Slack markup in names and errors, and cuts long errors in the text', async () => {
    const named: AlertSync = { ...sync(), name: 'A & B <!channel>' };
    await alerts.notify(named, {
      kind: 'run_failed',
      runId: 'run-4',
      error: `<@U123> ${'x'.repeat(500)}`,
      consecutiveFailures: 2,
      health: 'failing',
    });
    const body = receiver.requests[0]?.body as {
      text: string;
      syncline: { syncName: string; error: string };
    };
    expect(body.text).toMatch(
      /^:red_circle: Sync "A &amp; B &lt;!channel&gt;" failed: &lt;@U123&gt; x+… \(2 failures in a row, failing\)$/,
    );
    expect(body.text.length).toBeLessThan(300);
    // The data keeps the raw values.
    expect(body.syncline.syncName).toBe('A & B <!channel>');
    expect(body.syncline.error).toHaveLength(508);
  });

  it('retries 5xx answers and delivers on the third attempt', async () => {
    receiver.statuses = [500, 500, 200];
    await expect(
      alerts.notify(sync(), { kind: 'recovered', runId: 'run-5', after: 'failed_records' }),
    ).resolves.toBe(true);
    expect(receiver.requests).toHaveLength(3);
    expect(receiver.requests[2]?.body).toEqual(receiver.requests[0]?.body);
    expect(log).toHaveBeenCalledWith(expect.stringContaining('on attempt 3'));
    expect(warn).not.toHaveBeenCalled();
  });

  it('retries 429 answers', async () => {
    receiver.statuses = [429, 200];
    await expect(
      alerts.notify(sync(), { kind: 'recovered', runId: 'run-5', after: 'run_failed' }),
    ).resolves.toBe(true);
    expect(receiver.requests).toHaveLength(2);
  });

  it('gives up after 3 attempts, warns with the host only, and returns false', async () => {
    receiver.statuses = [500, 500, 500, 500];
    await expect(
      alerts.notify(sync(), { kind: 'recovered', runId: 'run-6', after: 'run_failed' }),
    ).resolves.toBe(false);
    expect(receiver.requests).toHaveLength(3);
    expect(warn).toHaveBeenCalledTimes(1);
    const line = String(warn.mock.calls[0]?.[0]);
    expect(line).toContain('sync-1');
    expect(line).toContain('recovered');
    expect(line).toContain('HTTP 500');
    expect(line).toContain('3 attempts');
    expect(line).toContain(new URL(receiver.url()).host);
    expect(line).not.toContain('/services');
    expect(line).not.toContain('SECRET-TOKEN');
    expect(log).not.toHaveBeenCalled();
  });

  it('does not retry a 4xx refusal', async () => {
    receiver.statuses = [400];
    await expect(
      alerts.notify(sync(), { kind: 'recovered', runId: 'run-7', after: 'run_failed' }),
    ).resolves.toBe(false);
    expect(receiver.requests).toHaveLength(1);
    expect(String(warn.mock.calls[0]?.[0])).toContain('HTTP 400 invalid_payload (1 attempt)');
  });

  it('sends nothing when the sync has no alerts', async () => {
    await expect(
      alerts.notify(
        { id: 'sync-1', name: 'Quiet', alerts: null },
        { kind: 'recovered', runId: 'run-8', after: 'run_failed' },
      ),
    ).resolves.toBe(false);
    expect(receiver.requests).toHaveLength(0);
    expect(warn).not.toHaveBeenCalled();
    expect(log).not.toHaveBeenCalled();
  });

  it('returns false without throwing when the webhook is unreachable', async () => {
    await expect(
      alerts.notify(sync(closedPortUrl), {
        kind: 'recovered',
        runId: 'run-9',
        after: 'run_failed',
      }),
    ).resolves.toBe(false);
    expect(warn).toHaveBeenCalledTimes(1);
    const line = String(warn.mock.calls[0]?.[0]);
    expect(line).toContain('ECONNREFUSED');
    expect(line).toContain('3 attempts');
    expect(line).not.toContain('SECRET-TOKEN');
  });

  it('times out a receiver that does not answer', async () => {
    const slow = new AlertsService({
      retryDelaysMs: [],
      timeoutMs: 100,
      now: () => AT,
      allowPrivate: true,
    });
    const hanging = createServer(() => undefined);
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/hook/SECRET-TOKEN`;
      await expect(
        slow.notify(sync(url), { kind: 'recovered', runId: 'run-10', after: 'run_failed' }),
      ).resolves.toBe(false);
      expect(String(warn.mock.calls[0]?.[0])).toContain('timed out (1 attempt)');
    } finally {
      hanging.closeAllConnections();
      await new Promise<void>((resolve) => {
        hanging.close(() => {
          resolve();
        });
      });
    }
  });

  it('returns false for a stored URL that does not parse, without sending', async () => {
    await expect(
      alerts.notify(sync('not a url SECRET-TOKEN'), {
        kind: 'recovered',
        runId: 'run-11',
        after: 'run_failed',
      }),
    ).resolves.toBe(false);
    expect(receiver.requests).toHaveLength(0);
    expect(String(warn.mock.calls[0]?.[0])).toContain('not a valid URL');
    expect(String(warn.mock.calls[0]?.[0])).not.toContain('SECRET-TOKEN');
  });

  it('is provided by AlertsModule, and reads options from ALERTS_OPTIONS', async () => {
    const fromModule = await Test.createTestingModule({ imports: [AlertsModule] }).compile();
    expect(fromModule.get(AlertsService)).toBeInstanceOf(AlertsService);

    const withOptions = await Test.createTestingModule({
      providers: [
        AlertsService,
        { provide: ALERTS_OPTIONS, useValue: { retryDelaysMs: [], allowPrivate: true } },
      ],
    }).compile();
    receiver.statuses = [500];
    await expect(
      withOptions
        .get(AlertsService)
        .notify(sync(), { kind: 'recovered', runId: 'run-12', after: 'run_failed' }),
    ).resolves.toBe(false);
    expect(receiver.requests).toHaveLength(1);
  });

  it('refuses http, and any host that is or resolves to a non-public address, unless allowed', async () => {
    const strict = new AlertsService({ retryDelaysMs: [5], timeoutMs: 2000, now: () => AT });
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const event: AlertEvent = { kind: 'recovered', runId: 'run-13', after: 'run_failed' };
    for (const url of [
      receiver.url(),
      'https://127.0.0.1:9/hook',
      'https://169.254.169.254/latest/meta-data',
      'https://[::1]:9/hook',
      'https://[::ffff:10.0.0.1]/hook',
      'https://localhost:9/hook',
    ])
      await expect(strict.notify(sync(url), event)).resolves.toBe(false);
    expect(receiver.requests).toHaveLength(0);
    const reasons = warn.mock.calls.map((call) => String(call[0]));
    expect(reasons[0]).toContain('must be an https URL');
    expect(reasons[1]).toContain('must be on a public address');
    expect(reasons.join('\n')).not.toContain('SECRET-TOKEN');
    warn.mockRestore();
  });
});
