/**
 * The preview next to an editor's Save: the definition as it stands in the form, not saved yet,
 * run dry on a sample of live records (POST /syncs/preview): what would be created, updated field
 * by field (before and after) and left in conflict, how many records would match, and the API
 * calls it used. It writes nothing.
 */
import { useState, type ReactNode } from 'react';
import { count } from '../format';
import { useSession } from '../session';
import type { SyncSides } from '../sides';
import type { SyncPreview } from '../types';
import { PreviewOutcome, PreviewResult, usePreview } from './preview';

type MatchEstimate = SyncPreview['matching']['left'];

/** Ids as typed: separated by commas, spaces or lines. */
function idsOf(text: string): string[] {
  return text.split(/[\s,]+/).filter((id) => id !== '');
}

function matchLine(side: string, other: string, estimate: MatchEstimate): string {
  return `${side}: of ${count(estimate.considered)} ${estimate.considered === 1 ? 'record' : 'records'} read, ${count(estimate.linked)} linked already, ${count(estimate.matched)} match a ${other} record, ${count(estimate.created)} would be created in ${other}${estimate.ambiguous > 0 ? `, ${count(estimate.ambiguous)} ambiguous` : ''}.`;
}

export function DraftPreview(props: {
  /** The definition as the form holds it (the API body's definition part). */
  definition: () => Record<string, unknown>;
  syncId: string | undefined;
  sides: SyncSides;
  /** Only a records sync matches records (events and audiences are sent, not matched). */
  matches: boolean;
}): ReactNode {
  const { api } = useSession();
  const { sides } = props;
  const [ids, setIds] = useState({ left: '', right: '' });
  const { state, run: runPreview } = usePreview();

  async function run(): Promise<void> {
    const recordIds = { left: idsOf(ids.left), right: idsOf(ids.right) };
    const chosen = recordIds.left.length > 0 || recordIds.right.length > 0;
    await runPreview(() =>
      api.post<SyncPreview>('/syncs/preview', {
        definition: props.definition(),
        ...(props.syncId === undefined ? {} : { syncId: props.syncId }),
        ...(chosen ? { recordIds } : { sample: 100 }),
      }),
    );
  }

  return (
    <section aria-labelledby="draft-preview-heading" className="preview">
      <div className="section-heading">
        <h2 id="draft-preview-heading">Preview of this definition</h2>
        <button type="button" onClick={() => void run()} disabled={state.state === 'running'}>
          {state.state === 'running' ? 'Previewing…' : 'Preview'}
        </button>
      </div>
      <p className="muted small">
        Runs the definition as it stands in this form, unsaved, on up to 100 live records of each
        side, or on the records named below: it writes nothing, but uses API calls.
      </p>
      <div className="field-row small">
        {(['left', 'right'] as const).map((side) => (
          <label key={side} className="field field-stacked">
            Only these {sides[side].name} record ids
            <input
              value={ids[side]}
              placeholder="(a sample)"
              onChange={(e) => {
                setIds({ ...ids, [side]: e.target.value });
              }}
            />
          </label>
        ))}
      </div>
      <PreviewOutcome state={state}>
        {(preview) => <DraftResult preview={preview} sides={sides} matches={props.matches} />}
      </PreviewOutcome>
    </section>
  );
}

function DraftResult(props: {
  preview: SyncPreview;
  sides: SyncSides;
  matches: boolean;
}): ReactNode {
  const { preview, sides } = props;
  return (
    <div data-draft-preview="">
      {preview.problems.length === 0 && (
        <>
          {props.matches && (
            <>
              <p className="small" data-matching="left">
                {matchLine(sides.left.name, sides.right.name, preview.matching.left)}
              </p>
              <p className="small" data-matching="right">
                {matchLine(sides.right.name, sides.left.name, preview.matching.right)}
              </p>
            </>
          )}
          <p className="small muted">
            API calls used: {count(preview.apiCalls.left)} in {sides.left.name},{' '}
            {count(preview.apiCalls.right)} in {sides.right.name}.
          </p>
        </>
      )}
      <PreviewResult preview={preview} sides={sides} />
    </div>
  );
}
