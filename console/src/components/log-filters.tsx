/** The sync log's filters: when, action, error code, record id, email, a value written. */
import { useEffect, useId, useState, type ReactNode, type SubmitEvent } from 'react';
import { words } from '../format';
import { ERROR_CODES, RECORD_ACTIONS } from '../types';

export interface Filters {
  action: string;
  errorCode: string;
  recordId: string;
  /** The record's email (its match key). */
  email: string;
  /** A name or any value written, before or after. */
  text: string;
  /** A period back from now: 1h, 24h, 7d; empty: any time. */
  since: string;
}

export const PERIODS: Array<{ value: string; label: string; ms: number }> = [
  { value: '1h', label: 'Last hour', ms: 3_600_000 },
  { value: '24h', label: 'Last 24 hours', ms: 86_400_000 },
  { value: '7d', label: 'Last 7 days', ms: 7 * 86_400_000 },
];

export const NO_FILTERS: Filters = {
  action: '',
  errorCode: '',
  recordId: '',
  email: '',
  text: '',
  since: '',
};

/** The filters typed in, each a text input. */
const TEXT_FILTER_FIELDS: ReadonlyArray<{
  name: 'recordId' | 'email' | 'text';
  label: string;
  placeholder: string;
  spellCheck: boolean;
}> = [
  { name: 'recordId', label: 'Record id', placeholder: 'on either side', spellCheck: false },
  { name: 'email', label: 'Email', placeholder: "the record's", spellCheck: false },
  {
    name: 'text',
    label: 'Name or value',
    placeholder: 'written, before or after',
    spellCheck: true,
  },
];
export const TEXT_FILTERS = TEXT_FILTER_FIELDS.map((field) => field.name);

/** A filter chosen from a list, "any" first. */
function FilterSelect(props: {
  id: string;
  label: string;
  value: string;
  any: string;
  options: ReadonlyArray<{ value: string; label: string }>;
  onChange: (value: string) => void;
}): ReactNode {
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      <select
        id={props.id}
        value={props.value}
        onChange={(event) => {
          props.onChange(event.target.value);
        }}
      >
        <option value="">{props.any}</option>
        {props.options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function LogFilters(props: {
  filters: Filters;
  onApply: (filters: Filters) => void;
}): ReactNode {
  const [draft, setDraft] = useState<Filters>(props.filters);
  const id = useId();
  const { action, errorCode, recordId, email, text, since } = props.filters;
  // Back, forward or a link changed the filters: show them.
  useEffect(() => {
    setDraft({ action, errorCode, recordId, email, text, since });
  }, [action, errorCode, recordId, email, text, since]);
  const active = Object.values(props.filters).some((value) => value !== '');

  function submit(event: SubmitEvent<HTMLFormElement>): void {
    event.preventDefault();
    const trimmed = { ...draft };
    for (const name of TEXT_FILTERS) trimmed[name] = draft[name].trim();
    props.onApply(trimmed);
  }
  return (
    <form className="filters" onSubmit={submit} aria-label="Filter the sync log">
      <FilterSelect
        id={`${id}-since`}
        label="When"
        value={draft.since}
        any="Any time"
        options={PERIODS.map((period) => ({ value: period.value, label: period.label }))}
        onChange={(value) => {
          setDraft({ ...draft, since: value });
        }}
      />
      <FilterSelect
        id={`${id}-action`}
        label="Action"
        value={draft.action}
        any="Any action"
        options={RECORD_ACTIONS.map((value) => ({ value, label: words(value) }))}
        onChange={(value) => {
          setDraft({ ...draft, action: value });
        }}
      />
      <FilterSelect
        id={`${id}-code`}
        label="Error code"
        value={draft.errorCode}
        any="Any error code"
        options={ERROR_CODES.map((value) => ({ value, label: value }))}
        onChange={(value) => {
          setDraft({ ...draft, errorCode: value });
        }}
      />
      {TEXT_FILTER_FIELDS.map((field) => (
        <div className="field" key={field.name}>
          <label htmlFor={`${id}-${field.name}`}>{field.label}</label>
          <input
            id={`${id}-${field.name}`}
            type="text"
            value={draft[field.name]}
            placeholder={field.placeholder}
            autoComplete="off"
            spellCheck={field.spellCheck}
            onChange={(event) => {
              setDraft({ ...draft, [field.name]: event.target.value });
            }}
          />
        </div>
      ))}
      <div className="filter-actions">
        <button type="submit">Filter</button>
        {active && (
          <button
            type="button"
            onClick={() => {
              props.onApply(NO_FILTERS);
            }}
          >
            Clear filters
          </button>
        )}
      </div>
    </form>
  );
}
