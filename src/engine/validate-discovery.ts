/** A records sync's definition checked against the objects its connections discover. */
import { SIDES } from '../sync-definition/schema';
import type { FieldDescriptor, ObjectDescriptor } from '../../connectors/sdk/contract';
import { picklistMisses, typesFit } from '../../connectors/sdk/field-fit';
import type { FieldMapping, Side, SyncDefinition, SyncDirection, Transform } from './definition';
import type { ValidationProblem } from './validate';

/** Whether the mapping writes to `side`, given its own and the sync's direction. */
export function writesTo(direction: SyncDirection, mapping: FieldMapping, side: Side): boolean {
  const fieldWay =
    mapping.direction === 'both' ||
    mapping.direction === (side === 'right' ? 'left_to_right' : 'right_to_left');
  const syncWay =
    direction === 'bidirectional' ||
    direction === (side === 'right' ? 'left_to_right' : 'right_to_left');
  return fieldWay && syncWay;
}

/** The values a mapping writes into a picklist that the picklist does not allow. */
function checkPicklist(
  problems: ValidationProblem[],
  at: { path: string; target: Side; key: 'leftToRight' | 'rightToLeft'; steps: Transform[] },
  source: FieldDescriptor,
  sink: FieldDescriptor,
): void {
  const { path, target, key, steps } = at;
  const { misses: bad, map } = picklistMisses(source, sink, steps);
  if (bad.length === 0) return;
  const where =
    map === undefined ? `${path}.${target}` : `${path}.transforms.${key}[${String(map)}].map`;
  problems.push({
    path: where,
    problem: `values not allowed by ${target} picklist "${sink.name}": ${bad.join(', ')}`,
  });
}

/** Required fields of a side the sync creates records on that no mapping (nor the match) fills. */
function checkRequiredCovered(
  problems: ValidationProblem[],
  definition: SyncDefinition,
  discovered: Record<Side, ObjectDescriptor>,
): void {
  for (const target of SIDES) {
    const source: Side = target === 'left' ? 'right' : 'left';
    const reads =
      definition.direction === 'bidirectional' ||
      definition.direction === (source === 'left' ? 'left_to_right' : 'right_to_left');
    if (!reads || definition[target].writeMode === 'update' || discovered[target].fieldsInferred)
      continue;
    const covered = new Set(
      definition.mappings
        .filter((mapping) => writesTo(definition.direction, mapping, target))
        .map((mapping) => mapping[target]),
    );
    covered.add(definition.match[target]);
    for (const field of discovered[target].fields) {
      if (field.required && !field.readOnly && !covered.has(field.name)) {
        problems.push({
          path: `${target}.object`,
          problem: `required ${target} field "${field.name}" is not mapped, so creates would fail`,
        });
      }
    }
  }
}

/**
 * The mapping against what the vendors' discover() says: fields exist, targets are writable,
 * types fit, picklist values are allowed, required fields are covered for creates. A side whose
 * fields are inferred (a schemaless store's, `fieldsInferred`) is not checked.
 */
export function checkAgainstDiscovery(
  problems: ValidationProblem[],
  definition: SyncDefinition,
  discovered: Record<Side, ObjectDescriptor>,
): void {
  const open = (side: Side): boolean => discovered[side].fieldsInferred === true;
  const fields: Record<Side, Map<string, FieldDescriptor>> = {
    left: new Map(discovered.left.fields.map((field) => [field.name, field])),
    right: new Map(discovered.right.fields.map((field) => [field.name, field])),
  };
  const exists = (side: Side, name: string, path: string): FieldDescriptor | undefined => {
    if (open(side)) return undefined;
    const field = fields[side].get(name);
    if (field === undefined && typeof name === 'string' && name.length > 0) {
      problems.push({
        path,
        problem: `${side} object ${discovered[side].name} has no field "${name}"`,
      });
    }
    return field;
  };
  for (const side of SIDES) {
    if (!open(side) && !discovered[side].writeModes.includes(definition[side].writeMode)) {
      problems.push({
        path: `${side}.writeMode`,
        problem: `${discovered[side].name} does not accept ${definition[side].writeMode}`,
      });
    }
    exists(side, definition.match[side], `match.${side}`);
    definition[side].filter?.conditions.forEach((condition, k) =>
      exists(side, condition.field, `${side}.filter.conditions[${String(k)}].field`),
    );
  }
  definition.mappings.forEach((mapping, index) => {
    const path = `mappings[${String(index)}]`;
    const left = exists('left', mapping.left, `${path}.left`);
    const right = exists('right', mapping.right, `${path}.right`);
    for (const target of SIDES) {
      if (!writesTo(definition.direction, mapping, target)) continue;
      const [source, sink] = target === 'right' ? [left, right] : [right, left];
      const key = target === 'right' ? 'leftToRight' : 'rightToLeft';
      if (sink?.readOnly === true)
        problems.push({
          path: `${path}.${target}`,
          problem: `${target} field "${sink.name}" is read-only`,
        });
      if (source === undefined || sink === undefined) continue;
      const steps = mapping.transforms?.[key] ?? [];
      if (steps.length === 0 && !typesFit(source.type, sink.type)) {
        problems.push({
          path: `${path}.${target}`,
          problem: `cannot write ${source.type} "${source.name}" into ${sink.type} "${sink.name}" without a transform`,
        });
      }
      checkPicklist(problems, { path, target, key, steps }, source, sink);
    }
  });
  checkRequiredCovered(problems, definition, discovered);
}
