/**
 * The transforms of one direction of a mapping, step by step: a value map edited as a table (its
 * "to" values offered from the target's picklist), a template, a formatting function, a constant,
 * or a JSONata expression whose syntax error is shown as it is typed (jsonata parses it here, as
 * the server will).
 */
import jsonata from 'jsonata';
import { useId, type ReactNode } from 'react';
import type { FieldInfo, TransformStep } from '../types';

type Kind = TransformStep['kind'];
type FormatFn = Extract<TransformStep, { kind: 'format' }>['fn'];

const KINDS: ReadonlyArray<readonly [Kind, string]> = [
  ['value_map', 'Value map'],
  ['format', 'Format'],
  ['template', 'Template'],
  ['constant', 'Constant'],
  ['jsonata', 'JSONata'],
];

const FORMATS: ReadonlyArray<readonly [FormatFn, string]> = [
  ['trim', 'Trim spaces'],
  ['lowercase', 'Lower case'],
  ['uppercase', 'Upper case'],
  ['phone_e164', 'Phone as E.164 (+39 06…)'],
  ['country_iso2', 'Country as ISO code (IT)'],
  ['date', 'Date'],
  ['datetime', 'Date and time'],
];

function emptyStep(kind: Kind): TransformStep {
  switch (kind) {
    case 'value_map':
      return { kind, map: {} };
    case 'format':
      return { kind, fn: 'trim' };
    case 'template':
      return { kind, template: '{{value}}' };
    case 'constant':
      return { kind, value: '' };
    case 'jsonata':
      return { kind, expression: 'value' };
  }
}

/** jsonata's own words for an expression that does not parse, with where; undefined when it does. */
export function jsonataError(expression: string): string | undefined {
  try {
    jsonata(expression);
    return undefined;
  } catch (error) {
    const { message, position } = error as { message?: string; position?: number };
    return `${message ?? String(error)}${position === undefined ? '' : ` (at character ${String(position)})`}`;
  }
}

export function TransformEditor(props: {
  /** "HubSpot → Salesforce", for the labels. */
  label: string;
  steps: TransformStep[];
  target: FieldInfo | undefined;
  onChange: (steps: TransformStep[]) => void;
}): ReactNode {
  const { steps, onChange } = props;
  const id = useId();
  const replace = (index: number, step: TransformStep): void => {
    onChange(steps.map((each, i) => (i === index ? step : each)));
  };
  return (
    <div className="transforms" role="group" aria-label={`Transforms ${props.label}`}>
      <p className="small">
        <strong>{props.label}</strong>
        {steps.length === 0 && <span className="muted"> · the value as it is</span>}
      </p>
      {steps.map((step, index) => (
        <div className="transform-step" key={index}>
          <StepEditor
            id={`${id}-${String(index)}`}
            step={step}
            target={props.target}
            onChange={(changed) => {
              replace(index, changed);
            }}
          />
          <button
            type="button"
            className="link-button"
            onClick={() => {
              onChange(steps.filter((_, i) => i !== index));
            }}
          >
            Remove step
          </button>
        </div>
      ))}
      <label className="small">
        Add a step{' '}
        <select
          value=""
          aria-label={`Add a transform ${props.label}`}
          onChange={(e) => {
            if (e.target.value !== '') onChange([...steps, emptyStep(e.target.value as Kind)]);
          }}
        >
          <option value="">choose…</option>
          {KINDS.map(([kind, label]) => (
            <option key={kind} value={kind}>
              {label}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

function StepEditor(props: {
  id: string;
  step: TransformStep;
  target: FieldInfo | undefined;
  onChange: (step: TransformStep) => void;
}): ReactNode {
  const { step, onChange, id } = props;
  switch (step.kind) {
    case 'value_map':
      return <ValueMapEditor step={step} target={props.target} onChange={onChange} />;
    case 'format':
      return (
        <label htmlFor={id}>
          Format{' '}
          <select
            id={id}
            value={step.fn}
            onChange={(e) => {
              onChange({ ...step, fn: e.target.value as FormatFn });
            }}
          >
            {FORMATS.map(([fn, label]) => (
              <option key={fn} value={fn}>
                {label}
              </option>
            ))}
          </select>
        </label>
      );
    case 'template':
      return (
        <label htmlFor={id}>
          Template{' '}
          <span className="muted small">
            ({'{{value}}'}, or any field as {'{{name}}'})
          </span>
          <input
            id={id}
            value={step.template}
            onChange={(e) => {
              onChange({ ...step, template: e.target.value });
            }}
          />
        </label>
      );
    case 'constant':
      return (
        <label htmlFor={id}>
          Constant
          <input
            id={id}
            value={typeof step.value === 'string' ? step.value : JSON.stringify(step.value)}
            onChange={(e) => {
              onChange({ ...step, value: e.target.value });
            }}
          />
        </label>
      );
    case 'jsonata': {
      const error = jsonataError(step.expression);
      return (
        <label htmlFor={id}>
          JSONata{' '}
          <span className="muted small">
            (`value` is the field's value, `record` the whole record)
          </span>
          <textarea
            id={id}
            rows={2}
            value={step.expression}
            aria-invalid={error !== undefined}
            onChange={(e) => {
              onChange({ ...step, expression: e.target.value });
            }}
          />
          {error !== undefined && (
            <span className="inline-error" role="alert" data-jsonata-error="">
              Does not parse: {error}
            </span>
          )}
        </label>
      );
    }
  }
}

/** A value map as a table: one row per source value, the target's options offered for "to". */
function ValueMapEditor(props: {
  step: Extract<TransformStep, { kind: 'value_map' }>;
  target: FieldInfo | undefined;
  onChange: (step: TransformStep) => void;
}): ReactNode {
  const { step, onChange } = props;
  const listId = useId();
  const rows = Object.entries(step.map);
  const setRows = (next: Array<[string, string]>): void => {
    onChange({ ...step, map: Object.fromEntries(next) });
  };
  const options = props.target?.options ?? [];
  return (
    <div>
      <table className="data-table value-map" aria-label="Value map">
        <thead>
          <tr>
            <th scope="col">From</th>
            <th scope="col">To</th>
            <th scope="col">
              <span className="visually-hidden">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([from, to], index) => (
            <tr key={index}>
              <td>
                <input
                  aria-label={`Value map row ${String(index + 1)}: from`}
                  value={from}
                  onChange={(e) => {
                    setRows(rows.map((row, i) => (i === index ? [e.target.value, to] : row)));
                  }}
                />
              </td>
              <td>
                <input
                  aria-label={`Value map row ${String(index + 1)}: to`}
                  list={options.length > 0 ? listId : undefined}
                  value={to}
                  onChange={(e) => {
                    setRows(rows.map((row, i) => (i === index ? [from, e.target.value] : row)));
                  }}
                />
              </td>
              <td>
                <button
                  type="button"
                  className="link-button"
                  onClick={() => {
                    setRows(rows.filter((_, i) => i !== index));
                  }}
                >
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {options.length > 0 && (
        <datalist id={listId}>
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </datalist>
      )}
      <button
        type="button"
        onClick={() => {
          setRows([...rows, [`value ${String(rows.length + 1)}`, '']]);
        }}
      >
        Add a row
      </button>{' '}
      <label className="small">
        Otherwise{' '}
        <input
          aria-label="Value map default"
          placeholder="(the value as it is)"
          value={step.default ?? ''}
          onChange={(e) => {
            const { default: _, ...rest } = step;
            onChange(e.target.value === '' ? rest : { ...rest, default: e.target.value });
          }}
        />
      </label>
    </div>
  );
}
