/** The REST API's shapes the console reads (see the OpenAPI document at /api/docs-json). */
// The server's own definitions, so the two cannot drift (type-only or dependency-free modules).
import type { Permission, Role } from '../../src/auth/roles';
import type { RecordAction, RunCounters, RunStatus } from '../../src/engine/ports';
export type { Permission, RecordAction, Role, RunCounters, RunStatus };
export { RECORD_ACTIONS } from '../../src/engine/ports';
export type { RecordLinks } from '../../connectors/sdk/record-links';
import type { RecordLinks } from '../../connectors/sdk/record-links';
export { ERROR_CODES } from '../../connectors/sdk/errors';

export interface Me {
  name: string;
  role: Role;
  permissions: Permission[];
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

// A sync, its sides, mappings and filters: the sync definition's one schema.
export type {
  FieldMapping,
  FilterCondition,
  FilterGroup,
  Sync,
  Transform as TransformStep,
} from '../../src/sync-definition/schema';
export type SyncSide = import('../../src/sync-definition/schema').Sync['left'];
export type HealthStatus = import('../../src/sync-definition/schema').Sync['health']['status'];

export interface Run {
  id: string;
  syncId: string;
  trigger: 'manual' | 'schedule' | 'webhook' | 'retry';
  status: RunStatus;
  counters: RunCounters;
  startedAt: string;
  finishedAt: string | null;
  error: string | null;
  workerId: string | null;
  takeovers: number;
  /** Asked for as a full refresh (the whole sources read). */
  fullRefresh: boolean;
}

export interface Connection {
  id: string;
  name: string;
  kind: string;
  /** The vendor's name ("HubSpot"): what the console calls a sync's side. */
  vendor: string;
  /** Where records are in the vendor's UI; null when not known. */
  recordLinks: RecordLinks | null;
  sandbox: boolean;
  dailyCallBudget: number | null;
  budgetThreshold: number;
}

export interface ApiUsage {
  connectionId: string;
  since: string;
  calls: number;
  budget: number | null;
  remaining: number | null;
  used: number | null;
  threshold: number;
  pastThreshold: boolean;
}

export interface ApiErrorBody {
  error: { code: string; message: string; details: Array<{ path: string; problem: string }> };
}

export function isActive(status: RunStatus): boolean {
  return status === 'queued' || status === 'running';
}

/** A field's value as the API gives it. */
export type FieldValue = string | number | boolean | string[] | null;

export type ConflictStatus = 'open' | 'resolved' | 'applied';

export interface Conflict {
  id: string;
  syncId: string;
  leftId: string;
  rightId: string;
  leftField: string;
  rightField: string;
  leftValue: FieldValue;
  rightValue: FieldValue;
  status: ConflictStatus;
  resolution: { side?: 'left' | 'right'; value?: FieldValue } | null;
  createdAt: string;
  resolvedAt: string | null;
  appliedAt: string | null;
  /** Why the conflict is open again (its field changed after it was raised); null otherwise. */
  note: string | null;
  /** The vendor refused the resolution's write at the last run (resolved only); null otherwise. */
  writeFailure: { code: string; message: string; at: string } | null;
}

export interface CheckResult {
  ok: boolean;
  account?: string;
  code?: string;
  reason?: string;
}

export interface SyncPreview {
  problems: Array<{ path: string; problem: string }>;
  read: number;
  creates: Array<{ side: 'left' | 'right'; sourceId: string; fields: Record<string, FieldValue> }>;
  updates: Array<{
    side: 'left' | 'right';
    id: string;
    sourceId: string;
    newLink: boolean;
    changes: Array<{ field: string; from: FieldValue; to: FieldValue }>;
  }>;
  conflicts: Array<{
    leftId: string;
    rightId: string;
    leftField: string;
    rightField: string;
    leftValue: FieldValue;
    rightValue: FieldValue;
  }>;
  skipped: Array<{ side: 'left' | 'right'; id: string; action: string; message: string }>;
  unchanged: number;
}

/** One line of a sync log. */
export interface RecordEvent {
  id: string;
  runId: string;
  syncId: string;
  side: 'left' | 'right';
  leftId: string | null;
  rightId: string | null;
  action: RecordAction;
  fields: string[];
  errorCode: string | null;
  message: string | null;
  at: string;
  /** The fields it wrote (or tried to), each with its value before (null for a create) and after. */
  changes: Array<{ field: string; from: FieldValue; to: FieldValue }> | null;
}

export interface FailedRecord {
  syncId: string;
  side: 'left' | 'right';
  recordId: string;
  operation: 'change' | 'delete';
  attempts: number;
  nextAttemptAt: string;
  errorCode: string;
  message: string;
  dead: boolean;
  firstFailedAt: string;
  lastFailedAt: string;
}

export interface RetryResult {
  retried: number;
  run: Run | null;
}

/** A linked record found by its email (GET /records?email=). */
export interface RecordMatch {
  syncId: string;
  syncName: string;
  leftId: string | null;
  rightId: string | null;
}
