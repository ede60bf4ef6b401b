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
import { Empty, ErrorState, InlineError, Loading } from '../components/states';
import { FormError } from '../components/connection-form';
import { SyncSettingsFields, type SyncSettings } from '../components/sync-settings';
import { VersionHistory } from '../components/version-history';
import { Link, navigate } from '../router';
import { useSession } from '../session';
import { sidesOf } from '../sides';
import type { Connection, FieldInfo, FieldMapping, Page, Sync } from '../types';
import { useLoad } from '../use-load';

interface Draft {
  name: string;
  left: SideDraft;
  right: SideDraft;
  settings: SyncSettings;
  mappings: FieldMapping[];
}

const NEW_DRAFT: Draft = {
  name: '',
  left: { connectionId: '', object: '', writeMode: 'upsert' },
  right: { connectionId: '', object: '', writeMode: 'upsert' },
  settings: {
    direction: 'bidirectional',
    match: { left: '', right: '', normalizer: 'email' },
    defaultPolicy: 'latest_wins',
    deletePolicy: 'ignore',
    everyMinutes: '15',
  },
  mappings: [],
};

/** Problems the form shows beside their field (others are listed under the form). */
const SHOWN_IN_PLACE = new Set([
  'name',
  'direction',
  'mappings',
  'match.left',
  'match.right',
  'schedule',
  'schedule.intervalSeconds',
  ...['left', 'right'].flatMap((side) => [
    `${side}.connectionId`,
    `${side}.object`,
    `${side}.writeMode`,
  ]),
]);

function draftOf(sync: Sync): Draft {
  const side = (s: Sync['left']): SideDraft => ({
    connectionId: s.connectionId,
    object: s.object,
    writeMode: s.writeMode ?? 'upsert',
  });
  const seconds = sync.schedule?.intervalSeconds;
  return {
    name: sync.name,
    left: side(sync.left),
    right: side(sync.right),
    settings: {
      direction: sync.direction ?? 'bidirectional',
      match: sync.match ?? NEW_DRAFT.settings.match,
      defaultPolicy: sync.defaultPolicy ?? 'latest_wins',
      deletePolicy: sync.deletePolicy ?? 'ignore',
      everyMinutes: seconds === undefined ? '' : String(Math.max(1, Math.round(seconds / 60))),
    },
    mappings: sync.mappings,
  };
}

/** The definition part of the API body (what a preview takes). */
function definitionOf(draft: Draft, saved: Sync | undefined): Record<string, unknown> {
  const side = (s: SideDraft, was: Sync['left'] | undefined): Record<string, unknown> => ({
    ...was,
    connectionId: s.connectionId,
    object: s.object,
    writeMode: s.writeMode,
  });
  return {
    kind: 'records',
    left: side(draft.left, saved?.left),
    right: side(draft.right, saved?.right),
    direction: draft.settings.direction,
    match: draft.settings.match,
    mappings: draft.mappings,
    defaultPolicy: draft.settings.defaultPolicy,
    deletePolicy: draft.settings.deletePolicy,
  };
}

/** Minutes as typed into the API's schedule; what is not a number goes as typed, for the API to refuse. */
function scheduleOf(draft: Draft): { intervalSeconds: number | string } | null {
  const text = draft.settings.everyMinutes.trim();
  if (text === '') return null;
  const minutes = Number(text);
  return { intervalSeconds: Number.isFinite(minutes) ? Math.round(minutes * 60) : text };
}

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
      {loaded.state === 'ready' &&
        (loaded.data.sync !== undefined && loaded.data.sync.kind !== 'records' ? (
          <Empty>
            <p>
              The console edits records syncs; this one is an {loaded.data.sync.kind} sync. Change
              it with <code>syncline apply</code> or <code>PATCH /api/v1/syncs/{'{id}'}</code>.
            </p>
          </Empty>
        ) : (
          <SyncEditor
            key={loaded.data.sync?.version ?? 0}
            connections={loaded.data.connections}
            saved={loaded.data.sync}
          />
        ))}
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
  const mappingDirection =
    draft.settings.direction === 'bidirectional' ? 'both' : draft.settings.direction;

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
        <div className="field">
          <label htmlFor="sync-name">Name</label>
          <input
            id="sync-name"
            value={draft.name}
            onChange={(e) => {
              setDraft({ ...draft, name: e.target.value });
            }}
          />
          <InlineError problem={problem('name')} />
        </div>
        <SidePickers
          draft={draft}
          connections={connections}
          problem={problem}
          onChange={(change) => {
            setDraft({ ...draft, ...change });
          }}
        />
        <SyncSettingsFields
          settings={draft.settings}
          onChange={(settings) => {
            setDraft({ ...draft, settings });
          }}
          names={{ left: sides.left.name, right: sides.right.name }}
          fields={{ left: leftFields.data ?? [], right: rightFields.data ?? [] }}
          problem={problem}
        />
        <FieldMapper
          sides={{
            leftName: sides.left.name,
            rightName: sides.right.name,
            left: leftFields.data ?? [],
            right: rightFields.data ?? [],
          }}
          mappings={draft.mappings}
          syncDirection={mappingDirection}
          problem={problem}
          onChange={(mappings) => {
            setDraft({ ...draft, mappings });
          }}
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
