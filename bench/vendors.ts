/**
 * The bench's two vendors, either in the bench's own process (`inline`: MemoryBackend and memory
 * connector beside the engine, as the tests run them) or each in a child process (`child`: the
 * vendor's data stays at the "vendor", as in a deployment, and the bench process holds only what
 * Syncline holds). Both give the engine a Connector per side and the bench its write counters.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { createMemoryConnector, MemoryBackend, memoryLimits } from '../connectors/memory';
import type { BenchClock } from './clock';
import {
  DEFAULT_READ_TRAITS,
  type ReadTraits,
  type RecordConnector,
  type ConnectorLimits,
  type DeletedPage,
  type ReadDeletedRequest,
  type ReadPage,
  type ReadRequest,
} from '../connectors/sdk/contract';
import { ConnectorError, ERROR_CODES, type ErrorCode } from '../connectors/sdk/errors';
import type { Side } from '../src/engine/definition';
import { editSide, seedVendor } from './data';
import {
  type EditSlice,
  isResponseEnvelope,
  type RequestEnvelope,
  type SerializedError,
  type VendorCallKind,
  type VendorCalls,
  type VendorRequest,
  type VendorStats,
} from './vendor-protocol';

export type VendorMode = 'inline' | 'child';
export type IpcSerialization = 'advanced' | 'json';

export interface WriteTotals {
  writeCalls: number;
  writtenRecords: number;
}

export interface BenchVendors {
  readonly mode: VendorMode;
  readonly left: RecordConnector;
  readonly right: RecordConnector;
  /** Seeds both accounts (N records each, the last stamped `until`) and indexes the match field. */
  seed(records: number, until: Date): Promise<void>;
  /**
   * The incremental run's edits, 1 % of each side (or the slice of them a schedule asks for);
   * answers how many records changed, both sides.
   */
  edit(slice?: EditSlice): Promise<number>;
  /** Write calls and records written so far, both vendors. */
  writeTotals(): Promise<WriteTotals>;
  /** The vendor processes' memory (child mode only). */
  processStats(): Promise<Record<Side, VendorStats> | undefined>;
  close(): Promise<void>;
}

/** Half the records of each side are the same people; edited pairs differ (offsets 0 and 50). */
const EDIT_OFFSET: Record<Side, number> = { left: 0, right: 50 };
const ID_PREFIX: Record<Side, string> = { left: 'L', right: 'R' };

export function inlineVendors(clock: BenchClock): BenchVendors {
  const backends: Record<Side, MemoryBackend> = {
    left: new MemoryBackend({ clock, idPrefix: ID_PREFIX.left }),
    right: new MemoryBackend({ clock, idPrefix: ID_PREFIX.right }),
  };
  const edits: Record<Side, string[]> = { left: [], right: [] };
  const connector = (backend: MemoryBackend): RecordConnector =>
    createMemoryConnector(backend, { random: () => 0.5 });
  return {
    mode: 'inline',
    left: connector(backends.left),
    right: connector(backends.right),
    seed(records, until) {
      for (const side of ['left', 'right'] as const)
        edits[side] = seedVendor(backends[side], side, records, until, EDIT_OFFSET[side]);
      return Promise.resolve();
    },
    edit(slice) {
      let edited = 0;
      for (const side of ['left', 'right'] as const)
        edited += editSide(backends[side], side, edits[side], slice);
      return Promise.resolve(edited);
    },
    writeTotals() {
      return Promise.resolve({
        writeCalls: backends.left.calls.write + backends.right.calls.write,
        writtenRecords: backends.left.writtenRecords + backends.right.writtenRecords,
      });
    },
    processStats: () => Promise.resolve(undefined),
    close: () => Promise.resolve(),
  };
}

/** How long a vendor process gets to exit after the bench disconnects, before it is killed. */
const EXIT_GRACE_MS = 2_000;

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

function rebuildError(error: SerializedError): Error {
  const code = ERROR_CODES.find((known: ErrorCode) => known === error.code);
  const rebuilt =
    code === undefined
      ? new Error(`${error.name}: ${error.message}`)
      : new ConnectorError(code, error.message, error.details);
  if (error.stack !== undefined) rebuilt.stack = `${error.stack}\n    (in the vendor process)`;
  return rebuilt;
}

/** One vendor process and the Connector that forwards to it. */
class VendorProcess {
  readonly connector: RecordConnector;
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private nextStream = 0;
  private calls = 0;
  private gone: Error | undefined;
  private readonly killOnExit = (): void => {
    this.child.kill('SIGKILL');
  };

  constructor(
    side: Side,
    private readonly clock: BenchClock,
    serialization: IpcSerialization,
    limits: ConnectorLimits,
    readTraits: (object: string) => ReadTraits,
  ) {
    this.child = fork(join(__dirname, 'vendor-process.js'), [], {
      serialization,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, SYNCLINE_BENCH_ID_PREFIX: ID_PREFIX[side] },
    });
    // Whatever way the bench ends, its vendor processes end with it.
    process.on('exit', this.killOnExit);
    this.child.on('message', (message: unknown) => {
      if (!isResponseEnvelope(message)) return;
      const pending = this.pending.get(message.id);
      if (pending === undefined) return;
      this.pending.delete(message.id);
      this.calls = message.calls;
      if (message.ok) pending.resolve(message.value);
      else pending.reject(rebuildError(message.error));
    });
    this.child.on('error', (error) => {
      this.fail(error);
    });
    this.child.on('exit', (code, signal) => {
      this.fail(new Error(`vendor process (${side}) exited: ${signal ?? String(code)}`));
    });
    this.connector = {
      kind: 'memory',
      limits,
      capabilities: ['source', 'records'],
      check: () => this.request({ kind: 'check' }),
      discover: () => this.request({ kind: 'discover' }),
      read: (read: ReadRequest) =>
        this.pages<ReadPage>({ kind: 'readOpen', stream: this.nextStream++, read }),
      readTraits,
      readDeleted: (read: ReadDeletedRequest) =>
        this.pages<DeletedPage>({ kind: 'readDeletedOpen', stream: this.nextStream++, read }),
      lookup: (lookup) => this.request({ kind: 'lookup', lookup }),
      get: (object, ids, fields) => this.request({ kind: 'get', object, ids, fields }),
      write: (write) => this.request({ kind: 'write', write }),
      // Synchronous in the contract: the count the vendor process sent with its last answer.
      callCount: () => this.calls,
      callsByEndpoint: () => ({}),
      budgets: () => [],
    };
  }

  request<K extends VendorCallKind>(
    body: Extract<VendorRequest, { kind: K }>,
  ): Promise<VendorCalls[K]['response']> {
    if (this.gone !== undefined) return Promise.reject(this.gone);
    const id = this.nextId++;
    const envelope: RequestEnvelope = { id, now: this.clock.now().getTime(), body };
    return new Promise((resolve, reject) => {
      this.pending.set(id, {
        // The vendor process answers request kind K with VendorCalls[K]['response'].
        resolve: (value) => {
          resolve(value as VendorCalls[K]['response']);
        },
        reject,
      });
      this.child.send(envelope, (error) => {
        if (error === null) return;
        this.pending.delete(id);
        reject(error);
      });
    });
  }

  async close(): Promise<void> {
    if (this.gone === undefined) {
      const exited = new Promise<void>((resolve) => {
        this.child.once('exit', () => {
          resolve();
        });
      });
      const timer = setTimeout(() => {
        this.child.kill('SIGKILL');
      }, EXIT_GRACE_MS);
      this.child.disconnect();
      await exited;
      clearTimeout(timer);
    }
    process.off('exit', this.killOnExit);
  }

  /** A read as open → next page … → close (close only when the reader stops before the end). */
  private async *pages<P extends ReadPage | DeletedPage>(
    open: Extract<VendorRequest, { kind: 'readOpen' | 'readDeletedOpen' }>,
  ): AsyncGenerator<P> {
    const { stream } = open;
    await this.request(open);
    let open_ = true;
    try {
      for (;;) {
        let page: ReadPage | DeletedPage | null;
        try {
          page = await this.request({ kind: 'next', stream });
        } catch (error) {
          open_ = false; // the vendor process dropped the stream with the error
          throw error;
        }
        if (page === null) {
          open_ = false;
          return;
        }
        // The stream was opened by `open`, so its pages are of P's kind.
        yield page as P;
      }
    } finally {
      if (open_ && this.gone === undefined) await this.request({ kind: 'close', stream });
    }
  }

  private fail(error: Error): void {
    this.gone ??= error;
    for (const pending of this.pending.values()) pending.reject(this.gone);
    this.pending.clear();
    process.off('exit', this.killOnExit);
  }
}

export function childVendors(clock: BenchClock, serialization: IpcSerialization): BenchVendors {
  // The same limits and read traits the memory connector in the vendor process has (created with
  // no options): asked of one here, over an empty backend.
  const limits = memoryLimits();
  const probe = createMemoryConnector(new MemoryBackend({ clock }));
  const traits = (object: string): ReadTraits => probe.readTraits?.(object) ?? DEFAULT_READ_TRAITS;
  const processes: Record<Side, VendorProcess> = {
    left: new VendorProcess('left', clock, serialization, limits, traits),
    right: new VendorProcess('right', clock, serialization, limits, traits),
  };
  const both = <T>(call: (vendor: VendorProcess) => Promise<T>): Promise<[T, T]> =>
    Promise.all([call(processes.left), call(processes.right)]);
  return {
    mode: 'child',
    left: processes.left.connector,
    right: processes.right.connector,
    async seed(records, until) {
      await Promise.all(
        (['left', 'right'] as const).map((side) =>
          processes[side].request({
            kind: 'seed',
            spec: { side, records, until: until.toISOString(), offset: EDIT_OFFSET[side] },
          }),
        ),
      );
    },
    async edit(slice) {
      const [left, right] = await both((vendor) =>
        vendor.request({ kind: 'edit', ...(slice === undefined ? {} : { slice }) }),
      );
      return left + right;
    },
    async writeTotals() {
      const [left, right] = await both((vendor) => vendor.request({ kind: 'stats' }));
      return {
        writeCalls: left.writeCalls + right.writeCalls,
        writtenRecords: left.writtenRecords + right.writtenRecords,
      };
    },
    async processStats() {
      const [left, right] = await both((vendor) => vendor.request({ kind: 'stats' }));
      return { left, right };
    },
    async close() {
      await both((vendor) => vendor.close());
    },
  };
}
