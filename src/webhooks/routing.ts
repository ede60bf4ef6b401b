/**
 * Which syncs a webhook concerns: those that read a changed object from the connection it arrived
 * for. Pure; the service does the database work around it.
 */
import type { WebhookChange } from '../../connectors/sdk/contract';
import type { SyncDirection } from '../engine/definition';

/** What routing needs of a sync. */
export interface RoutableSync {
  id: string;
  leftConnectionId: string;
  rightConnectionId: string;
  direction: SyncDirection;
  leftObject: string;
  rightObject: string;
}

/** The (connection, object) pairs a sync reads: a side is read when data flows out of it. */
function readsOf(sync: RoutableSync): Array<{ connectionId: string; object: string }> {
  const left = { connectionId: sync.leftConnectionId, object: sync.leftObject };
  const right = { connectionId: sync.rightConnectionId, object: sync.rightObject };
  switch (sync.direction) {
    case 'left_to_right':
      return [left];
    case 'right_to_left':
      return [right];
    case 'bidirectional':
      return [left, right];
  }
}

/** The ids of the syncs that read one of the changed objects from `connectionId`. */
export function syncsReading(
  connectionId: string,
  changes: readonly WebhookChange[],
  syncs: readonly RoutableSync[],
): string[] {
  const objects = new Set(changes.map((change) => change.object));
  return syncs
    .filter((sync) =>
      readsOf(sync).some((read) => read.connectionId === connectionId && objects.has(read.object)),
    )
    .map((sync) => sync.id);
}
