/**
 * The one-way kinds' ledgers, part of the engine's persistence port (ports.ts): the events an
 * events sync sent, the members an audience sync keeps.
 */
import type { ConsentState, Fields, Identifiers } from '../../connectors/sdk/contract';
import type { ErrorCode } from '../../connectors/sdk/errors';

/**
 * Where an event of an events sync stands. `pending`: sent with no answer yet (a run that finds
 * one sends it again under the same key); `failed`: refused for now, tried again from
 * `nextAttemptAt`; `dead`: refused for good or out of attempts. The others are settled for good.
 */
export const EVENT_STATUSES = [
  'pending',
  'sent',
  'duplicate',
  'too_old',
  'no_consent',
  'failed',
  'dead',
] as const;

export type EventStatus = (typeof EVENT_STATUSES)[number];

/** An event as sent: its identifiers already normalised and hashed, never the raw values. */
export interface PreparedEvent {
  occurredAt: string;
  identifiers: Identifiers;
  /** The destination's consent signals, by its names. */
  consent?: Record<string, ConsentState>;
  fields: Fields;
}

/** One event in a sync's ledger, by its key: what became of it at the destination. */
export interface LedgerEvent {
  syncId: string;
  key: string;
  /** The source record it came from. */
  sourceId: string;
  occurredAt: string;
  status: EventStatus;
  /** Sends so far (a resend of a pending event counts). */
  attempts: number;
  /** What to send again while it may be (pending, failed); null once settled. */
  payload: PreparedEvent | null;
  errorCode: ErrorCode | null;
  message: string | null;
  /** ISO; when a failed event may be sent again. */
  nextAttemptAt: string | null;
  /** ISO; when the destination took it (sent, duplicate). */
  acknowledgedAt: string | null;
  /** ISO. */
  updatedAt: string;
}

/**
 * Where a person stands in an audience of an audience sync. `pending_add` and `pending_remove`:
 * asked for with no answer yet, or refused for now (then `nextAttemptAt` says when to ask again);
 * `rejected`: an add the destination refused for good (asked again only when the record changes).
 */
export const MEMBER_STATES = [
  'pending_add',
  'member',
  'pending_remove',
  'removed',
  'rejected',
] as const;

export type MemberState = (typeof MEMBER_STATES)[number];

/**
 * Why a member's last change went as it did: the destination's error, a missing consent, or a
 * full refresh that found them in the audience and not in the source's set.
 */
export type MemberNote = ErrorCode | 'no_consent' | 'not_in_source';

/** One source record's membership of the sync's audience, as pushed. */
export interface LedgerMember {
  syncId: string;
  audience: string;
  /** The source record's id. */
  key: string;
  /** The prepared identifiers last pushed (hashes), so a removal names exactly what was added. */
  identifiers: Identifiers;
  state: MemberState;
  attempts: number;
  errorCode: MemberNote | null;
  message: string | null;
  /** ISO; when a refused change may be asked for again (null: at once). */
  nextAttemptAt: string | null;
  /** ISO. */
  updatedAt: string;
}
