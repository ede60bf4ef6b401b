/**
 * The sync editor's draft: a sync definition as the form holds it, from a saved sync and back to
 * the API's body, for each kind (records, events, audience). Parts of a saved definition the form
 * does not edit (consent, `since`, a source audience) are kept as they are.
 */
import type { SideDraft } from './components/side-picker';
import type { SyncSettings } from './components/sync-settings';
import { IDENTIFIERS, type IdentifierType } from './components/kind-fields';
import type { FieldMapping, FilterGroup, Sync } from './types';

export type SyncKind = Sync['kind'];

export interface Draft {
  name: string;
  kind: SyncKind;
  left: SideDraft;
  right: SideDraft;
  filter: FilterGroup;
  settings: SyncSettings;
  mappings: FieldMapping[];
  identifiers: Partial<Record<IdentifierType, string>>;
  events: { key: string; occurredAt: string };
}

export const NEW_DRAFT: Draft = {
  name: '',
  kind: 'records',
  left: { connectionId: '', object: '', writeMode: 'upsert' },
  right: { connectionId: '', object: '', writeMode: 'upsert' },
  filter: { combine: 'all', conditions: [] },
  settings: {
    direction: 'bidirectional',
    match: { left: '', right: '', normalizer: 'email' },
    defaultPolicy: 'latest_wins',
    deletePolicy: 'ignore',
    everyMinutes: '15',
  },
  mappings: [],
  identifiers: {},
  events: { key: '', occurredAt: '' },
};

/** Problems the form shows beside their field (others are listed under the form). */
export const SHOWN_IN_PLACE = new Set([
  'name',
  'direction',
  'mappings',
  'match.left',
  'match.right',
  'schedule',
  'schedule.intervalSeconds',
  'events.key',
  'events.occurredAt',
  'identifiers',
  'left.filter',
  ...IDENTIFIERS.map(([type]) => `identifiers.${type}`),
  ...['left', 'right'].flatMap((side) => [
    `${side}.connectionId`,
    `${side}.object`,
    `${side}.writeMode`,
  ]),
]);

export function draftOf(sync: Sync): Draft {
  const side = (s: Sync['left']): SideDraft => ({
    connectionId: s.connectionId,
    object: s.object,
    writeMode: s.writeMode ?? 'upsert',
  });
  const seconds = sync.schedule?.intervalSeconds;
  return {
    name: sync.name,
    kind: sync.kind,
    left: side(sync.left),
    right: side(sync.right),
    filter: sync.left.filter ?? NEW_DRAFT.filter,
    settings: {
      direction: sync.direction ?? 'bidirectional',
      match: sync.match ?? NEW_DRAFT.settings.match,
      defaultPolicy: sync.defaultPolicy ?? 'latest_wins',
      deletePolicy: sync.deletePolicy ?? 'ignore',
      everyMinutes: seconds === undefined ? '' : String(Math.max(1, Math.round(seconds / 60))),
    },
    mappings: sync.mappings,
    identifiers: sync.identifiers ?? {},
    events: { key: sync.events?.key ?? '', occurredAt: sync.events?.occurredAt ?? '' },
  };
}

/** The definition part of the API body (what a preview takes), for the draft's kind. */
export function definitionOf(draft: Draft, saved: Sync | undefined): Record<string, unknown> {
  const records = draft.kind === 'records';
  const side = (
    s: SideDraft,
    was: Sync['left'] | undefined,
    filter?: FilterGroup,
  ): Record<string, unknown> => {
    const { filter: _, writeMode: _mode, ...kept } = was ?? { connectionId: '', object: '' };
    return {
      ...kept,
      connectionId: s.connectionId,
      object: s.object,
      ...(records ? { writeMode: s.writeMode } : {}),
      ...(filter !== undefined && filter.conditions.length > 0 ? { filter } : {}),
    };
  };
  const common = {
    kind: draft.kind,
    left: side(draft.left, saved?.left, draft.filter),
    right: side(draft.right, saved?.right, records ? saved?.right.filter : undefined),
  };
  if (records)
    return {
      ...common,
      direction: draft.settings.direction,
      match: draft.settings.match,
      mappings: draft.mappings,
      defaultPolicy: draft.settings.defaultPolicy,
      deletePolicy: draft.settings.deletePolicy,
    };
  const kept = saved?.kind === draft.kind ? saved : undefined;
  return {
    ...common,
    identifiers: draft.identifiers,
    ...(kept?.consent === undefined ? {} : { consent: kept.consent }),
    ...(draft.kind === 'events'
      ? {
          events: {
            ...kept?.events,
            key: draft.events.key,
            ...(draft.events.occurredAt === '' ? {} : { occurredAt: draft.events.occurredAt }),
          },
        }
      : {}),
    mappings:
      draft.kind === 'events'
        ? draft.mappings.map((mapping) => ({ ...mapping, direction: 'left_to_right' }))
        : [],
  };
}

/** Minutes as typed into the API's schedule; what is not a number goes as typed, for the API to refuse. */
export function scheduleOf(draft: Draft): { intervalSeconds: number | string } | null {
  const text = draft.settings.everyMinutes.trim();
  if (text === '') return null;
  const minutes = Number(text);
  return { intervalSeconds: Number.isFinite(minutes) ? Math.round(minutes * 60) : text };
}
