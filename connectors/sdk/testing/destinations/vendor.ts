/**
 * In-process vendors behind the SDK's test connectors of one capability (an event destination, an
 * audience destination): what they hold, faults to inject, and rejections, so each capability's
 * contract suite has a connector to run against that is not a record connector.
 */
import { CallPolicy } from '../../call-policy';
import type { ConnectorContext, ConnectorLimits } from '../../contract';
import { ConnectorError, type ErrorCode } from '../../errors';

/** The next calls fail with these codes, in order, before the vendor acts. */
export class FaultQueue {
  private readonly queue: ErrorCode[] = [];
  calls = 0;

  push(code: ErrorCode): void {
    this.queue.push(code);
  }

  /** Counts the call, and throws the next queued fault if any. */
  enter(what: string): void {
    this.calls++;
    const code = this.queue.shift();
    if (code !== undefined) throw new ConnectorError(code, `${what}: injected ${code}`);
  }
}

const stores = new Map<string, unknown>();

/** The process-wide vendor of that name (connections of one store share it). */
export function vendorNamed<T>(name: string, create: () => T): T {
  let vendor = stores.get(name) as T | undefined;
  if (vendor === undefined) {
    vendor = create();
    stores.set(name, vendor);
  }
  return vendor;
}

/** What both test destinations declare alike: a store name, no secrets, one call at a time. */
export const TEST_DESTINATION = {
  settings: { store: { label: 'Store name', type: 'string', default: 'default' } },
  secrets: [],
} as const;

export function testLimits(maxBatch: ConnectorLimits['maxBatch']): ConnectorLimits {
  return { maxPageSize: 1, maxBatch, concurrency: 1, rateLimits: [] };
}

/** The call policy (fast retries) and the operations every test destination has. */
export function testParts(store: string, context: ConnectorContext) {
  const policy = new CallPolicy({ ...context, retry: { baseDelayMs: 1, maxDelayMs: 5 } });
  return {
    policy,
    core: {
      calls: policy,
      check: () => Promise.resolve({ account: store }),
      discover: () => Promise.resolve([]),
    },
  };
}
