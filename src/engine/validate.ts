/**
 * validateSyncDefinition: every mistake we can see before a run, with a path to it
 * (`mappings[2].transforms.leftToRight[0].expression`). With discover() results, also checks the
 * mapping against the vendors' objects: fields exist, targets are writable, types fit, picklist
 * values are allowed, required fields are covered for creates.
 */
import {
  DELETE_POLICIES,
  FIELD_DIRECTIONS,
  SIDES,
  SYNC_DIRECTIONS,
  SYNC_KINDS,
  SYNC_WRITE_MODES,
} from '../sync-definition/schema';
import type { ObjectDescriptor } from '../../connectors/sdk/contract';
import {
  type AnySyncDefinition,
  type FieldMapping,
  type FilterGroup,
  type Side,
  type SyncDirection,
  type Transform,
  asRecordsSync,
  kindOf,
} from './definition';
import { FORMAT_FUNCTIONS, isKnownRegion } from './format';
import { FILTER_OPERATORS } from './filters';
import { CONFLICT_POLICIES } from './merge';
import { MATCH_NORMALIZERS } from './normalizers';
import { jsonataMessage, sampleBoundProblem } from './expressions';
import { compileJsonata, inverseSteps } from './transforms';
import { toFieldValue } from './values';
import { checkAgainstDiscovery, writesTo } from './validate-discovery';

export interface ValidationProblem {
  path: string;
  problem: string;
}

export const DIRECTIONS: readonly string[] = SYNC_DIRECTIONS;
export { DELETE_POLICIES, FIELD_DIRECTIONS };
export const WRITE_MODES: readonly string[] = SYNC_WRITE_MODES;

function oneOf(
  problems: ValidationProblem[],
  path: string,
  value: unknown,
  allowed: readonly string[],
  what: string,
): void {
  if (typeof value !== 'string' || !allowed.includes(value)) {
    problems.push({
      path,
      problem: `unknown ${what} "${String(value)}" (expected one of ${allowed.join(', ')})`,
    });
  }
}

function nonEmpty(problems: ValidationProblem[], path: string, value: unknown): void {
  if (typeof value !== 'string' || value.trim().length === 0)
    problems.push({ path, problem: 'a field name is required' });
}

const DATE_PATTERN = /^(?:yyyy|yy|MM|M|dd|d|HH|H|mm|ss|SSS|'[^']*'|[^A-Za-z'])*$/;

function checkTransform(problems: ValidationProblem[], path: string, step: Transform): void {
  const kind = (step as { kind: unknown }).kind;
  switch (step.kind) {
    case 'value_map':
      if (
        typeof step.map !== 'object' ||
        Object.values(step.map).some((value) => typeof value !== 'string')
      ) {
        problems.push({ path: `${path}.map`, problem: 'a value map maps strings to strings' });
      }
      return;
    case 'constant':
      if (toFieldValue(step.value) === undefined)
        problems.push({
          path: `${path}.value`,
          problem: 'a constant must be a string, number, boolean, null or list of strings',
        });
      return;
    case 'template':
      if (typeof step.template !== 'string')
        problems.push({ path: `${path}.template`, problem: 'a template must be a string' });
      return;
    case 'format':
      oneOf(problems, `${path}.fn`, step.fn, FORMAT_FUNCTIONS, 'format function');
      if (
        (step.fn === 'date' || step.fn === 'datetime') &&
        step.format !== undefined &&
        !DATE_PATTERN.test(step.format)
      ) {
        problems.push({
          path: `${path}.format`,
          problem: `"${step.format}" is not a date pattern (yyyy MM dd HH mm ss SSS)`,
        });
      }
      if (step.fn === 'phone_e164' && step.format !== undefined && !isKnownRegion(step.format)) {
        problems.push({
          path: `${path}.format`,
          problem: `"${step.format}" is not a known default region`,
        });
      }
      return;
    case 'jsonata':
      try {
        compileJsonata(step.expression);
      } catch (error) {
        problems.push({
          path: `${path}.expression`,
          problem: `JSONata does not parse: ${jsonataMessage(error)}`,
        });
      }
      return;
    default: {
      const unreachable: never = step;
      problems.push({ path: `${path}.kind`, problem: `unknown transform "${String(kind)}"` });
      return unreachable;
    }
  }
}

function checkInverse(
  problems: ValidationProblem[],
  path: string,
  steps: readonly Transform[],
  given: string,
  missing: string,
): void {
  if (inverseSteps(steps) !== undefined) return;
  const index = steps.findIndex(
    (step) =>
      step.kind !== 'format' && (step.kind !== 'value_map' || inverseSteps([step]) === undefined),
  );
  const step = steps[index] as Transform | undefined;
  const where = `${path}.transforms.${given}[${String(index)}]`;
  if (step?.kind === 'value_map') {
    problems.push({
      path: `${where}.map`,
      problem: `value map on a two-way field is not invertible (two values map to the same one); give transforms.${missing} explicitly`,
    });
  } else {
    problems.push({
      path: where,
      problem: `a two-way field with a ${step?.kind ?? 'non-invertible'} transform needs transforms.${missing} too`,
    });
  }
}

function checkMapping(
  problems: ValidationProblem[],
  direction: SyncDirection,
  mapping: FieldMapping,
  index: number,
  defaultPolicy: string,
): void {
  const path = `mappings[${String(index)}]`;
  const policy = mapping.policy ?? defaultPolicy;
  if (policy === 'unsubscribe_wins' && mapping.direction !== 'none')
    for (const side of ['left', 'right'] as const)
      if ((mapping.optOut?.[side] ?? []).length === 0)
        problems.push({
          path: `${path}.optOut.${side}`,
          problem: `unsubscribe_wins needs the ${side} values that mean the person opted out (a boolean opt-out: [true]; a subscription status: ["unsubscribed", "cleaned"])`,
        });
  nonEmpty(problems, `${path}.left`, mapping.left);
  nonEmpty(problems, `${path}.right`, mapping.right);
  oneOf(problems, `${path}.direction`, mapping.direction, FIELD_DIRECTIONS, 'direction');
  if (mapping.policy !== undefined)
    oneOf(problems, `${path}.policy`, mapping.policy, CONFLICT_POLICIES, 'conflict policy');
  const toRight = mapping.transforms?.leftToRight;
  const toLeft = mapping.transforms?.rightToLeft;
  toRight?.forEach((step, k) => {
    checkTransform(problems, `${path}.transforms.leftToRight[${String(k)}]`, step);
  });
  toLeft?.forEach((step, k) => {
    checkTransform(problems, `${path}.transforms.rightToLeft[${String(k)}]`, step);
  });
  if (mapping.direction === 'both' && direction === 'bidirectional') {
    if (toRight !== undefined && toLeft === undefined)
      checkInverse(problems, path, toRight, 'leftToRight', 'rightToLeft');
    if (toLeft !== undefined && toRight === undefined)
      checkInverse(problems, path, toLeft, 'rightToLeft', 'leftToRight');
  }
}

function checkFilter(
  problems: ValidationProblem[],
  path: string,
  filter: FilterGroup | undefined,
): void {
  if (filter === undefined) return;
  oneOf(problems, `${path}.combine`, filter.combine, ['all', 'any'], 'combinator');
  filter.conditions.forEach((condition, k) => {
    const at = `${path}.conditions[${String(k)}]`;
    nonEmpty(problems, `${at}.field`, condition.field);
    oneOf(problems, `${at}.op`, condition.op, FILTER_OPERATORS, 'operator');
    if ((condition.op === 'in' || condition.op === 'not_in') && !Array.isArray(condition.value)) {
      problems.push({ path: `${at}.value`, problem: `${condition.op} needs a list of values` });
    }
    if (
      ['gt', 'gte', 'lt', 'lte', 'contains'].includes(condition.op) &&
      (condition.value === undefined || condition.value === null)
    ) {
      problems.push({ path: `${at}.value`, problem: `${condition.op} needs a value` });
    }
  });
}

/** What a sync's kind needs of its definition and what it does not use, by path. */
function checkKindShape(problems: ValidationProblem[], definition: AnySyncDefinition): void {
  const kind = kindOf(definition);
  const aSync = `${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind} sync`;
  const required = (path: string, present: boolean): void => {
    if (!present) problems.push({ path, problem: `${aSync} needs it` });
  };
  const unused = (path: string, present: boolean, why: string): void => {
    if (present) problems.push({ path, problem: `${aSync} does not use it: ${why}` });
  };
  const oneWay = 'it flows from the left side (the source) to the right (the destination)';
  if (kind === 'records') {
    required('direction', definition.direction !== undefined);
    required('match', definition.match !== undefined);
    for (const side of SIDES)
      required(`${side}.writeMode`, definition[side].writeMode !== undefined);
    unused('identifiers', definition.identifiers !== undefined, 'records are matched by match');
    unused('consent', definition.consent !== undefined, 'it sends no events nor members');
    unused('events', definition.events !== undefined, 'it sends no events');
    for (const side of SIDES)
      unused(`${side}.audience`, definition[side].audience !== undefined, 'it keeps no audience');
    return;
  }
  unused(
    'right.audience',
    definition.right.audience !== undefined,
    "the destination's audience or event type is right.object",
  );
  if (kind === 'events')
    unused('left.audience', definition.left.audience !== undefined, 'it keeps no audience');
  if (definition.direction !== undefined && definition.direction !== 'left_to_right')
    problems.push({ path: 'direction', problem: `${aSync} is left_to_right: ${oneWay}` });
  unused('match', definition.match !== undefined, 'it links no records');
  for (const side of SIDES)
    unused(`${side}.writeMode`, definition[side].writeMode !== undefined, 'it writes no records');
  unused('right.filter', definition.right.filter !== undefined, oneWay);
  const identifiers = Object.values(definition.identifiers ?? {});
  if (!identifiers.some((field) => typeof field === 'string' && field.trim() !== ''))
    problems.push({
      path: 'identifiers',
      problem: `${aSync} needs at least one identifier field (email, phone, …) to say who each record is`,
    });
  if (kind === 'events') required('events', definition.events !== undefined);
  else unused('events', definition.events !== undefined, 'it sends no events');
  definition.mappings.forEach((mapping, index) => {
    if (mapping.direction === 'right_to_left' || mapping.direction === 'none')
      problems.push({
        path: `mappings[${String(index)}].direction`,
        problem: `${aSync} writes fields left_to_right only: ${oneWay}`,
      });
  });
}

export function validateSyncDefinition(
  definition: AnySyncDefinition,
  discovered?: { left: ObjectDescriptor; right: ObjectDescriptor },
): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  oneOf(problems, 'kind', kindOf(definition), SYNC_KINDS, 'sync kind');
  if (definition.direction !== undefined)
    oneOf(problems, 'direction', definition.direction, DIRECTIONS, 'direction');
  oneOf(problems, 'defaultPolicy', definition.defaultPolicy, CONFLICT_POLICIES, 'conflict policy');
  oneOf(problems, 'tieBreaker', definition.tieBreaker, SIDES, 'side');
  oneOf(problems, 'deletePolicy', definition.deletePolicy, DELETE_POLICIES, 'delete policy');
  if (definition.match !== undefined) {
    oneOf(
      problems,
      'match.normalizer',
      definition.match.normalizer,
      MATCH_NORMALIZERS,
      'normalizer',
    );
    nonEmpty(problems, 'match.left', definition.match.left);
    nonEmpty(problems, 'match.right', definition.match.right);
  }
  for (const side of SIDES) {
    nonEmpty(problems, `${side}.object`, definition[side].object);
    if (definition[side].writeMode !== undefined)
      oneOf(problems, `${side}.writeMode`, definition[side].writeMode, WRITE_MODES, 'write mode');
    checkFilter(problems, `${side}.filter`, definition[side].filter);
  }
  checkKindShape(problems, definition);
  if (
    definition.overlapMs !== undefined &&
    !(Number.isFinite(definition.overlapMs) && definition.overlapMs >= 0)
  ) {
    problems.push({ path: 'overlapMs', problem: 'must be a number of milliseconds ≥ 0' });
  }
  if (
    definition.maxAttempts !== undefined &&
    !(Number.isInteger(definition.maxAttempts) && definition.maxAttempts >= 1)
  ) {
    problems.push({ path: 'maxAttempts', problem: 'must be an integer ≥ 1' });
  }
  // Events and audience syncs flow left to right whatever the definition says.
  const direction = kindOf(definition) === 'records' ? definition.direction : 'left_to_right';
  const targets: Record<Side, Map<string, number>> = { left: new Map(), right: new Map() };
  definition.mappings.forEach((mapping, index) => {
    if (direction === undefined) return;
    checkMapping(problems, direction, mapping, index, definition.defaultPolicy);
    for (const side of SIDES) {
      if (mapping.direction === 'none' || !writesTo(direction, mapping, side)) continue;
      const first = targets[side].get(mapping[side]);
      if (first === undefined) targets[side].set(mapping[side], index);
      else
        problems.push({
          path: `mappings[${String(index)}].${side}`,
          problem: `${side} field "${mapping[side]}" is already mapped by mappings[${String(first)}]`,
        });
    }
  });
  const records = asRecordsSync(definition);
  if (discovered !== undefined && records !== undefined)
    checkAgainstDiscovery(problems, records, discovered);
  return problems;
}

/**
 * Evaluates each JSONata step once on a sample record under the evaluation bounds: an expression
 * that loops, recurses or grows without end whatever the record is refused when it is saved.
 */
export async function checkExpressionBounds(
  definition: AnySyncDefinition,
): Promise<ValidationProblem[]> {
  const problems: ValidationProblem[] = [];
  for (const [index, mapping] of definition.mappings.entries()) {
    for (const way of ['leftToRight', 'rightToLeft'] as const) {
      for (const [at, step] of (mapping.transforms?.[way] ?? []).entries()) {
        if (step.kind !== 'jsonata') continue;
        const problem = await sampleBoundProblem(step.expression);
        if (problem !== undefined)
          problems.push({
            path: `mappings[${String(index)}].transforms.${way}[${String(at)}].expression`,
            problem: `passes its bounds on a sample record: ${problem}`,
          });
      }
    }
  }
  return problems;
}
