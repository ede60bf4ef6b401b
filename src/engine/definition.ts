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

/** A side as a definition gives it: its object, write mode and filter (the connection is the run's). */
export type DefinitionSide = Omit<SyncBody['left'], 'connectionId'>;

/** A side of a records sync: its write mode is required. */
export type SyncSide = DefinitionSide & Required<Pick<DefinitionSide, 'writeMode'>>;

/**
 * A definition of any kind as stored: the API's body (src/sync-definition/schema.ts) with the
 * defaults of its policies applied and its connections left out. `validateSyncDefinition` says
 * what its kind needs of it.
 */
export interface AnySyncDefinition
  extends
    Omit<SyncBody, 'kind' | 'left' | 'right' | 'defaultPolicy' | 'tieBreaker' | 'deletePolicy'>,
    Required<Pick<SyncBody, 'defaultPolicy' | 'tieBreaker' | 'deletePolicy'>> {
  id: string;
  /** Absent in definitions stored before kinds existed: records. */
  kind?: SyncKind;
  left: DefinitionSide;
  right: DefinitionSide;
}

/** The definition of a records sync, as the record engine runs it: what that kind needs is there. */
export interface SyncDefinition
  extends
    Omit<AnySyncDefinition, 'direction' | 'match' | 'left' | 'right'>,
    Required<Pick<SyncBody, 'direction' | 'match'>> {
  left: SyncSide;
  right: SyncSide;
}

/** The kind of a definition (those stored before kinds existed are records syncs). */
export function kindOf(definition: Pick<AnySyncDefinition, 'kind'>): SyncKind {
  return definition.kind ?? DEFINITION_DEFAULTS.kind;
}

/** The definition as a records sync, or undefined when it is another kind or lacks what one needs. */
export function asRecordsSync(definition: AnySyncDefinition): SyncDefinition | undefined {
  const { direction, match, left, right } = definition;
  if (kindOf(definition) !== 'records' || direction === undefined || match === undefined)
    return undefined;
  if (left.writeMode === undefined || right.writeMode === undefined) return undefined;
  return {
    ...definition,
    direction,
    match,
    left: { ...left, writeMode: left.writeMode },
    right: { ...right, writeMode: right.writeMode },
  };
}

/** A definition as the API or a file gives it: its sides name their connection their own way. */
export type DefinitionInput = Omit<SyncBody, 'left' | 'right'> & {
  left: DefinitionSide;
  right: DefinitionSide;
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
export function definitionFrom(id: string, input: DefinitionInput): AnySyncDefinition {
  const body = picked(input, DEFINITION_KEYS) as DefinitionInput;
  return {
    ...body,
    id,
    kind: body.kind ?? DEFINITION_DEFAULTS.kind,
    left: picked(body.left, SIDE_KEYS) as DefinitionSide,
    right: picked(body.right, SIDE_KEYS) as DefinitionSide,
    defaultPolicy: body.defaultPolicy ?? DEFINITION_DEFAULTS.defaultPolicy,
    tieBreaker: body.tieBreaker ?? DEFINITION_DEFAULTS.tieBreaker,
    deletePolicy: body.deletePolicy ?? DEFINITION_DEFAULTS.deletePolicy,
  };
}

export function otherSide(side: Side): Side {
  return side === 'left' ? 'right' : 'left';
}
