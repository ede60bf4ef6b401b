/**
 * What every vendor emulator needs besides the vendor's behaviour: its HTTP server's lifecycle
 * (a free local port; closing drops open connections and held answers), calls counted per
 * endpoint and answers per status, whole-call faults queued for the next matching calls or drawn
 * at random (429 with or without Retry-After, 5xx, a hang past the client's timeout, token
 * expiry, an answer lost after the call was carried out), added latency, per-record rejections
 * inside batches, and ids in sequence. Each emulator names its own fault kinds and answers them
 * as its vendor does.
 */
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Chaos } from './chaos';

/** Calls an emulator received, per endpoint (`POST /crm/v3/objects/:id`), and answers per status. */
export class EndpointCounters {
  private readonly perEndpoint = new Map<string, number>();
  total = 0;
  /** 429 answers (natural or injected). */
  rateLimited = 0;
  readonly byStatus = new Map<number, number>();

  record(endpoint: string): void {
    this.total++;
    this.perEndpoint.set(endpoint, (this.perEndpoint.get(endpoint) ?? 0) + 1);
  }

  answered(status: number): void {
    if (status === 429) this.rateLimited++;
    this.byStatus.set(status, (this.byStatus.get(status) ?? 0) + 1);
  }

  calls(endpoint: string): number {
    return this.perEndpoint.get(endpoint) ?? 0;
  }

  /** Calls whose endpoint matches. */
  matching(pattern: RegExp): number {
    let sum = 0;
    for (const [endpoint, count] of this.perEndpoint) if (pattern.test(endpoint)) sum += count;
    return sum;
  }

  byEndpoint(): Record<string, number> {
    return Object.fromEntries(this.perEndpoint);
  }

  reset(): void {
    this.perEndpoint.clear();
    this.byStatus.clear();
    this.total = 0;
    this.rateLimited = 0;
  }
}

/** A fault waiting for its calls: its kind, how many more calls it hits, and its details. */
export type QueuedFault<K extends string, D> = D & { kind: K; remaining: number };

/**
 * Whole-call faults: queued for the next calls a matcher accepts (`C` is what the emulator shows
 * a matcher of a call), else drawn at random by `chaos` (the fault soak). `details` turns a
 * random draw into the emulator's own fault details (a 429 with a hint carries Retry-After).
 */
export class FaultQueue<K extends string, C, D extends object = object> {
  readonly chaos = new Chaos<K>();
  /** Real milliseconds added before every answer. */
  latencyMs = 0;
  /** Real milliseconds a timed-out call is held before its connection is dropped. */
  hangMs = 2_000;
  private queue: Array<QueuedFault<K, D> & { match?: (call: C) => boolean }> = [];

  constructor(private readonly details: (kind: K, withHint: boolean) => D) {}

  /** The next `times` calls that `match` accepts (any call without one) fail with `kind`. */
  push(kind: K, details: D, options: { times?: number; match?: (call: C) => boolean } = {}): void {
    this.queue.push({
      ...details,
      kind,
      remaining: options.times ?? 1,
      ...(options.match === undefined ? {} : { match: options.match }),
    });
  }

  /** The fault due for this call, consumed; else one drawn at random, if chaos is on. */
  take(call: C): QueuedFault<K, D> | undefined {
    const fault = this.queue.find(
      (candidate) => candidate.remaining > 0 && (candidate.match?.(call) ?? true),
    );
    if (fault === undefined) {
      const drawn = this.chaos.draw();
      if (drawn === undefined) return undefined;
      return { ...this.details(drawn.kind, drawn.withHint), kind: drawn.kind, remaining: 0 };
    }
    fault.remaining--;
    if (fault.remaining <= 0) this.queue = this.queue.filter((candidate) => candidate !== fault);
    return fault;
  }

  /** Waits the added latency (real time). */
  async delay(): Promise<void> {
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
  }

  reset(): void {
    this.queue = [];
    this.chaos.set(undefined);
    this.latencyMs = 0;
  }
}

/** Per-record rejections inside batches: the first rejector with an answer decides. */
export class Rejections<I, E> {
  private rejectors: Array<(input: I) => E | undefined> = [];

  add(rejector: (input: I) => E | undefined): void {
    this.rejectors.push(rejector);
  }

  first(input: I): E | undefined {
    for (const rejector of this.rejectors) {
      const rejection = rejector(input);
      if (rejection !== undefined) return rejection;
    }
    return undefined;
  }

  reset(): void {
    this.rejectors = [];
  }
}

/** A call as fault matchers see it: its method, path (no query) and query. */
export interface CallInfo {
  method: string;
  path: string;
  query: URLSearchParams;
}

/** Options of a queued fault: its details, which calls it matches, how many it hits. */
export type FaultOptions<C, D> = D & { match?: (call: C) => boolean; times?: number };

/**
 * A fault queue with what a vendor whose batches refuse records one by one also needs: per-record
 * rejections (`I` the record's input, `E` the vendor's reason) and a spent rate window that keeps
 * refusing every call until `rateLimitedUntil` (emulator clock, ms).
 */
export class RecordFaultQueue<K extends string, C, D extends object, I, E> extends FaultQueue<
  K,
  C,
  D
> {
  private readonly rejections = new Rejections<I, E>();
  rateLimitedUntil = 0;

  constructor() {
    super(() => ({}) as D);
  }

  /** The next calls (`times`, those `match` accepts) fail with `kind`. */
  next(kind: K, options: FaultOptions<C, D> = {} as FaultOptions<C, D>): void {
    const { match, times, ...details } = options;
    this.push(kind, details as unknown as D, {
      ...(times === undefined ? {} : { times }),
      ...(match === undefined ? {} : { match }),
    });
  }

  /** Records `rejector` answers for are refused inside their batch, with its reason. */
  reject(rejector: (input: I) => E | undefined): void {
    this.rejections.add(rejector);
  }

  rejection(input: I): E | undefined {
    return this.rejections.first(input);
  }

  override reset(): void {
    super.reset();
    this.rejections.reset();
    this.rateLimitedUntil = 0;
  }
}

/** mulberry32: a small, fast seeded generator, good enough for deterministic test data. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Ids in sequence, as text: `next()` gives `prefix` + the next number, from `start`. */
export class IdSequence {
  private last: number;

  constructor(
    start = 1,
    private readonly prefix = '',
  ) {
    this.last = start - 1;
  }

  next(): string {
    this.last++;
    return `${this.prefix}${String(this.last)}`;
  }
}

export interface EmulatorServer {
  readonly url: string;
  /** A timer whose callback answers later (a held answer): cleared when the server closes. */
  readonly hold: (callback: () => void, ms: number) => void;
  /** Real milliseconds (an answer held, a hang): resolves unless the server closes first. */
  readonly wait: (ms: number) => Promise<void>;
  readonly close: () => Promise<void>;
}

/**
 * An HTTP server on a free port of 127.0.0.1. `handle` answers each request; what it throws is
 * answered by `crashed` (the vendor's own 500), unless an answer was already sent.
 */
export async function startEmulatorServer(
  handle: (
    request: IncomingMessage,
    response: ServerResponse,
    server: EmulatorServer,
  ) => Promise<void>,
  crashed: (response: ServerResponse, error: unknown) => void,
  options: { maxHeaderSize?: number; keepAliveTimeoutMs?: number } = {},
): Promise<EmulatorServer> {
  const held = new Set<NodeJS.Timeout>();
  // Set once listening (no request arrives before).
  const ready: { emulator?: EmulatorServer } = {};
  const server = createServer(
    options.maxHeaderSize === undefined ? {} : { maxHeaderSize: options.maxHeaderSize },
    (request, response) => {
      const { emulator } = ready;
      if (emulator === undefined) return;
      handle(request, response, emulator).catch((error: unknown) => {
        if (!response.headersSent && !response.destroyed) crashed(response, error);
      });
    },
  );
  if (options.keepAliveTimeoutMs !== undefined)
    server.keepAliveTimeout = options.keepAliveTimeoutMs;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const hold = (callback: () => void, ms: number): void => {
    const timer = setTimeout(() => {
      held.delete(timer);
      callback();
    }, ms);
    held.add(timer);
  };
  const emulator: EmulatorServer = {
    url: `http://127.0.0.1:${String(port)}`,
    hold,
    wait: (ms) =>
      new Promise((resolve) => {
        hold(resolve, ms);
      }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const timer of held) clearTimeout(timer);
        held.clear();
        server.close((error) => {
          if (error === undefined) resolve();
          else reject(error);
        });
        server.closeAllConnections();
      }),
  };
  ready.emulator = emulator;
  return emulator;
}

/** Text made safe inside HTML, attribute values included. */
export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

/**
 * A record's page, as an emulator answers the vendor's UI address for it (the console links
 * records there): not the vendor's page, only its fields, so a link from the sandbox leads
 * somewhere that shows the record. Undefined fields: the record is not there (404).
 */
export function recordPage(
  vendor: string,
  object: string,
  id: string,
  fields: Record<string, unknown> | undefined,
): { status: number; html: string } {
  const title = `${escapeHtml(vendor)} emulator: ${escapeHtml(object)} ${escapeHtml(id)}`;
  const rows =
    fields === undefined
      ? '<p>No such record.</p>'
      : `<table>${Object.entries(fields)
          .filter(([, value]) => value !== null && value !== undefined && value !== '')
          .sort(([a], [b]) => a.localeCompare(b))
          .map(
            ([name, value]) =>
              `<tr><th>${escapeHtml(name)}</th><td>${escapeHtml(typeof value === 'string' ? value : JSON.stringify(value))}</td></tr>`,
          )
          .join('')}</table>`;
  return {
    status: fields === undefined ? 404 : 200,
    html: `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1>${rows}</body></html>`,
  };
}

/** A request's body, whole, or `too_large` past `limit` bytes (read to its end either way). */
export function readRequestBody(
  request: IncomingMessage,
  limit: number,
): Promise<Buffer | 'too_large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    request.on('end', () => {
      resolve(size > limit ? 'too_large' : Buffer.concat(chunks));
    });
    request.on('error', reject);
  });
}

/** A request's body as UTF-8 text, or undefined past `limit` bytes (none by default). */
export async function readRequestText(
  request: IncomingMessage,
  limit = Number.POSITIVE_INFINITY,
): Promise<string | undefined> {
  const body = await readRequestBody(request, limit);
  return body === 'too_large' ? undefined : body.toString('utf8');
}
