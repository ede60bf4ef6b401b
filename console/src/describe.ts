/** Sync definitions in words: schedules, transforms, filters, mapping directions. */
import type { FieldMapping, FilterGroup, Sync, TransformStep } from './types';
import { words } from './format';

export function describeSchedule(schedule: Sync['schedule']): string {
  if (schedule === null) return 'Manual and webhook runs only';
  if (typeof schedule.cron === 'string')
    return `Cron ${schedule.cron} (${schedule.timezone ?? 'UTC'})`;
  if (typeof schedule.intervalSeconds === 'number') {
    const s = schedule.intervalSeconds;
    if (s % 3600 === 0) return `Every ${s / 3600} h`;
    if (s % 60 === 0) return `Every ${s / 60} min`;
    return `Every ${s} s`;
  }
  return JSON.stringify(schedule);
}

function quoted(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : JSON.stringify(value);
}

/** One transform step in a few words: `format lowercase`, `value map (3 values)`. */
export function describeStep(step: TransformStep): string {
  switch (step.kind) {
    case 'value_map': {
      const size = Object.keys(step.map).length;
      return `value map (${size} value${size === 1 ? '' : 's'}${'default' in step ? `, default ${quoted(step.default)}` : ''})`;
    }
    case 'constant':
      return `constant ${quoted(step.value)}`;
    case 'template':
      return `template ${quoted(step.template)}`;
    case 'format':
      return `format ${words(step.fn)}${'format' in step ? ` ${quoted(step.format)}` : ''}`;
    case 'jsonata':
      return `JSONata ${quoted(step.expression)}`;
    default:
      return JSON.stringify(step);
  }
}

/** The mapping's transforms per way: `→ format lowercase`, `← value map (2 values)`. */
export function describeTransforms(mapping: FieldMapping): string[] {
  const lines: string[] = [];
  const { leftToRight = [], rightToLeft = [] } = mapping.transforms ?? {};
  if (leftToRight.length > 0) lines.push(`→ ${leftToRight.map(describeStep).join(', then ')}`);
  if (rightToLeft.length > 0) lines.push(`← ${rightToLeft.map(describeStep).join(', then ')}`);
  return lines;
}

export function describeMappingDirection(
  direction: FieldMapping['direction'],
  names: { left: string; right: string } = { left: 'left', right: 'right' },
): {
  symbol: string;
  text: string;
} {
  switch (direction) {
    case 'both':
      return { symbol: '⇄', text: 'both ways' };
    case 'left_to_right':
      return { symbol: '→', text: `${names.left} to ${names.right}` };
    case 'right_to_left':
      return { symbol: '←', text: `${names.right} to ${names.left}` };
    case 'none':
      return { symbol: '·', text: 'not synced' };
  }
}

export function describeFilter(filter: FilterGroup | undefined): string | undefined {
  if (filter === undefined || filter.conditions.length === 0) return undefined;
  const conditions = filter.conditions.map(
    (c) => `${c.field} ${words(c.op)}${c.value === undefined ? '' : ` ${quoted(c.value)}`}`,
  );
  return `${filter.combine === 'all' ? 'all of' : 'any of'}: ${conditions.join('; ')}`;
}

/** The sync's direction as an arrow between its left and right sides. */
export function arrow(direction: Sync['direction']): string {
  // Events and audience syncs flow left to right.
  switch (direction ?? 'left_to_right') {
    case 'left_to_right':
      return '→';
    case 'right_to_left':
      return '←';
    case 'bidirectional':
      return '⇄';
  }
}
