/**
 * What a change did to a sync's definition, as `syncline plan` shows it (src/sync-config/diff.ts):
 * kept in the audit log with each `sync.updated`, for the console's version history. Connections
 * are named by id (the console names them).
 */
import { differences, type Difference } from '../sync-config/diff';
import { specFromServer, type ServerSync } from '../sync-config/spec';

const BY_ID = new Map<string, string>();

export function definitionChanges(before: ServerSync, after: ServerSync): Difference[] {
  return differences(specFromServer(before, BY_ID), specFromServer(after, BY_ID));
}
