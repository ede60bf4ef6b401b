/**
 * A sync definition prepared for a run: effective flow of each mapping, transforms compiled once
 * (JSONata parsed once per run), the fields to read per side.
 */
import type { FieldValue, SourceCapability } from '../../connectors/sdk/contract';
import type { ConflictPolicy, FieldMapping, Side, SyncDefinition } from './definition';
import { DEFAULT_MAX_ATTEMPTS } from './definition';
import { type CompiledTransform, compileTransform, inverseSteps } from './transforms';

export interface CompiledMapping {
  index: number;
  left: string;
  right: string;
  /** Whether changes flow from left to right, given the mapping's and the sync's direction. */
  toRightEnabled: boolean;
  toLeftEnabled: boolean;
  toRight: CompiledTransform;
  toLeft: CompiledTransform;
  policy: ConflictPolicy;
  /** The values that mean the person opted out, per side (for `unsubscribe_wins`). */
  optOut: Record<Side, readonly FieldValue[]>;
  skipNulls: boolean;
  fillEmptyOnly: boolean;
}

export interface CompiledSync {
  definition: SyncDefinition;
  /** Mappings through which something can flow (direction `none` left out). */
  mappings: CompiledMapping[];
  /** Fields to ask each side for: mapped fields, the match field, filter fields. */
  readFields: Record<Side, string[]>;
  /** Sides whose changes are read, in processing order. */
  sourceSides: Side[];
  maxAttempts: number;
}

export function fieldOn(mapping: { left: string; right: string }, side: Side): string {
  return side === 'left' ? mapping.left : mapping.right;
}

/** Whether a mapping carries changes from `from` to the other side. */
export function flowsFrom(mapping: CompiledMapping, from: Side): boolean {
  return from === 'left' ? mapping.toRightEnabled : mapping.toLeftEnabled;
}

export function transformFrom(mapping: CompiledMapping, from: Side): CompiledTransform {
  return from === 'left' ? mapping.toRight : mapping.toLeft;
}

function flows(
  definition: SyncDefinition,
  mapping: FieldMapping,
): { toRight: boolean; toLeft: boolean } {
  const toRight = mapping.direction === 'both' || mapping.direction === 'left_to_right';
  const toLeft = mapping.direction === 'both' || mapping.direction === 'right_to_left';
  switch (definition.direction) {
    case 'left_to_right':
      return { toRight, toLeft: false };
    case 'right_to_left':
      return { toRight: false, toLeft };
    case 'bidirectional':
      return { toRight, toLeft };
    default: {
      const unreachable: never = definition.direction;
      return unreachable;
    }
  }
}

export function sourceSidesOf(definition: SyncDefinition): Side[] {
  switch (definition.direction) {
    case 'left_to_right':
      return ['left'];
    case 'right_to_left':
      return ['right'];
    case 'bidirectional':
      return ['left', 'right'];
    default: {
      const unreachable: never = definition.direction;
      return unreachable;
    }
  }
}

/**
 * Where `field` of a side is an email subscription status, the values that mean the person opted
 * out, as that side's connector declares them.
 */
export type OptOutLookup = (side: Side, field: string) => readonly FieldValue[] | undefined;

/** The lookup of a pair of connections, each asked about its side's object. */
export function optOutLookup(
  connectors: Record<Side, Pick<SourceCapability, 'optOutValues'>>,
  objects: Record<Side, string>,
): OptOutLookup {
  return (side, field) => connectors[side].optOutValues?.(objects[side], field);
}

/**
 * A mapping's policy and opt-out values. One that names no policy, between two fields that each
 * hold a subscription status (opt-out values given in the mapping or declared by the connector),
 * is synced under `unsubscribe_wins`: an unsubscribe is never undone by a sync, whatever the
 * sync's default policy.
 */
function policyOf(
  definition: SyncDefinition,
  mapping: FieldMapping,
  optOutOf: OptOutLookup | undefined,
): Pick<CompiledMapping, 'policy' | 'optOut'> {
  const given = { left: mapping.optOut?.left ?? [], right: mapping.optOut?.right ?? [] };
  if (mapping.policy !== undefined) return { policy: mapping.policy, optOut: given };
  const left = given.left.length > 0 ? given.left : (optOutOf?.('left', mapping.left) ?? []);
  const right = given.right.length > 0 ? given.right : (optOutOf?.('right', mapping.right) ?? []);
  if (left.length > 0 && right.length > 0)
    return { policy: 'unsubscribe_wins', optOut: { left, right } };
  return { policy: definition.defaultPolicy, optOut: given };
}

/** A two-way field given one way only gets the inverse steps the other way. */
function compileMapping(
  definition: SyncDefinition,
  mapping: FieldMapping,
  index: number,
  optOutOf: OptOutLookup | undefined,
): CompiledMapping {
  const { toRight, toLeft } = flows(definition, mapping);
  let leftToRight = mapping.transforms?.leftToRight;
  let rightToLeft = mapping.transforms?.rightToLeft;
  if (mapping.direction === 'both') {
    if (rightToLeft === undefined && leftToRight !== undefined)
      rightToLeft = inverseSteps(leftToRight);
    else if (leftToRight === undefined && rightToLeft !== undefined)
      leftToRight = inverseSteps(rightToLeft);
  }
  return {
    index,
    left: mapping.left,
    right: mapping.right,
    toRightEnabled: toRight,
    toLeftEnabled: toLeft,
    toRight: compileTransform(
      toRight ? leftToRight : undefined,
      `mappings[${String(index)}].transforms.leftToRight`,
    ),
    toLeft: compileTransform(
      toLeft ? rightToLeft : undefined,
      `mappings[${String(index)}].transforms.rightToLeft`,
    ),
    ...policyOf(definition, mapping, optOutOf),
    skipNulls: mapping.skipNulls ?? false,
    fillEmptyOnly: mapping.fillEmptyOnly ?? false,
  };
}

/** `optOutOf`: the connections' subscription fields, for the policy of mappings naming none. */
export function compileSync(definition: SyncDefinition, optOutOf?: OptOutLookup): CompiledSync {
  const mappings = definition.mappings
    .map((mapping, index) => compileMapping(definition, mapping, index, optOutOf))
    .filter((mapping) => mapping.toRightEnabled || mapping.toLeftEnabled);
  const readFields = (side: Side): string[] => {
    const names = new Set<string>(mappings.map((mapping) => fieldOn(mapping, side)));
    names.add(fieldOn(definition.match, side));
    for (const condition of definition[side].filter?.conditions ?? []) names.add(condition.field);
    return [...names];
  };
  return {
    definition,
    mappings,
    readFields: { left: readFields('left'), right: readFields('right') },
    sourceSides: sourceSidesOf(definition),
    maxAttempts: definition.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
  };
}
