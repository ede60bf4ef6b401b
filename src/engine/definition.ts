/**
 * A sync definition as the engine sees it (DESIGN.md, "Field mappings and policies"), its types
 * derived from the definition's one schema. Plain data: the API and the config files produce it;
 * `validateSyncDefinition` checks it.
 */
import {
  DEFINITION_DEFAULTS,
  type Side,
  type SyncBody,
  type SyncKind,
  sideProperties,
  syncBodySchema,
} from '../sync-definition/schema';

export type {
  ConflictPolicy,
  DeletePolicy,
  FieldDirection,
  FieldMapping,
  FilterCondition,
  FilterGroup,
  FilterOperator,
  FormatFunction,
  MatchNormalizer,
  MatchRule,
  Side,
  SyncDirection,
  SyncKind,
  SyncWriteMode,
  Transform,
} from '../sync-definition/schema';
export { DEFAULT_MAX_ATTEMPTS, DEFAULT_OVERLAP_MS } from '../sync-definition/schema';

/** A side as the engine sees it: its object and write mode (the connection is the run's). */
export type SyncSide = Omit<SyncBody['left'], 'connectionId'>;

/**
 * The definition the engine runs: the API's body (src/sync-definition/schema.ts) with the
 * defaults of its policies applied and its connections left out.
 */
export interface SyncDefinition
  extends
    Omit<SyncBody, 'kind' | 'left' | 'right' | 'defaultPolicy' | 'tieBreaker' | 'deletePolicy'>,
    Required<Pick<SyncBody, 'defaultPolicy' | 'tieBreaker' | 'deletePolicy'>> {
  id: string;
  /** Absent in definitions stored before kinds existed: records. */
  kind?: SyncKind;
  left: SyncSide;
  right: SyncSide;
}

/** A definition as the API or a file gives it: its sides name their connection their own way. */
export type DefinitionInput = Omit<SyncBody, 'left' | 'right'> & {
  left: SyncSide;
  right: SyncSide;
};

function picked(value: object, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([key]) => keys.includes(key)));
}

const DEFINITION_KEYS = Object.keys(syncBodySchema.properties);
const SIDE_KEYS = Object.keys(sideProperties);

/**
 * The engine's definition of a sync from the API's body or a file: the keys the schema gives a
 * definition (a create's name or schedule are not), its sides without their connection, and the
 * defaults of its kind and policies applied.
 */
export function definitionFrom(id: string, input: DefinitionInput): SyncDefinition {
  const body = picked(input, DEFINITION_KEYS) as DefinitionInput;
  return {
    ...body,
    id,
    kind: body.kind ?? DEFINITION_DEFAULTS.kind,
    left: picked(body.left, SIDE_KEYS) as SyncSide,
    right: picked(body.right, SIDE_KEYS) as SyncSide,
    defaultPolicy: body.defaultPolicy ?? DEFINITION_DEFAULTS.defaultPolicy,
    tieBreaker: body.tieBreaker ?? DEFINITION_DEFAULTS.tieBreaker,
    deletePolicy: body.deletePolicy ?? DEFINITION_DEFAULTS.deletePolicy,
  };
}

export function otherSide(side: Side): Side {
  return side === 'left' ? 'right' : 'left';
}
