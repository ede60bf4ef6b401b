/**
 * In-process vendors behind the SDK's test connectors of one capability (an event destination, an
 * audience destination): what they hold, faults to inject, and rejections, so each capability's
 * contract suite has a connector to run against that is not a record connector.
 */
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
  const key = name;
  let vendor = stores.get(key) as T | undefined;
  if (vendor === undefined) {
    vendor = create();
    stores.set(key, vendor);
  }
  return vendor;
}
