/**
 * Create or edit a records sync in the console: its sides (connections and objects from
 * discover), direction, match rule, policies and schedule, the field mapper, a preview of the
 * definition as it stands (unsaved) next to Save, and, for a saved sync, its version history.
 * Saving sends the definition to POST /syncs or PATCH /syncs/:id, which check it against the live
 * schema; a refusal is shown where it applies.
 */
import { useState, type ReactNode } from 'react';
import { ApiError, type Api } from '../api';
import { DraftPreview } from '../components/draft-preview';
import { FieldMapper } from '../components/field-mapper';
import { SidePicker, loadFields, type SideDraft } from '../components/side-picker';
import { Empty, ErrorState, FormError, Loading } from '../components/states';
import { BasicsFields, SyncSettingsFields } from '../components/sync-settings';
import { AudienceFields, FilterEditor } from '../components/kind-fields';
import { VersionHistory } from '../components/version-history';
import { Link, navigate } from '../router';
import { useSession } from '../session';
import { sidesOf } from '../sides';
import type { Connection, FieldInfo, Page, Sync } from '../types';
import {
  type Draft,
  NEW_DRAFT,
  SHOWN_IN_PLACE,
  definitionOf,
  draftOf,
  scheduleOf,
} from '../sync-draft';
import { useLoad } from '../use-load';

async function loadEditor(
  api: Api,
  syncId: string | undefined,
  signal: AbortSignal,
): Promise<{ connections: Connection[]; sync: Sync | undefined }> {
  const [connections, sync] = await Promise.all([
    api.get<Page<Connection>>('/connections?limit=200', signal),
    syncId === undefined
      ? Promise.resolve(undefined)
      : api.get<Sync>(`/syncs/${encodeURIComponent(syncId)}`, signal),
  ]);
  return { connections: connections.items, sync };
}

export function SyncEditorPage(props: { syncId?: string }): ReactNode {
  const { api, can } = useSession();
  const loaded = useLoad(`sync-editor:${props.syncId ?? 'new'}`, (signal) =>
    loadEditor(api, props.syncId, signal),
  );
  const heading = props.syncId === undefined ? 'New sync' : 'Edit sync';
  if (!can('config:write'))
    return (
      <>
        <h1>{heading}</h1>
        <Empty>
          <p>This key may not change syncs (it needs an editor or admin key).</p>
        </Empty>
      </>
    );
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to={{ page: 'overview' }}>Overview</Link> <span aria-hidden="true">/</span>{' '}
        {loaded.data?.sync !== undefined && (
          <>
            <Link to={{ page: 'sync', id: loaded.data.sync.id }}>{loaded.data.sync.name}</Link>{' '}
            <span aria-hidden="true">/</span>{' '}
          </>
        )}
        {heading}
      </nav>
      <h1>{heading}</h1>
      {loaded.state === 'loading' && <Loading what="the connections" />}
      {loaded.state === 'error' && <ErrorState error={loaded.error} onRetry={loaded.reload} />}
      {loaded.state === 'ready' && (
        <SyncEditor
          key={loaded.data.sync?.version ?? 0}
          connections={loaded.data.connections}
          saved={loaded.data.sync}
        />
      )}
    </>
  );
}

/** The fields of a side's object, from discover (none until both are chosen). */
function useFields(side: SideDraft): ReturnType<typeof useLoad<FieldInfo[]>> {
  const { api } = useSession();
  return useLoad(`fields:${side.connectionId}:${side.object}`, (signal) =>
    loadFields(api, side, signal),
  );
}

function SyncEditor(props: { connections: Connection[]; saved: Sync | undefined }): ReactNode {
  const { saved, connections } = props;
  const [draft, setDraft] = useState<Draft>(() =>
    saved === undefined ? NEW_DRAFT : draftOf(saved),
  );
  const { error, busy, current, savedNote, save } = useSave(saved);
  const leftFields = useFields(draft.left);
  const rightFields = useFields(draft.right);
  const byId = new Map(connections.map((c) => [c.id, c]));
  const sides = sidesOf({ left: { ...draft.left }, right: { ...draft.right } }, byId);
  const problem = (path: string): string | undefined =>
    error instanceof ApiError
      ? (error.detail(path) ?? error.detail(`definition.${path}`))
      : undefined;

  return (
    <div className="sync-editor">
      <form
        className="editor-form editor-wide"
        aria-label="Sync definition"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void save(draft);
        }}
      >
        <BasicsFields
          name={draft.name}
          kind={draft.kind}
          everyMinutes={draft.settings.everyMinutes}
          kindFixed={current !== undefined}
          problem={problem}
          onChange={(change) => {
            setDraft({
              ...draft,
              ...(change.name === undefined ? {} : { name: change.name }),
              ...(change.kind === undefined ? {} : { kind: change.kind }),
              settings: {
                ...draft.settings,
                everyMinutes: change.everyMinutes ?? draft.settings.everyMinutes,
              },
            });
          }}
        />
        <SidePickers
          draft={draft}
          connections={connections}
          problem={problem}
          onChange={(change) => {
            setDraft({ ...draft, ...change });
          }}
        />
        <KindParts
          draft={draft}
          onChange={(change) => {
            setDraft({ ...draft, ...change });
          }}
          names={{ left: sides.left.name, right: sides.right.name }}
          fields={{ left: leftFields.data ?? [], right: rightFields.data ?? [] }}
          problem={problem}
        />
        <FormError error={error} shown={SHOWN_IN_PLACE} />
        {savedNote !== undefined && (
          <p className="state state-success" role="status">
            {savedNote}
          </p>
        )}
        <div className="form-actions">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Saving…' : current === undefined ? 'Create sync' : 'Save changes'}
          </button>
        </div>
      </form>
      <DraftPreview
        definition={() => definitionOf(draft, current)}
        syncId={current?.id}
        sides={sides}
        matches={draft.kind === 'records'}
      />
      {current !== undefined && (
        <VersionHistory
          syncId={current.id}
          connections={connections}
          generation={current.version}
        />
      )}
    </div>
  );
}

/** Saving: a new sync is created (then its page opens), a saved one changed at its version. */
function useSave(saved: Sync | undefined): {
  error: Error | undefined;
  busy: boolean;
  current: Sync | undefined;
  savedNote: string | undefined;
  save: (draft: Draft) => Promise<void>;
} {
  const { api } = useSession();
  const [error, setError] = useState<Error | undefined>();
  const [busy, setBusy] = useState(false);
  const [current, setCurrent] = useState(saved);
  const [savedNote, setSavedNote] = useState<string | undefined>();
  async function save(draft: Draft): Promise<void> {
    setBusy(true);
    setError(undefined);
    setSavedNote(undefined);
    const body: Record<string, unknown> = {
      name: draft.name.trim(),
      ...definitionOf(draft, current),
      schedule: scheduleOf(draft),
    };
    try {
      if (current === undefined) {
        const created = await api.post<Sync>('/syncs', body);
        navigate({ page: 'sync', id: created.id });
        return;
      }
      const { kind: _, ...change } = body;
      const updated = await api.patch<Sync>(`/syncs/${encodeURIComponent(current.id)}`, {
        ...change,
        version: current.version,
      });
      setCurrent(updated);
      setSavedNote(`Saved as version ${String(updated.version)}.`);
    } catch (caught) {
      setError(caught instanceof Error ? caught : new Error(String(caught)));
    }
    setBusy(false);
  }
  return { error, busy, current, savedNote, save };
}

function SidePickers(props: {
  draft: Draft;
  connections: Connection[];
  problem: (path: string) => string | undefined;
  onChange: (change: Partial<Draft>) => void;
}): ReactNode {
  const { draft, connections, problem, onChange } = props;
  return (
    <div className="sides">
      <SidePicker
        label="Left side"
        writes={draft.kind === 'records'}
        path="left"
        side={draft.left}
        connections={connections}
        problem={problem}
        onChange={(left) => {
          onChange({ left });
        }}
      />
      <SidePicker
        label="Right side"
        writes={draft.kind === 'records'}
        names={
          draft.kind === 'audience' ? 'audience' : draft.kind === 'events' ? 'event type' : 'object'
        }
        path="right"
        side={draft.right}
        connections={connections}
        problem={problem}
        onChange={(right) => {
          onChange({ right });
        }}
      />
    </div>
  );
}

/** What depends on the kind: the filter, then the match rule and mapper, or who and which events. */
function KindParts(props: {
  draft: Draft;
  onChange: (change: Partial<Draft>) => void;
  names: { left: string; right: string };
  fields: { left: FieldInfo[]; right: FieldInfo[] };
  problem: (path: string) => string | undefined;
}): ReactNode {
  const { draft, onChange, names, fields, problem } = props;
  const direction =
    draft.kind === 'events'
      ? 'left_to_right'
      : draft.settings.direction === 'bidirectional'
        ? 'both'
        : draft.settings.direction;
  return (
    <>
      <FilterEditor
        sideName={names.left}
        filter={draft.filter}
        fields={fields.left}
        problem={problem}
        onChange={(filter) => {
          onChange({ filter });
        }}
      />
      {draft.kind === 'records' ? (
        <SyncSettingsFields
          settings={draft.settings}
          onChange={(settings) => {
            onChange({ settings });
          }}
          names={names}
          fields={fields}
          problem={problem}
        />
      ) : (
        <AudienceFields
          kind={draft.kind}
          fields={fields.left}
          identifiers={draft.identifiers}
          events={draft.events}
          onIdentifiers={(identifiers) => {
            onChange({ identifiers });
          }}
          onEvents={(events) => {
            onChange({ events });
          }}
          problem={problem}
        />
      )}
      {draft.kind !== 'audience' && (
        <FieldMapper
          sides={{
            leftName: names.left,
            rightName: names.right,
            left: fields.left,
            right: fields.right,
          }}
          mappings={draft.mappings}
          syncDirection={direction}
          problem={problem}
          onChange={(mappings) => {
            onChange({ mappings });
          }}
        />
      )}
    </>
  );
}
