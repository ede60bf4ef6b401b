/**
 * The field mapper: each mapping as a row (a field of each side with its type, required and
 * read-only flags and picklist values, the direction it is written in, its conflict policy, its
 * transforms), suggestions by name and type, and a warning wherever values may not fit (text into
 * a number, a picklist value the target lacks, a read-only target, a required field unmapped).
 */
import { useState, type ReactNode } from 'react';
import { fitProblem, suggestions, unmappedRequired } from '../mapping-checks';
import type { FieldInfo, FieldMapping, MappingDirection, Policy, TransformStep } from '../types';
import { InlineError } from './states';
import { TransformEditor } from './transform-editor';

export const POLICIES: ReadonlyArray<readonly [Policy, string]> = [
  ['left_wins', 'Left wins'],
  ['right_wins', 'Right wins'],
  ['latest_wins', 'Latest edit wins'],
  ['prefer_left_unless_blank', 'Left unless blank'],
  ['prefer_right_unless_blank', 'Right unless blank'],
  ['manual', 'Ask a person (conflict)'],
  ['unsubscribe_wins', 'An unsubscribe wins'],
];

export interface MapperSides {
  /** What people call each side ("HubSpot", "Salesforce"). */
  leftName: string;
  rightName: string;
  left: FieldInfo[];
  right: FieldInfo[];
}

function describeField(field: FieldInfo | undefined): string {
  if (field === undefined) return '';
  const flags = [
    field.type,
    field.required ? 'required' : undefined,
    field.readOnly ? 'read-only' : undefined,
    field.options !== undefined && field.options.length > 0
      ? `${String(field.options.length)} options`
      : undefined,
  ].filter((flag) => flag !== undefined);
  return flags.join(' · ');
}

/** The warnings of one mapping, in each direction it writes. */
export function mappingWarnings(mapping: FieldMapping, sides: MapperSides): string[] {
  const left = sides.left.find((field) => field.name === mapping.left);
  const right = sides.right.find((field) => field.name === mapping.right);
  const out: string[] = [];
  if (left === undefined && mapping.left !== '' && sides.left.length > 0)
    out.push(`${sides.leftName} has no field ${mapping.left}`);
  if (right === undefined && mapping.right !== '' && sides.right.length > 0)
    out.push(`${sides.rightName} has no field ${mapping.right}`);
  if (left === undefined || right === undefined) return out;
  if (mapping.direction === 'both' || mapping.direction === 'left_to_right') {
    const problem = fitProblem(left, right, mapping.transforms?.leftToRight);
    if (problem !== undefined) out.push(`${sides.leftName} → ${sides.rightName}: ${problem}`);
  }
  if (mapping.direction === 'both' || mapping.direction === 'right_to_left') {
    const problem = fitProblem(right, left, mapping.transforms?.rightToLeft);
    if (problem !== undefined) out.push(`${sides.rightName} → ${sides.leftName}: ${problem}`);
  }
  return out;
}

export function FieldMapper(props: {
  sides: MapperSides;
  mappings: FieldMapping[];
  onChange: (mappings: FieldMapping[]) => void;
  /** The directions the sync writes in: a mapping's own stays within them. */
  syncDirection: MappingDirection;
  problem: (path: string) => string | undefined;
}): ReactNode {
  const { sides, mappings, onChange } = props;
  const [suggested, setSuggested] = useState<string | undefined>();
  const update = (index: number, mapping: FieldMapping): void => {
    onChange(mappings.map((each, i) => (i === index ? mapping : each)));
  };
  const required = [
    ...unmappedRequired(sides.left, mappings, 'left')
      .filter(() => props.syncDirection !== 'left_to_right')
      .map(
        (field) => `${sides.leftName}'s ${field.label} (${field.name}) is required and unmapped`,
      ),
    ...unmappedRequired(sides.right, mappings, 'right')
      .filter(() => props.syncDirection !== 'right_to_left')
      .map(
        (field) => `${sides.rightName}'s ${field.label} (${field.name}) is required and unmapped`,
      ),
  ];
  return (
    <section aria-labelledby="mapper-heading" className="field-mapper">
      <div className="section-heading">
        <h2 id="mapper-heading">Field mappings</h2>
        <div className="page-actions">
          <button
            type="button"
            disabled={sides.left.length === 0 || sides.right.length === 0}
            onClick={() => {
              const found = suggestions(sides.left, sides.right, mappings, props.syncDirection);
              onChange([...mappings, ...found]);
              setSuggested(
                found.length === 0
                  ? 'No more fields of the same name whose values fit.'
                  : `${String(found.length)} suggested by name and type: ${found.map((m) => `${m.left} ↔ ${m.right}`).join(', ')}. Check them before saving.`,
              );
            }}
          >
            Suggest mappings
          </button>
          <button
            type="button"
            onClick={() => {
              onChange([...mappings, { left: '', right: '', direction: props.syncDirection }]);
            }}
          >
            Add a mapping
          </button>
        </div>
      </div>
      {suggested !== undefined && (
        <p className="muted" role="status">
          {suggested}
        </p>
      )}
      {mappings.length === 0 ? (
        <p className="muted">No mappings yet: suggest some, or add one.</p>
      ) : (
        <ol className="mappings">
          {mappings.map((mapping, index) => (
            <MappingRow
              key={index}
              index={index}
              mapping={mapping}
              sides={sides}
              problem={props.problem}
              onChange={(changed) => {
                update(index, changed);
              }}
              onRemove={() => {
                onChange(mappings.filter((_, i) => i !== index));
              }}
            />
          ))}
        </ol>
      )}
      {required.map((warning) => (
        <p key={warning} className="warning" role="note">
          {warning}: creating a record there will be refused.
        </p>
      ))}
      <InlineError problem={props.problem('mappings')} />
    </section>
  );
}

/** What the API said about one mapping, wherever in it. */
function mappingProblems(index: number, problem: (path: string) => string | undefined): string[] {
  const path = `mappings[${String(index)}]`;
  return ['', '.left', '.right', '.direction', '.policy', '.transforms']
    .map((suffix) => problem(`${path}${suffix}`))
    .filter((found) => found !== undefined);
}

function FieldSelect(props: {
  label: string;
  value: string;
  fields: FieldInfo[];
  onChange: (name: string) => void;
}): ReactNode {
  const known = props.fields.some((field) => field.name === props.value);
  return (
    <select
      aria-label={props.label}
      value={props.value}
      onChange={(e) => {
        props.onChange(e.target.value);
      }}
    >
      <option value="">Choose a field…</option>
      {!known && props.value !== '' && <option value={props.value}>{props.value}</option>}
      {props.fields.map((field) => (
        <option key={field.name} value={field.name}>
          {field.label === field.name ? field.name : `${field.label} (${field.name})`}
          {field.required ? ' *' : ''}
          {field.readOnly ? ' (read-only)' : ''}
        </option>
      ))}
    </select>
  );
}

const ARROWS: ReadonlyArray<readonly [MappingDirection, string]> = [
  ['both', '↔ both ways'],
  ['left_to_right', '→ left to right'],
  ['right_to_left', '← right to left'],
  ['none', '· not synced'],
];

function MappingRow(props: {
  index: number;
  mapping: FieldMapping;
  sides: MapperSides;
  problem: (path: string) => string | undefined;
  onChange: (mapping: FieldMapping) => void;
  onRemove: () => void;
}): ReactNode {
  const { mapping, sides, onChange, index } = props;
  const [open, setOpen] = useState(false);
  const n = String(index + 1);
  const left = sides.left.find((field) => field.name === mapping.left);
  const right = sides.right.find((field) => field.name === mapping.right);
  const warnings = mappingWarnings(mapping, sides);
  const steps =
    (mapping.transforms?.leftToRight?.length ?? 0) + (mapping.transforms?.rightToLeft?.length ?? 0);
  const setSteps = (key: 'leftToRight' | 'rightToLeft', list: TransformStep[]): void => {
    const other = key === 'leftToRight' ? 'rightToLeft' : 'leftToRight';
    const kept = mapping.transforms?.[other] ?? [];
    const transforms = {
      ...(kept.length > 0 ? { [other]: kept } : {}),
      ...(list.length > 0 ? { [key]: list } : {}),
    };
    const { transforms: _, ...rest } = mapping;
    onChange(Object.keys(transforms).length === 0 ? rest : { ...rest, transforms });
  };
  const problems = mappingProblems(index, props.problem);
  return (
    <li className="mapping" data-mapping={`${mapping.left}:${mapping.right}`}>
      <div className="mapping-fields">
        <div className="mapping-side">
          <FieldSelect
            label={`${sides.leftName} field of mapping ${n}`}
            value={mapping.left}
            fields={sides.left}
            onChange={(name) => {
              onChange({ ...mapping, left: name });
            }}
          />
          <span className="hint small">{describeField(left)}</span>
        </div>
        <select
          aria-label={`Direction of mapping ${n}`}
          value={mapping.direction}
          onChange={(e) => {
            onChange({ ...mapping, direction: e.target.value as MappingDirection });
          }}
        >
          {ARROWS.map(([direction, label]) => (
            <option key={direction} value={direction}>
              {label}
            </option>
          ))}
        </select>
        <div className="mapping-side">
          <FieldSelect
            label={`${sides.rightName} field of mapping ${n}`}
            value={mapping.right}
            fields={sides.right}
            onChange={(name) => {
              onChange({ ...mapping, right: name });
            }}
          />
          <span className="hint small">{describeField(right)}</span>
        </div>
        <PolicySelect n={n} mapping={mapping} onChange={onChange} />
        <button
          type="button"
          aria-expanded={open}
          onClick={() => {
            setOpen(!open);
          }}
        >
          Transforms{steps > 0 ? ` (${String(steps)})` : ''}
        </button>
        <button type="button" className="link-button" onClick={props.onRemove}>
          Remove mapping {n}
        </button>
      </div>
      {warnings.map((warning) => (
        <p key={warning} className="warning" role="note" data-warning="">
          {warning}
        </p>
      ))}
      {problems.map((problem) => (
        <InlineError key={problem} problem={problem} />
      ))}
      {open && (
        <MappingTransforms
          mapping={mapping}
          sides={sides}
          left={left}
          right={right}
          onChange={setSteps}
        />
      )}
    </li>
  );
}

function MappingTransforms(props: {
  mapping: FieldMapping;
  sides: MapperSides;
  left: FieldInfo | undefined;
  right: FieldInfo | undefined;
  onChange: (key: 'leftToRight' | 'rightToLeft', steps: TransformStep[]) => void;
}): ReactNode {
  const { mapping, sides } = props;
  return (
    <div className="mapping-transforms">
      {mapping.direction !== 'right_to_left' && mapping.direction !== 'none' && (
        <TransformEditor
          label={`${sides.leftName} → ${sides.rightName}`}
          steps={mapping.transforms?.leftToRight ?? []}
          target={props.right}
          onChange={(list) => {
            props.onChange('leftToRight', list);
          }}
        />
      )}
      {mapping.direction !== 'left_to_right' && mapping.direction !== 'none' && (
        <TransformEditor
          label={`${sides.rightName} → ${sides.leftName}`}
          steps={mapping.transforms?.rightToLeft ?? []}
          target={props.left}
          onChange={(list) => {
            props.onChange('rightToLeft', list);
          }}
        />
      )}
    </div>
  );
}

/** A two-way mapping's conflict policy; the sync's default when none is set. */
function PolicySelect(props: {
  n: string;
  mapping: FieldMapping;
  onChange: (mapping: FieldMapping) => void;
}): ReactNode {
  const { mapping } = props;
  return (
    <select
      aria-label={`Conflict policy of mapping ${props.n}`}
      value={mapping.policy ?? ''}
      disabled={mapping.direction !== 'both'}
      title={mapping.direction === 'both' ? undefined : 'Only a two-way field can conflict'}
      onChange={(e) => {
        const { policy: _, ...rest } = mapping;
        props.onChange(
          e.target.value === '' ? rest : { ...rest, policy: e.target.value as Policy },
        );
      }}
    >
      <option value="">The sync&apos;s default policy</option>
      {POLICIES.map(([policy, label]) => (
        <option key={policy} value={policy}>
          {label}
        </option>
      ))}
    </select>
  );
}
