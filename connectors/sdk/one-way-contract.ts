/**
 * The connector contract's one-way destinations (contract.ts re-exports this file): identifiers
 * and consent of a person, events to send, audiences to keep.
 */
import type { Fields, WriteError } from './records-contract';
/**
 * Identifier types an event or an audience member may carry. `vendor_id` is the destination's own
 * id of the person (a click id, a lead id).
 */
export type IdentifierType =
  'email' | 'phone' | 'first_name' | 'last_name' | 'zip' | 'country' | 'vendor_id';

/**
 * How a value is normalised before it is hashed or sent (connectors/sdk/identifiers.ts):
 * - `email`: trimmed, lower-cased;
 * - `email_google`: as `email`, and the dots before the @ of gmail.com and googlemail.com
 *   addresses removed (Google's rule; Meta and LinkedIn keep them);
 * - `phone`: E.164 with its `+` (a number written without a country takes the connection's
 *   default country; with neither, the identifier is left out);
 * - `phone_digits`: E.164's digits without the `+` (Meta's form);
 * - `name`: trimmed, lower-cased, letters of any script kept;
 * - `name_letters`: as `name`, without punctuation or symbols (Meta's form);
 * - `zip`: trimmed, lower-cased, without spaces or dashes;
 * - `country`: ISO 3166-1 alpha-2, lower-cased (`United States` and `USA` are not guessed);
 * - `none`: as given.
 */
export type IdentifierNormalizer =
  | 'email'
  | 'email_google'
  | 'phone'
  | 'phone_digits'
  | 'name'
  | 'name_letters'
  | 'zip'
  | 'country'
  | 'none';

/** How an identifier must be prepared before it leaves Syncline (the vendor's documented rules). */
export interface IdentifierRule {
  type: IdentifierType;
  normalize: IdentifierNormalizer;
  /** `sha256`: the normalised value is sent as its lower-case hex SHA-256, never in clear. */
  hash: 'sha256' | 'none';
  /** Where the rule comes from (vendor documentation page). */
  source: string;
}

export type Identifiers = Partial<Record<IdentifierType, string>>;

/** A consent signal as a person gave it, or `unspecified` when the source holds none. */
export type ConsentState = 'granted' | 'denied' | 'unspecified';

/**
 * A consent signal a destination takes with events or members (Google's ad_user_data and
 * ad_personalization, Meta's data processing options), and whether it refuses a person without it.
 */
export interface ConsentRule {
  name: string;
  /** When true, a person whose signal is not `granted` is not sent (logged as no_consent). */
  required: boolean;
  /** Where the rule comes from (vendor documentation page). */
  source: string;
}

/** One event to append: a conversion, an activity. */
export interface ConnectorEvent {
  /** Stable across re-reads, retries and takeovers; the vendor's dedup key where it has one. */
  key: string;
  /** ISO 8601 UTC. */
  occurredAt: string;
  /**
   * Who it is about, as read; the SDK normalises and hashes them by the destination's rules before
   * the connector sees them, and leaves out those it does not accept.
   */
  identifiers: Identifiers;
  /**
   * The identifiers were already prepared by the destination's rules (`prepareIdentifiers` with its
   * `identifiers`), as the engine does so that it only ever keeps the prepared form; the SDK then
   * sends them as they are.
   */
  prepared?: boolean;
  /** The consent signals the destination takes, by its names. */
  consent?: Record<string, ConsentState>;
  fields: Fields;
}

export interface AppendRequest {
  /** The event type or conversion action. */
  object: string;
  events: ConnectorEvent[];
}

/** One result per event, in order: `duplicate` when the vendor already had that key. */
export type EventResult =
  | { key: string; status: 'sent' | 'duplicate' }
  | { key: string; status: 'failed'; error: WriteError };

/** events: append events, each exactly once by its key; no record id comes back. */
export interface EventDestinationCapability {
  /** The identifier types the vendor matches events on, and how each must be prepared. */
  readonly identifiers: readonly IdentifierRule[];
  /** The country of phone numbers written without one (ISO 3166-1 alpha-2), if the connection has one. */
  readonly defaultCountry?: string;
  /** The consent signals it takes with each event; absent: none. */
  readonly consent?: readonly ConsentRule[];
  /**
   * The oldest event the vendor accepts, as an age in ms (Meta: 7 days); older events are not sent
   * and are logged as too_old. Absent: any age.
   */
  readonly maxEventAgeMs?: number;
  /** One result per event, in order. Throws only when the whole call failed. */
  append(request: AppendRequest): Promise<EventResult[]>;
}

export interface AudienceDescriptor {
  id: string;
  name: string;
  /** Whether Syncline may change its members (a vendor's dynamic list is not). */
  writable: boolean;
  /** Why not, when it is not. */
  reason?: string;
}

/**
 * A person in an audience: a stable key (the source record) and the identifiers the vendor matches
 * on, as read (the SDK prepares them as for events).
 */
export interface AudienceMember {
  key: string;
  identifiers: Identifiers;
  /** As for events: the identifiers were already prepared by the destination's rules. */
  prepared?: boolean;
  /** The consent signals the destination takes, by its names. */
  consent?: Record<string, ConsentState>;
}

export interface MembershipChange {
  audience: string;
  add: AudienceMember[];
  remove: AudienceMember[];
}

export interface MembershipReplacement {
  audience: string;
  members: AudienceMember[];
}

/** One result per member, adds then removes, in order. */
export type MemberResult =
  | { key: string; status: 'added' | 'removed' | 'skipped' }
  | { key: string; status: 'failed'; error: WriteError };

/** A vendor job that changes an audience's members, as a run journals it (flat, JSON). */
export interface MembershipJobTicket {
  id: string;
  audience: string;
  /** Anything else the connector needs to poll the job after a restart. */
  state: Record<string, string | number | boolean | null>;
}

/** A membership job's state; `summary` is the vendor's word on a job that ended (a match rate). */
export type MembershipJobState =
  | { status: 'running' }
  | { status: 'done'; summary?: string }
  | { status: 'failed'; reason: string };

/**
 * Member changes through a vendor job the vendor processes for minutes or hours (Google's offline
 * user data jobs): a run opens one job, adds every change it asks for, starts it and ends; a later
 * run polls it and settles the changes by its outcome, so no run holds its lease while the vendor
 * works. Nothing reaches the audience before `start`, and a job never started is left to expire.
 */
export interface MembershipJobs {
  /** How long a job usually takes to start being worth polling (the next run's delay). */
  readonly pollIntervalMs: number;
  open(audience: string): Promise<MembershipJobTicket>;
  /**
   * Adds changes to an open job: one result per member, adds then removes; `added` / `removed`
   * mean taken into the job (applied when it succeeds), `failed` refused now.
   */
  add(ticket: MembershipJobTicket, change: MembershipChange): Promise<MemberResult[]>;
  /** Starts the job; it takes no more changes. */
  start(ticket: MembershipJobTicket): Promise<void>;
  poll(ticket: MembershipJobTicket): Promise<MembershipJobState>;
}

/** audiences: keep the members of lists, segments, custom audiences. */
export interface AudienceDestinationCapability {
  /** The identifier types the vendor matches members on, and how each must be prepared. */
  readonly identifiers: readonly IdentifierRule[];
  /** The country of phone numbers written without one (ISO 3166-1 alpha-2), if the connection has one. */
  readonly defaultCountry?: string;
  /** The consent signals it takes with each member; absent: none. */
  readonly consent?: readonly ConsentRule[];
  audiences(): Promise<AudienceDescriptor[]>;
  changeMembers(request: MembershipChange): Promise<MemberResult[]>;
  /** A full refresh: afterwards the audience holds exactly `members`. */
  replaceMembers?(request: MembershipReplacement): Promise<MemberResult[]>;
  /**
   * The audience's members as the vendor holds them, page by page, where the vendor lists them
   * (a list's or tag's members): each with its identifiers in the prepared form it was sent in,
   * and the key it was added with where the vendor keeps one. A full refresh compares them with
   * what Syncline pushed, to put back who went missing and take out who should not be there.
   */
  readMembers?(audience: string): AsyncIterable<AudienceMember[]>;
  /** Where the vendor changes members through jobs: a run's changes go into one, collected later. */
  readonly membershipJobs?: MembershipJobs;
}
