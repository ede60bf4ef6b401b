/** The REST API's shapes the console reads (see the OpenAPI document at /api/docs-json). */

export type Permission =
  'read' | 'runs:read' | 'runs:trigger' | 'config:write' | 'credentials:write' | 'keys:manage';

export interface Me {
  name: string;
  role: 'admin' | 'editor' | 'viewer' | 'service';
  permissions: Permission[];
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface FilterCondition {
  field: string;
  op: string;
  value?: string | number | boolean | null | string[];
}

export interface FilterGroup {
  combine: 'all' | 'any';
  conditions: FilterCondition[];
}

export interface SyncSide {
  connectionId: string;
  object: string;
  writeMode: string;
  filter?: FilterGroup;
}

export type TransformStep = Record<string, unknown> & { kind?: unknown };

export interface FieldMapping {
  left: string;
  right: string;
  direction: 'both' | 'left_to_right' | 'right_to_left' | 'none';
  transforms?: { leftToRight?: TransformStep[]; rightToLeft?: TransformStep[] };
  skipNulls?: boolean;
  fillEmptyOnly?: boolean;
  policy?: string;
}

export type HealthStatus = 'healthy' | 'failing' | 'unhealthy';

export interface Sync {
  id: string;
  name: string;
  enabled: boolean;
  version: number;
  left: SyncSide;
  right: SyncSide;
  direction: 'left_to_right' | 'right_to_left' | 'bidirectional';
  match: { left: string; right: string; normalizer: string };
  mappings: FieldMapping[];
  defaultPolicy?: string;
  tieBreaker?: string;
  deletePolicy?: string;
  overlapMs?: number;
  maxAttempts?: number;
  schedule: { cron?: string; timezone?: string; intervalSeconds?: number } | null;
  nextRunAt: string | null;
  alerts: { webhookUrl: string; failedRecordRate?: number } | null;
  health: { status: HealthStatus; consecutiveFailures: number; retryAt: string | null };
  createdAt: string;
  updatedAt: string;
}

export type RunStatus = 'queued' | 'running' | 'succeeded' | 'partial' | 'failed' | 'cancelled';

export interface RunCounters {
  read: number;
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  deleted: number;
  conflicts: number;
  failed: number;
  apiCalls: { left: number; right: number };
}

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
}

export interface Connection {
  id: string;
  name: string;
  kind: string;
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
