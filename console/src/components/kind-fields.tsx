/**
 * The editor's parts that depend on the kind of sync: the source filter (every kind), and for
 * events and audience syncs the identifiers (who each record is about, by the destination's
 * identifier types) and, for events, the event key and when the event happened.
 */
import { useId, type ReactNode } from 'react';
import type { FieldInfo, FilterGroup } from '../types';
import { InlineError } from './states';

type Condition = FilterGroup['conditions'][number];
type Op = Condition['op'];

const OPS: ReadonlyArray<readonly [Op, string]> = [
  ['eq', 'is'],
  ['neq', 'is not'],
  ['in', 'is one of'],
  ['not_in', 'is none of'],
  ['contains', 'contains'],
  ['exists', 'has a value'],
  ['not_exists', 'has no value'],
  ['gt', '>'],
  ['gte', '≥'],
  ['lt', '<'],
  ['lte', '≤'],
];

/** The identifier types of events and audience syncs (the destination hashes them its way). */
export const IDENTIFIERS = [
  ['email', 'Email'],
  ['phone', 'Phone'],
  ['first_name', 'First name'],
  ['last_name', 'Last name'],
  ['zip', 'Postal code'],
  ['country', 'Country'],
  ['vendor_id', "The destination's own id"],
] as const;

export type IdentifierType = (typeof IDENTIFIERS)[number][0];

/** A field select's options: each field by label and name, and the current one if not among them. */
export function FieldOptions(props: { fields: FieldInfo[]; current: string }): ReactNode {
  return (
    <>
      <option value="">Choose a field…</option>
      {props.current !== '' && !props.fields.some((f) => f.name === props.current) && (
        <option value={props.current}>{props.current}</option>
      )}
      {props.fields.map((field) => (
        <option key={field.name} value={field.name}>
          {field.label === field.name ? field.name : `${field.label} (${field.name})`}
        </option>
      ))}
    </>
  );
}

/** A condition's value as typed: a list for in / not_in, none for exists, else one value. */
function valueOf(op: Op, text: string): Condition['value'] {
  if (op === 'exists' || op === 'not_exists') return undefined;
  if (op === 'in' || op === 'not_in')
    return text
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== '');
  return text;
}

function textOf(value: Condition['value']): string {
  if (Array.isArray(value)) return value.join(', ');
  return value === undefined || value === null ? '' : String(value);
}

/** Which source records the sync takes: conditions on fields, all or any of them. */
export function FilterEditor(props: {
  sideName: string;
  filter: FilterGroup;
  fields: FieldInfo[];
  onChange: (filter: FilterGroup) => void;
  problem: (path: string) => string | undefined;
}): ReactNode {
  const { filter, onChange } = props;
  const id = useId();
  const set = (index: number, condition: Condition): void => {
    onChange({
      ...filter,
      conditions: filter.conditions.map((c, i) => (i === index ? condition : c)),
    });
  };
  return (
    <fieldset>
      <legend>Which {props.sideName} records</legend>
      {filter.conditions.length === 0 && <p className="hint">Every record (no filter).</p>}
      {filter.conditions.length > 1 && (
        <label htmlFor={`${id}-combine`}>
          Records that match{' '}
          <select
            id={`${id}-combine`}
            value={filter.combine}
            onChange={(e) => {
              onChange({ ...filter, combine: e.target.value as FilterGroup['combine'] });
            }}
          >
            <option value="all">all of these</option>
            <option value="any">any of these</option>
          </select>
        </label>
      )}
      {filter.conditions.map((condition, index) => (
        <ConditionRow
          key={index}
          n={String(index + 1)}
          condition={condition}
          fields={props.fields}
          problem={props.problem(`left.filter.conditions[${String(index)}]`)}
          onChange={(changed) => {
            set(index, changed);
          }}
          onRemove={() => {
            onChange({ ...filter, conditions: filter.conditions.filter((_, i) => i !== index) });
          }}
        />
      ))}
      <div>
        <button
          type="button"
          onClick={() => {
            onChange({
              ...filter,
              conditions: [...filter.conditions, { field: '', op: 'eq', value: '' }],
            });
          }}
        >
          Add a condition
        </button>
      </div>
      <InlineError problem={props.problem('left.filter')} />
    </fieldset>
  );
}

function ConditionRow(props: {
  n: string;
  condition: Condition;
  fields: FieldInfo[];
  problem: string | undefined;
  onChange: (condition: Condition) => void;
  onRemove: () => void;
}): ReactNode {
  const { condition, n } = props;
  return (
    <div className="mapping-fields">
      <select
        aria-label={`Field of condition ${n}`}
        value={condition.field}
        onChange={(e) => {
          props.onChange({ ...condition, field: e.target.value });
        }}
      >
        <FieldOptions fields={props.fields} current={condition.field} />
      </select>
      <select
        aria-label={`Comparison of condition ${n}`}
        value={condition.op}
        onChange={(e) => {
          const op = e.target.value as Op;
          props.onChange({
            field: condition.field,
            op,
            value: valueOf(op, textOf(condition.value)),
          });
        }}
      >
        {OPS.map(([op, label]) => (
          <option key={op} value={op}>
            {label}
          </option>
        ))}
      </select>
      {condition.op !== 'exists' && condition.op !== 'not_exists' && (
        <input
          aria-label={`Value of condition ${n}`}
          placeholder={condition.op === 'in' || condition.op === 'not_in' ? 'a, b, c' : 'value'}
          value={textOf(condition.value)}
          onChange={(e) => {
            props.onChange({ ...condition, value: valueOf(condition.op, e.target.value) });
          }}
        />
      )}
      <button type="button" className="link-button" onClick={props.onRemove}>
        Remove condition {n}
      </button>
      <InlineError problem={props.problem} />
    </div>
  );
}

/** Events and audience syncs: who each record is about, and (events) the event's key and time. */
export function AudienceFields(props: {
  kind: 'events' | 'audience';
  fields: FieldInfo[];
  identifiers: Partial<Record<IdentifierType, string>>;
  events: { key: string; occurredAt: string };
  onIdentifiers: (identifiers: Partial<Record<IdentifierType, string>>) => void;
  onEvents: (events: { key: string; occurredAt: string }) => void;
  problem: (path: string) => string | undefined;
}): ReactNode {
  const id = useId();
  const { identifiers, events } = props;
  return (
    <fieldset>
      <legend>{props.kind === 'events' ? 'The events' : 'The members'}</legend>
      {props.kind === 'events' && (
        <div className="field-row">
          <div className="field">
            <label htmlFor={`${id}-key`}>Event key</label>
            <input
              id={`${id}-key`}
              value={events.key}
              placeholder="opportunity-{Id}-won"
              onChange={(e) => {
                props.onEvents({ ...events, key: e.target.value });
              }}
            />
            <p className="hint">
              A template over source fields ({'{Id}'}): the same source state gives the same key, so
              an event is never counted twice.
            </p>
            <InlineError problem={props.problem('events.key')} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-at`}>Happened at</label>
            <select
              id={`${id}-at`}
              value={events.occurredAt}
              onChange={(e) => {
                props.onEvents({ ...events, occurredAt: e.target.value });
              }}
            >
              <FieldOptions fields={props.fields} current={events.occurredAt} />
            </select>
            <InlineError problem={props.problem('events.occurredAt')} />
          </div>
        </div>
      )}
      <p className="hint">
        Who each record is about, by the destination&apos;s identifier types; values are normalised
        and hashed by its rules before they leave Syncline. A record with none is skipped.
      </p>
      <div className="field-row">
        {IDENTIFIERS.map(([type, label]) => (
          <div className="field" key={type}>
            <label htmlFor={`${id}-${type}`}>{label}</label>
            <select
              id={`${id}-${type}`}
              value={identifiers[type] ?? ''}
              onChange={(e) => {
                const { [type]: _, ...rest } = identifiers;
                props.onIdentifiers(
                  e.target.value === '' ? rest : { ...rest, [type]: e.target.value },
                );
              }}
            >
              <FieldOptions fields={props.fields} current={identifiers[type] ?? ''} />
            </select>
            <InlineError problem={props.problem(`identifiers.${type}`)} />
          </div>
        ))}
      </div>
      <InlineError problem={props.problem('identifiers')} />
    </fieldset>
  );
}
