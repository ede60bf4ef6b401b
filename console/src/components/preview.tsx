/**
 * "Preview" on a sync's page: a dry run on live data (POST /syncs/:id/preview) showing what the
 * next run would create, update (field by field) and leave in conflict; it writes nothing.
 * Offered to keys with config:write only (a preview spends API budget and shows record values).
 */
import { useId, useState, type SubmitEvent, type ReactNode } from 'react';
import { count, words } from '../format';
import { useSession } from '../session';
import { useSides, type SyncSides } from '../sides';
import type { SyncPreview } from '../types';
import { describeError } from './states';
import { Value } from './values';

/** Rows shown per table before "Show all". */
const ROWS = 25;

export type PreviewState =
  | { state: 'idle' }
  | { state: 'running' }
  | { state: 'done'; preview: SyncPreview }
  | { state: 'error'; message: string };

/** A preview call's state: running, done with its preview, or failed with why. */
export function usePreview(): {
  state: PreviewState;
  run: (call: () => Promise<SyncPreview>) => Promise<void>;
} {
  const [state, setState] = useState<PreviewState>({ state: 'idle' });
  const run = async (call: () => Promise<SyncPreview>): Promise<void> => {
    setState({ state: 'running' });
    try {
      setState({ state: 'done', preview: await call() });
    } catch (error) {
      setState({
        state: 'error',
        message: describeError(error instanceof Error ? error : new Error(String(error))),
      });
    }
  };
  return { state, run };
}

/** What a preview call came to, read out as it changes; `children` shows a finished one. */
export function PreviewOutcome(props: {
  state: PreviewState;
  children: (preview: SyncPreview) => ReactNode;
}): ReactNode {
  const { state } = props;
  return (
    <div aria-live="polite">
      {state.state === 'running' && (
        <p className="state state-loading" role="status">
          <span className="spinner" aria-hidden="true" />
          Reading a sample from both sides…
        </p>
      )}
      {state.state === 'error' && (
        <div className="state state-error" role="alert">
          <p>The preview did not run: {state.message}</p>
        </div>
      )}
      {state.state === 'done' && props.children(state.preview)}
    </div>
  );
}

export function PreviewPanel(props: { syncId: string }): ReactNode {
  const { api, can } = useSession();
  const sides = useSides(props.syncId);
  const sampleId = useId();
  const [sample, setSample] = useState('100');
  const { state, run: runPreview } = usePreview();
  if (!can('config:write')) return null;

  async function run(event: SubmitEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const size = Math.min(1000, Math.max(1, Math.round(Number(sample) || 100)));
    await runPreview(() =>
      api.post<SyncPreview>(`/syncs/${encodeURIComponent(props.syncId)}/preview`, {
        sample: size,
      }),
    );
  }

  return (
    <section aria-labelledby="preview-heading" className="preview">
      <h2 id="preview-heading">Preview</h2>
      <form className="inline-form" onSubmit={(event) => void run(event)}>
        <p className="muted small">
          A dry run on live data: reads a sample of records from each side and shows what a run
          would change. It writes nothing and commits nothing, but it does use API calls.
        </p>
        <label htmlFor={sampleId}>Records per side</label>
        <input
          id={sampleId}
          type="number"
          min={1}
          max={1000}
          value={sample}
          onChange={(event) => {
            setSample(event.target.value);
          }}
        />
        <button type="submit" disabled={state.state === 'running'}>
          {state.state === 'running' ? 'Previewing…' : 'Preview'}
        </button>
      </form>
      <PreviewOutcome state={state}>
        {(preview) => <PreviewResult preview={preview} sides={sides} />}
      </PreviewOutcome>
    </section>
  );
}

export function PreviewResult(props: { preview: SyncPreview; sides: SyncSides }): ReactNode {
  const { preview, sides } = props;
  if (preview.problems.length > 0) {
    return (
      <div className="state state-error" role="alert">
        <p>The definition has problems, so nothing was read:</p>
        <ul>
          {preview.problems.map((p) => (
            <li key={`${p.path}:${p.problem}`}>
              <code>{p.path}</code>: {p.problem}
            </li>
          ))}
        </ul>
      </div>
    );
  }
  const changes = preview.updates.reduce((sum, u) => sum + u.changes.length, 0);
  return (
    <div data-preview="result">
      <p className="preview-summary" role="status">
        Read {count(preview.read)} records: {count(preview.creates.length)} to create,{' '}
        {count(preview.updates.length)} to update ({count(changes)} field changes),{' '}
        {count(preview.conflicts.length)} conflicts, {count(preview.skipped.length)} skipped,{' '}
        {count(preview.unchanged)} unchanged.
      </p>
      {(preview.events.length > 0 || preview.adds.length > 0 || preview.removes.length > 0) && (
        <p className="preview-summary">
          {count(preview.events.length)} events to send, {count(preview.adds.length)} members to
          add, {count(preview.removes.length)} to remove.
        </p>
      )}
      <Events preview={preview} />
      <Members title="Members to add" id="preview-adds" items={preview.adds} />
      <Members title="Members to remove" id="preview-removes" items={preview.removes} />
      <Creates preview={preview} sides={sides} />
      <Updates preview={preview} sides={sides} />
      <Conflicts preview={preview} sides={sides} />
      <Skipped preview={preview} sides={sides} />
    </div>
  );
}

/** The first ROWS rows of a list, with a button to show the rest. */
function useShown<T>(items: T[]): { shown: T[]; more: ReactNode } {
  const [all, setAll] = useState(false);
  const shown = all ? items : items.slice(0, ROWS);
  const more =
    items.length > ROWS && !all ? (
      <button
        type="button"
        className="link-button"
        onClick={() => {
          setAll(true);
        }}
      >
        Show all {count(items.length)}
      </button>
    ) : null;
  return { shown, more };
}

/**
 * One section of the plan: a heading and a table of `items` (the first ROWS, with "Show all"),
 * nothing when there are none.
 */
function PlanTable<T>(props: {
  id: string;
  title: string;
  columns: readonly string[];
  items: T[];
  row: (item: T) => ReactNode;
}): ReactNode {
  const { shown, more } = useShown(props.items);
  if (props.items.length === 0) return null;
  return (
    <>
      <h3 id={props.id}>{props.title}</h3>
      <table className="data-table" aria-labelledby={props.id}>
        <thead>
          <tr>
            {props.columns.map((column) => (
              <th key={column} scope="col">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{shown.map(props.row)}</tbody>
      </table>
      {more}
    </>
  );
}

function Creates(props: { preview: SyncPreview; sides: SyncSides }): ReactNode {
  const { sides } = props;
  return (
    <PlanTable
      id="preview-creates"
      title="Planned creates"
      columns={['Created on', 'From record', 'Fields']}
      items={props.preview.creates}
      row={(create) => (
        <tr key={`${create.side}:${create.sourceId}`}>
          <td>{sides[create.side].name}</td>
          <td>
            <code>{create.sourceId}</code>
          </td>
          <td>
            {Object.entries(create.fields).map(([field, value]) => (
              <div key={field} className="small">
                <code>{field}</code> = <Value value={value} />
              </div>
            ))}
          </td>
        </tr>
      )}
    />
  );
}

function Updates(props: { preview: SyncPreview; sides: SyncSides }): ReactNode {
  const { sides } = props;
  return (
    <PlanTable
      id="preview-updates"
      title="Planned updates"
      columns={['Record written', 'From record', 'Field', 'Now', 'Would be']}
      items={props.preview.updates}
      row={(update) =>
        update.changes.map((change, i) => (
          <tr key={`${update.side}:${update.id}:${change.field}`}>
            {i === 0 && (
              <>
                <td rowSpan={update.changes.length}>
                  {sides[update.side].name}: <code>{update.id}</code>
                  {update.newLink && <div className="small muted">linked by matching</div>}
                </td>
                <td rowSpan={update.changes.length}>
                  <code>{update.sourceId}</code>
                </td>
              </>
            )}
            <td>
              <code>{change.field}</code>
            </td>
            <td>
              <Value value={change.from} />
            </td>
            <td>
              <Value value={change.to} />
            </td>
          </tr>
        ))
      }
    />
  );
}

function Conflicts(props: { preview: SyncPreview; sides: SyncSides }): ReactNode {
  const { sides } = props;
  return (
    <PlanTable
      id="preview-conflicts"
      title="Planned conflicts"
      columns={[
        `${sides.left.name} record`,
        `${sides.left.name} field`,
        `${sides.left.name} value`,
        `${sides.right.name} value`,
        `${sides.right.name} field`,
        `${sides.right.name} record`,
      ]}
      items={props.preview.conflicts}
      row={(c) => (
        <tr key={`${c.leftId}:${c.leftField}`}>
          <td>
            <code>{c.leftId}</code>
          </td>
          <td>
            <code>{c.leftField}</code>
          </td>
          <td>
            <Value value={c.leftValue} />
          </td>
          <td>
            <Value value={c.rightValue} />
          </td>
          <td>
            <code>{c.rightField}</code>
          </td>
          <td>
            <code>{c.rightId}</code>
          </td>
        </tr>
      )}
    />
  );
}

function Skipped(props: { preview: SyncPreview; sides: SyncSides }): ReactNode {
  const { sides } = props;
  return (
    <PlanTable
      id="preview-skipped"
      title="Skipped"
      columns={['Record', 'Why', 'Message']}
      items={props.preview.skipped}
      row={(s) => (
        <tr key={`${s.side}:${s.id}`}>
          <td>
            {sides[s.side].name}: <code>{s.id}</code>
          </td>
          <td>{words(s.action)}</td>
          <td>{s.message}</td>
        </tr>
      )}
    />
  );
}

function Events(props: { preview: SyncPreview }): ReactNode {
  return (
    <PlanTable
      id="preview-events"
      title="Events to send"
      columns={['From record', 'Key', 'Happened', 'Fields', 'Identifiers']}
      items={props.preview.events}
      row={(event) => (
        <tr key={event.key}>
          <td>
            <code>{event.sourceId}</code>
          </td>
          <td>
            <code>{event.key}</code>
          </td>
          <td>{event.occurredAt}</td>
          <td>
            {Object.entries(event.fields).map(([field, value]) => (
              <div key={field} className="small">
                <code>{field}</code> = <Value value={value} />
              </div>
            ))}
          </td>
          <td>{event.identifiers.join(', ')}</td>
        </tr>
      )}
    />
  );
}

function Members(props: { title: string; id: string; items: SyncPreview['adds'] }): ReactNode {
  return (
    <PlanTable
      id={props.id}
      title={props.title}
      columns={['Member', 'Identifiers']}
      items={props.items}
      row={(member) => (
        <tr key={member.key}>
          <td>
            <code>{member.key}</code>
          </td>
          <td>{member.identifiers.join(', ')}</td>
        </tr>
      )}
    />
  );
}
