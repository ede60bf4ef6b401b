/**
 * What a destination connector's test gives the contract kit's event and audience suites: the
 * connector on its emulator, what the vendor holds, and fault injection.
 */
import type {
  AudienceDestinationCapability,
  ConnectorCore,
  EventDestinationCapability,
  Fields,
  Identifiers,
} from '../contract';
import type { ErrorCode } from '../errors';

/** Faults that prove the vendor did nothing, so any call may be repeated. */
export type TransientFault = 'rate_limited' | 'server_error';

export interface HeldEvent {
  occurredAt: string;
  identifiers: Identifiers;
  fields: Fields;
}

export interface EventHarness {
  connector: ConnectorCore & EventDestinationCapability;
  /** The event type or conversion action the kit appends to. */
  object: string;
  /** Fields every test event carries (a value, a currency). */
  eventFields: Fields;
  /**
   * The vendor drops an event it has without saying so (Meta's Conversions API): a resent event
   * is answered `sent`, not `duplicate`, and is still held once.
   */
  dedupesSilently?: boolean;
  /** The events the vendor holds, by key. */
  heldEvents(): Promise<Map<string, HeldEvent>>;
  /** The next call fails with `kind`, once, before the vendor acts. */
  injectFault(kind: TransientFault): Promise<void>;
  /** The vendor refuses events this predicate matches; returns the code and retryability to expect. */
  rejectEvents(
    predicate: (key: string) => boolean,
  ): Promise<{ code: ErrorCode; retryable: boolean }>;
  close(): Promise<void>;
}

export interface AudienceHarness {
  connector: ConnectorCore & AudienceDestinationCapability;
  /** An audience the kit may change. */
  writable: string;
  /** An audience the vendor does not let anyone change (a dynamic list), where it has one. */
  readOnly?: string;
  /** The members of `audience` as the vendor holds them: their identifiers, by member key. */
  heldMembers(audience: string): Promise<Map<string, Identifiers>>;
  injectFault(kind: TransientFault): Promise<void>;
  /** Lets the vendor's processing time pass (a job moves on), where it has membership jobs. */
  passJobTime?(): Promise<void>;
  close(): Promise<void>;
}

export interface Slot<H> {
  readonly current: H;
}
