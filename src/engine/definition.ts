/**
 * A sync definition as the engine sees it (DESIGN.md, "Field mappings and policies").
 * Plain data: the API and the config files produce it; `validateSyncDefinition` checks it.
 */
import type { FieldValue, WriteMode } from '../../connectors/sdk/contract';

export type Side = 'left' | 'right';

export type SyncDirection = 'left_to_right' | 'right_to_left' | 'bidirectional';

export type FieldDirection = 'both' | 'left_to_right' | 'right_to_left' | 'none';

export type ConflictPolicy =
  | 'left_wins'
  | 'right_wins'
  | 'prefer_left_unless_blank'
  | 'prefer_right_unless_blank'
  | 'latest_wins'
  | 'manual';

export type DeletePolicy = 'ignore' | 'unlink' | 'propagate';

/** Write modes a sync may use toward a side (the other modes serve ad platforms). */
export type SyncWriteMode = Extract<WriteMode, 'upsert' | 'update' | 'create'>;

export type MatchNormalizer = 'email' | 'trim' | 'case_insensitive' | 'exact';

export type FormatFunction =
  'lowercase' | 'uppercase' | 'trim' | 'phone_e164' | 'country_iso2' | 'date' | 'datetime';

/** One step of a field's transform; steps of a direction apply in order. */
export type Transform =
  /** Picklist translation; two-way fields use the inverse map for the other direction. */
  | { kind: 'value_map'; map: Record<string, string>; default?: string | null }
  | { kind: 'constant'; value: FieldValue }
  /** `{{field}}` placeholders filled from the source record. */
  | { kind: 'template'; template: string }
  /** `format` is a date-fns-like pattern for `date` / `datetime`, or a default region for phones. */
  | { kind: 'format'; fn: FormatFunction; format?: string }
  /** JSONata over `{ value, record }`. */
  | { kind: 'jsonata'; expression: string };

export interface FieldMapping {
  /** Field name on the left object. */
  left: string;
  /** Field name on the right object. */
  right: string;
  direction: FieldDirection;
  transforms?: {
    leftToRight?: Transform[];
    rightToLeft?: Transform[];
  };
  /** Do not write a null over a value on the target. */
  skipNulls?: boolean;
  /** Write only where the target field is empty. */
  fillEmptyOnly?: boolean;
  /** Defaults to the sync's `defaultPolicy`. */
  policy?: ConflictPolicy;
}

export interface MatchRule {
  left: string;
  right: string;
  normalizer: MatchNormalizer;
}

export type FilterOperator =
  | 'eq'
  | 'neq'
  | 'in'
  | 'not_in'
  | 'contains'
  | 'exists'
  | 'not_exists'
  | 'gt'
  | 'gte'
  | 'lt'
  | 'lte';

export interface FilterCondition {
  field: string;
  op: FilterOperator;
  value?: FieldValue;
}

export interface FilterGroup {
  combine: 'all' | 'any';
  conditions: FilterCondition[];
}

export interface SyncSide {
  object: string;
  /** How records are written to this side. */
  writeMode: SyncWriteMode;
  filter?: FilterGroup;
}

export interface SyncDefinition {
  id: string;
  left: SyncSide;
  right: SyncSide;
  direction: SyncDirection;
  match: MatchRule;
  mappings: FieldMapping[];
  defaultPolicy: ConflictPolicy;
  /** Who wins a `latest_wins` tie. */
  tieBreaker: Side;
  deletePolicy: DeletePolicy;
  /** How far back an incremental read starts before the cursor, for late-indexed records. */
  overlapMs?: number;
  /** Attempts before a failed record is marked dead. */
  maxAttempts?: number;
}

export const DEFAULT_OVERLAP_MS = 5 * 60 * 1000;
export const DEFAULT_MAX_ATTEMPTS = 10;

export function otherSide(side: Side): Side {
  return side === 'left' ? 'right' : 'left';
}
