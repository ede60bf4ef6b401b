/**
 * The rows the engine's store reads, and how each becomes the engine's value (ISO strings for
 * timestamps).
 */
import type { Checkpoint, FieldValue, Fields, JobTicket } from '../../connectors/sdk/contract';
import type { ErrorCode } from '../../connectors/sdk/errors';
import type { Side } from '../engine/definition';
import type {
  Conflict,
  ConflictResolution,
  FailedRecord,
  LedgerEvent,
  LedgerMember,
  RecordLink,
  IntendedWrite,
  WriteIntent,
} from '../engine/ports';
import { iso, isoOrNull } from './sql';

export interface LinkRow {
  left_id: string;
  right_id: string;
  snapshot: { left: Fields; right: Fields };
  left_updated_at: Date | null;
  right_updated_at: Date | null;
}

export interface CursorRow {
  since: Date | null;
  last_id: string | null;
  checkpoint: Checkpoint | null;
  deleted_since: Date | null;
  read_started_at: Date | null;
}

export interface IntentRow {
  id: string;
  sync_id: string;
  run_id: string;
  side: Side;
  mode: WriteIntent['mode'];
  match_field: string | null;
  writes: IntendedWrite[];
  at: Date;
  job: JobTicket | null;
}

export interface FailedRow {
  sync_id: string;
  side: Side;
  record_id: string;
  attempts: number;
  next_attempt_at: Date;
  error_code: ErrorCode;
  message: string;
  dead: boolean;
  operation: 'change' | 'delete';
  first_failed_at: Date;
  last_failed_at: Date;
}

export interface ConflictRow {
  id: string;
  sync_id: string;
  left_id: string;
  right_id: string;
  left_field: string;
  right_field: string;
  left_value: FieldValue;
  right_value: FieldValue;
  status: Conflict['status'];
  resolution: ConflictResolution | null;
  created_at: Date;
}

export interface LedgerEventRow {
  sync_id: string;
  event_key: string;
  source_id: string;
  occurred_at: Date;
  status: LedgerEvent['status'];
  attempts: number;
  payload: LedgerEvent['payload'];
  error_code: ErrorCode | null;
  message: string | null;
  next_attempt_at: Date | null;
  acknowledged_at: Date | null;
  updated_at: Date;
}

export function ledgerEventOf(row: LedgerEventRow): LedgerEvent {
  return {
    syncId: row.sync_id,
    key: row.event_key,
    sourceId: row.source_id,
    occurredAt: iso(row.occurred_at),
    status: row.status,
    attempts: row.attempts,
    payload: row.payload,
    errorCode: row.error_code,
    message: row.message,
    nextAttemptAt: isoOrNull(row.next_attempt_at),
    acknowledgedAt: isoOrNull(row.acknowledged_at),
    updatedAt: iso(row.updated_at),
  };
}

export interface LedgerMemberRow {
  sync_id: string;
  audience: string;
  member_key: string;
  identifiers: LedgerMember['identifiers'];
  state: LedgerMember['state'];
  attempts: number;
  error_code: LedgerMember['errorCode'];
  message: string | null;
  next_attempt_at: Date | null;
  updated_at: Date;
}

export function ledgerMemberOf(row: LedgerMemberRow): LedgerMember {
  return {
    syncId: row.sync_id,
    audience: row.audience,
    key: row.member_key,
    identifiers: row.identifiers,
    state: row.state,
    attempts: row.attempts,
    errorCode: row.error_code,
    message: row.message,
    nextAttemptAt: isoOrNull(row.next_attempt_at),
    updatedAt: iso(row.updated_at),
  };
}

export function toLink(row: LinkRow): RecordLink {
  return {
    leftId: row.left_id,
    rightId: row.right_id,
    snapshot: row.snapshot,
    leftUpdatedAt: isoOrNull(row.left_updated_at),
    rightUpdatedAt: isoOrNull(row.right_updated_at),
  };
}

/** The column holding a side's record id (never interpolated from input). */
export function idColumn(side: Side): '"left_id"' | '"right_id"' {
  switch (side) {
    case 'left':
      return '"left_id"';
    case 'right':
      return '"right_id"';
    default: {
      const unexpected: never = side;
      throw new Error(`Unknown side ${String(unexpected)}`);
    }
  }
}

export function failedRecordOf(row: FailedRow): FailedRecord {
  return {
    syncId: row.sync_id,
    side: row.side,
    recordId: row.record_id,
    attempts: row.attempts,
    nextAttemptAt: iso(row.next_attempt_at),
    errorCode: row.error_code,
    message: row.message,
    dead: row.dead,
    operation: row.operation,
    firstFailedAt: iso(row.first_failed_at),
    lastFailedAt: iso(row.last_failed_at),
  };
}

export function conflictOf(row: ConflictRow): Conflict {
  return {
    id: row.id,
    syncId: row.sync_id,
    leftId: row.left_id,
    rightId: row.right_id,
    leftField: row.left_field,
    rightField: row.right_field,
    leftValue: row.left_value,
    rightValue: row.right_value,
    status: row.status,
    resolution: row.resolution,
    createdAt: iso(row.created_at),
  };
}

export function writeIntentOf(row: IntentRow): WriteIntent {
  return {
    id: row.id,
    syncId: row.sync_id,
    runId: row.run_id,
    side: row.side,
    mode: row.mode,
    matchField: row.match_field,
    writes: row.writes,
    at: iso(row.at),
    ...(row.job === null ? {} : { job: row.job }),
  };
}
