/**
 * Fault injection for the memory vendor: whole-call failures (429, 5xx, expired token, timeout),
 * per-record rejections inside a batch, and a failure after a write was applied (a crash between a
 * batch write and its commit).
 */
import type { WriteError, WriteMode, WriteOperation } from '../sdk/contract';
import { ConnectorError } from '../sdk/errors';

export type FaultKind = 'rate_limited' | 'server_error' | 'auth_expired' | 'timeout';

/** The vendor endpoints a fault can target. */
export type MemoryOperation =
  | 'read'
  | 'readDeleted'
  | 'write'
  | 'lookup'
  | 'get'
  | 'check'
  | 'discover'
  | 'append'
  | 'members'
  | 'audiences';

/** The calls that change the vendor's data, which a fault may fail after they were applied. */
export type ApplyingOperation = 'write' | 'append' | 'members';

export interface FaultOptions {
  /** For `rate_limited`: the Retry-After the vendor sends; absent means no header. */
  retryAfterMs?: number;
  /** Which calls fail; `any` (the default) means the next calls whatever they are. */
  operation?: MemoryOperation | 'any';
  /** How many matching calls go through first (a later batch of a page fails); 0 by default. */
  after?: number;
}

/** An event (by key) or a member (by key) the vendor refuses alone, with the error it gives. */
export type ItemRejection = (
  key: string,
  context: { operation: 'append' | 'add' | 'remove'; object: string },
) => WriteError | undefined;

export type RecordRejection = (
  operation: WriteOperation,
  context: { object: string; mode: WriteMode },
) => WriteError | undefined;

interface CallFault {
  kind: FaultKind;
  remaining: number;
  retryAfterMs: number | undefined;
  operation: MemoryOperation | 'any';
  /** Matching calls still to let through before failing. */
  skip: number;
}

function errorFor(fault: CallFault, operation: MemoryOperation): ConnectorError {
  switch (fault.kind) {
    case 'rate_limited':
      return new ConnectorError(
        'rate_limited',
        `injected 429 on ${operation}`,
        fault.retryAfterMs === undefined
          ? { status: 429 }
          : { status: 429, retryAfterMs: fault.retryAfterMs },
      );
    case 'server_error':
      return new ConnectorError('server_error', `injected 503 on ${operation}`, { status: 503 });
    case 'auth_expired':
      return new ConnectorError('auth_expired', `injected expired token on ${operation}`, {
        status: 401,
      });
    case 'timeout':
      return new ConnectorError('timeout', `injected timeout on ${operation}`);
    default: {
      const unreachable: never = fault.kind;
      return unreachable;
    }
  }
}

export class MemoryFaults {
  private callFaults: CallFault[] = [];
  private rejections: RecordRejection[] = [];
  private itemRejections: ItemRejection[] = [];
  private failuresAfter: Record<ApplyingOperation, number> = { write: 0, append: 0, members: 0 };
  private tokenExpired = false;

  /** The next `count` calls (of `operation`, or any) fail with `kind` before the vendor acts. */
  failNextCalls(kind: FaultKind, count = 1, options: FaultOptions = {}): void {
    this.callFaults.push({
      kind,
      remaining: count,
      retryAfterMs: options.retryAfterMs,
      operation: options.operation ?? 'any',
      skip: options.after ?? 0,
    });
  }

  /** Every call fails with `auth_expired` until the connector refreshes its token. */
  expireToken(): void {
    this.tokenExpired = true;
  }

  /** Operations for which `predicate` returns an error fail alone; returns a function that stops it. */
  rejectRecords(predicate: RecordRejection): () => void {
    this.rejections.push(predicate);
    return () => {
      this.rejections = this.rejections.filter((candidate) => candidate !== predicate);
    };
  }

  /** Events or members for which `predicate` returns an error fail alone; returns a function that stops it. */
  rejectItems(predicate: ItemRejection): () => void {
    this.itemRejections.push(predicate);
    return () => {
      this.itemRejections = this.itemRejections.filter((candidate) => candidate !== predicate);
    };
  }

  /** The next `count` write calls are applied, then throw ConnectorError('network'). */
  failAfterNextWrite(count = 1): void {
    this.failAfterNext('write', count);
  }

  /**
   * The next `count` calls of `operation` are applied, then throw ConnectorError('network'): the
   * answer is lost, as when a worker dies between a send and its acknowledgement.
   */
  failAfterNext(operation: ApplyingOperation, count = 1): void {
    this.failuresAfter[operation] += count;
  }

  reset(): void {
    this.callFaults = [];
    this.rejections = [];
    this.itemRejections = [];
    this.failuresAfter = { write: 0, append: 0, members: 0 };
    this.tokenExpired = false;
  }

  /** Throws the fault due for this call, if any (consumes it). */
  checkCall(operation: MemoryOperation): void {
    if (this.tokenExpired) {
      throw new ConnectorError('auth_expired', `token expired (${operation})`, { status: 401 });
    }
    const fault = this.callFaults.find(
      (candidate) =>
        candidate.remaining > 0 &&
        (candidate.operation === 'any' || candidate.operation === operation),
    );
    if (fault === undefined) return;
    if (fault.skip > 0) {
      fault.skip--;
      return;
    }
    fault.remaining--;
    if (fault.remaining === 0)
      this.callFaults = this.callFaults.filter((candidate) => candidate !== fault);
    throw errorFor(fault, operation);
  }

  rejectionFor(
    operation: WriteOperation,
    context: { object: string; mode: WriteMode },
  ): WriteError | undefined {
    for (const predicate of this.rejections) {
      const error = predicate(operation, context);
      if (error !== undefined) return error;
    }
    return undefined;
  }

  itemRejectionFor(
    key: string,
    context: { operation: 'append' | 'add' | 'remove'; object: string },
  ): WriteError | undefined {
    for (const predicate of this.itemRejections) {
      const error = predicate(key, context);
      if (error !== undefined) return error;
    }
    return undefined;
  }

  /** Whether the call of `operation` just applied must now fail (consumes one). */
  takeFailureAfter(operation: ApplyingOperation): boolean {
    if (this.failuresAfter[operation] === 0) return false;
    this.failuresAfter[operation]--;
    return true;
  }

  /** A refresh cures an expired token. */
  refreshed(): void {
    this.tokenExpired = false;
  }
}
