/**
 * The words of a sync definition: its kinds, directions, policies, write modes, operators. Part of
 * the schema (schema.ts re-exports it). No imports: the console type-checks this file too.
 */
export const SYNC_KINDS = ['records', 'events', 'audience'] as const;
/**
 * Who an event or an audience member is, as a destination matches people (the connector contract's
 * IdentifierType): each taken from a source field, normalised and hashed by the destination's rules.
 */
export const IDENTIFIER_TYPES = [
  'email',
  'phone',
  'first_name',
  'last_name',
  'zip',
  'country',
  'vendor_id',
] as const;
export const SYNC_DIRECTIONS = ['left_to_right', 'right_to_left', 'bidirectional'] as const;
export const FIELD_DIRECTIONS = ['both', 'left_to_right', 'right_to_left', 'none'] as const;
export const CONFLICT_POLICIES = [
  'left_wins',
  'right_wins',
  'prefer_left_unless_blank',
  'prefer_right_unless_blank',
  'latest_wins',
  'manual',
  'unsubscribe_wins',
] as const;
export const DELETE_POLICIES = ['ignore', 'unlink', 'propagate'] as const;
/** Write modes a sync may use toward a side (the connectors' other modes serve other kinds). */
export const SYNC_WRITE_MODES = ['upsert', 'update', 'create'] as const;
/** `domain`: a company's web domain from a URL, a bare domain or an email, lower-cased, no `www.`. */
export const MATCH_NORMALIZERS = ['email', 'domain', 'trim', 'case_insensitive', 'exact'] as const;
export const FILTER_OPERATORS = [
  'eq',
  'neq',
  'in',
  'not_in',
  'contains',
  'exists',
  'not_exists',
  'gt',
  'gte',
  'lt',
  'lte',
] as const;
export const FORMAT_FUNCTIONS = [
  'lowercase',
  'uppercase',
  'trim',
  'phone_e164',
  'country_iso2',
  'date',
  'datetime',
] as const;
export const SIDES = ['left', 'right'] as const;

/** The defaults of a definition the engine cannot do without (the schema documents them too). */
export const DEFINITION_DEFAULTS = {
  kind: 'records',
  defaultPolicy: 'manual',
  tieBreaker: 'left',
  deletePolicy: 'ignore',
} as const;

export const DEFAULT_OVERLAP_MS = 5 * 60 * 1000;
export const DEFAULT_MAX_ATTEMPTS = 10;

export type SyncKind = (typeof SYNC_KINDS)[number];
export type IdentifierField = (typeof IDENTIFIER_TYPES)[number];
export type SyncDirection = (typeof SYNC_DIRECTIONS)[number];
export type FieldDirection = (typeof FIELD_DIRECTIONS)[number];
export type ConflictPolicy = (typeof CONFLICT_POLICIES)[number];
export type DeletePolicy = (typeof DELETE_POLICIES)[number];
export type SyncWriteMode = (typeof SYNC_WRITE_MODES)[number];
export type MatchNormalizer = (typeof MATCH_NORMALIZERS)[number];
export type FilterOperator = (typeof FILTER_OPERATORS)[number];
export type FormatFunction = (typeof FORMAT_FUNCTIONS)[number];
export type Side = (typeof SIDES)[number];
