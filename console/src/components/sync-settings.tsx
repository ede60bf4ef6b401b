/**
 * The editor's settings of a records sync besides its sides and mappings: direction, the match
 * rule (a field of each side, compared after a normaliser), the default conflict policy, what a
 * delete does, and the schedule.
 */
import { useId, type ReactNode } from 'react';
import type { Direction, FieldInfo, Normalizer, Policy, Sync } from '../types';

type SyncKind = Sync['kind'];
import { POLICIES } from './field-mapper';
import { FieldOptions } from './kind-fields';
import { InlineError } from './states';

export interface SyncSettings {
  direction: Direction;
  match: { left: string; right: string; normalizer: Normalizer };
  defaultPolicy: Policy;
  deletePolicy: 'ignore' | 'unlink' | 'propagate';
  /** Minutes between runs, as typed; blank: manual runs only (every kind has one). */
  everyMinutes: string;
}

const NORMALIZERS: ReadonlyArray<readonly [Normalizer, string]> = [
  ['email', 'Email (trimmed, lower case)'],
  ['domain', 'Domain (from a URL or an email; www. dropped)'],
  ['case_insensitive', 'Case-insensitive text'],
  ['trim', 'Trimmed text'],
  ['exact', 'Exactly equal'],
];

const DIRECTIONS: ReadonlyArray<readonly [Direction, (left: string, right: string) => string]> = [
  ['bidirectional', (left, right) => `Both ways (${left} ↔ ${right})`],
  ['left_to_right', (left, right) => `${left} → ${right} only`],
  ['right_to_left', (left, right) => `${right} → ${left} only`],
];

const DELETES: ReadonlyArray<readonly [SyncSettings['deletePolicy'], string]> = [
  ['ignore', 'Keep the other record, and the link'],
  ['unlink', 'Keep the other record; forget the link'],
  ['propagate', 'Delete the other record too'],
];

export function SyncSettingsFields(props: {
  settings: SyncSettings;
  onChange: (settings: SyncSettings) => void;
  names: { left: string; right: string };
  fields: { left: FieldInfo[]; right: FieldInfo[] };
  problem: (path: string) => string | undefined;
}): ReactNode {
  const { settings, onChange, names, fields, problem } = props;
  const id = useId();
  const set = (change: Partial<SyncSettings>): void => {
    onChange({ ...settings, ...change });
  };

  return (
    <fieldset>
      <legend>How records are kept in step</legend>
      <div className="field">
        <label htmlFor={`${id}-direction`}>Direction</label>
        <select
          id={`${id}-direction`}
          value={settings.direction}
          onChange={(e) => {
            set({ direction: e.target.value as Direction });
          }}
        >
          {DIRECTIONS.map(([direction, label]) => (
            <option key={direction} value={direction}>
              {label(names.left, names.right)}
            </option>
          ))}
        </select>
        <InlineError problem={problem('direction')} />
      </div>
      <MatchFields settings={settings} set={set} names={names} fields={fields} problem={problem} />
      <p className="hint">
        A record with no linked partner is matched to the other side&apos;s record whose field is
        equal after this comparison; without one, a new record is created there.
      </p>
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${id}-policy`}>When both sides changed a field</label>
          <select
            id={`${id}-policy`}
            value={settings.defaultPolicy}
            onChange={(e) => {
              set({ defaultPolicy: e.target.value as Policy });
            }}
          >
            {POLICIES.map(([policy, label]) => (
              <option key={policy} value={policy}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-deletes`}>When a record is deleted</label>
          <select
            id={`${id}-deletes`}
            value={settings.deletePolicy}
            onChange={(e) => {
              set({ deletePolicy: e.target.value as SyncSettings['deletePolicy'] });
            }}
          >
            {DELETES.map(([policy, label]) => (
              <option key={policy} value={policy}>
                {label}
              </option>
            ))}
          </select>
        </div>
      </div>
    </fieldset>
  );
}

/** The match rule: a field of each side, and how their values are compared. */
function MatchFields(props: {
  settings: SyncSettings;
  set: (change: Partial<SyncSettings>) => void;
  names: { left: string; right: string };
  fields: { left: FieldInfo[]; right: FieldInfo[] };
  problem: (path: string) => string | undefined;
}): ReactNode {
  const { settings, set, names, fields, problem } = props;
  const id = useId();
  return (
    <div className="field-row">
      <div className="field">
        <label htmlFor={`${id}-match-left`}>Match on {names.left} field</label>
        <select
          id={`${id}-match-left`}
          value={settings.match.left}
          onChange={(e) => {
            set({ match: { ...settings.match, left: e.target.value } });
          }}
        >
          <FieldOptions fields={fields.left} current={settings.match.left} />
        </select>
        <InlineError problem={problem('match.left')} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-match-right`}>equal to {names.right} field</label>
        <select
          id={`${id}-match-right`}
          value={settings.match.right}
          onChange={(e) => {
            set({ match: { ...settings.match, right: e.target.value } });
          }}
        >
          <FieldOptions fields={fields.right} current={settings.match.right} />
        </select>
        <InlineError problem={problem('match.right')} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-normalizer`}>compared as</label>
        <select
          id={`${id}-normalizer`}
          value={settings.match.normalizer}
          onChange={(e) => {
            set({ match: { ...settings.match, normalizer: e.target.value as Normalizer } });
          }}
        >
          {NORMALIZERS.map(([normalizer, label]) => (
            <option key={normalizer} value={normalizer}>
              {label}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}

const KINDS: ReadonlyArray<readonly [SyncKind, string]> = [
  ['records', 'Records: keep records in step, one or both ways (matched and linked)'],
  ['events', 'Events: each source record that passes the filter becomes one event, sent once'],
  ['audience', "Audience: the source records that pass the filter are an audience's members"],
];

/** What every sync has: a name, a kind (chosen when it is created), a schedule. */
export function BasicsFields(props: {
  name: string;
  kind: SyncKind;
  everyMinutes: string;
  kindFixed: boolean;
  onChange: (change: { name?: string; kind?: SyncKind; everyMinutes?: string }) => void;
  problem: (path: string) => string | undefined;
}): ReactNode {
  const id = useId();
  return (
    <div className="field-row">
      <div className="field">
        <label htmlFor={`${id}-name`}>Name</label>
        <input
          id={`${id}-name`}
          value={props.name}
          onChange={(e) => {
            props.onChange({ name: e.target.value });
          }}
        />
        <InlineError problem={props.problem('name')} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-kind`}>Kind</label>
        <select
          id={`${id}-kind`}
          value={props.kind}
          disabled={props.kindFixed}
          title={props.kindFixed ? 'A saved sync keeps its kind' : undefined}
          onChange={(e) => {
            props.onChange({ kind: e.target.value as SyncKind });
          }}
        >
          {KINDS.map(([kind, label]) => (
            <option key={kind} value={kind}>
              {label}
            </option>
          ))}
        </select>
        <InlineError problem={props.problem('kind')} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-every`}>Run every (minutes)</label>
        <input
          id={`${id}-every`}
          type="number"
          min={1}
          placeholder="manual runs only"
          value={props.everyMinutes}
          onChange={(e) => {
            props.onChange({ everyMinutes: e.target.value });
          }}
        />
        <InlineError
          problem={props.problem('schedule.intervalSeconds') ?? props.problem('schedule')}
        />
      </div>
    </div>
  );
}
