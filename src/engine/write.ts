/**
 * Batch writes (DESIGN.md step 6): operations per target side and mode, in batches up to the
 * vendor's limit. A bad record fails alone (its WriteResult); a thrown error fails the whole call.
 */
import type {
  Connector,
  WriteMode,
  WriteOperation,
  WriteResult,
} from '../../connectors/sdk/contract';
import type { Side } from './definition';

export interface PendingWrite {
  side: Side;
  mode: WriteMode;
  matchField?: string;
  operation: WriteOperation;
  /** Filled by executeWrites. */
  result?: WriteResult;
}

export class CancelledError extends Error {
  override readonly name = 'CancelledError';
}

function groupKey(write: PendingWrite): string {
  return `${write.side}\u0000${write.mode}\u0000${write.matchField ?? ''}`;
}

export function batchSize(connector: Connector, mode: WriteMode): number {
  const limit = connector.limits.maxBatch[mode];
  return limit === undefined || limit < 1 ? 1 : limit;
}

/** Runs the writes, filling in each one's result; checks for cancellation between batches. */
export async function executeWrites(
  connectors: Record<Side, Connector>,
  objects: Record<Side, string>,
  writes: readonly PendingWrite[],
  signal?: AbortSignal,
): Promise<number> {
  const groups = new Map<string, PendingWrite[]>();
  for (const write of writes) {
    const key = groupKey(write);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [write]);
    else group.push(write);
  }
  let calls = 0;
  for (const group of groups.values()) {
    const first = group[0];
    const connector = connectors[first.side];
    const size = batchSize(connector, first.mode);
    for (let start = 0; start < group.length; start += size) {
      if (signal?.aborted === true) throw new CancelledError('run cancelled');
      const batch = group.slice(start, start + size);
      const results = await connector.write({
        object: objects[first.side],
        mode: first.mode,
        ...(first.matchField === undefined ? {} : { matchField: first.matchField }),
        operations: batch.map((write) => write.operation),
      });
      calls++;
      batch.forEach((write, index) => {
        write.result = results[index] ?? {
          status: 'failed',
          error: {
            code: 'unknown',
            message: 'the connector returned no result for this operation',
            retryable: true,
          },
        };
      });
    }
  }
  return calls;
}
