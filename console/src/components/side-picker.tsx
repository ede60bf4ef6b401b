/**
 * One side of a sync in the editor: a connection, one of its objects (from discover), how records
 * are written there; and the object's fields, loaded for the mapper.
 */
import { useId, type ReactNode } from 'react';
import type { Api } from '../api';
import { useSession } from '../session';
import type { AudienceInfo, Connection, FieldInfo, ObjectInfo } from '../types';
import { useLoad } from '../use-load';
import { InlineError } from './states';

export interface SideDraft {
  connectionId: string;
  object: string;
  writeMode: 'upsert' | 'update' | 'create';
}

const WRITE_MODES = [
  ['upsert', 'Create or update'],
  ['update', 'Update only (never create)'],
  ['create', 'Create only'],
] as const;

/**
 * What a side can name: the connection's objects, or (the right side of an audience sync) its
 * audiences (lists, tags), the ones it can write to.
 */
export function useObjects(
  connectionId: string,
  audiences = false,
): ReturnType<typeof useLoad<ObjectInfo[]>> {
  const { api } = useSession();
  return useLoad(`objects:${connectionId}:${String(audiences)}`, async (signal) => {
    if (connectionId === '') return [];
    const base = `/connections/${encodeURIComponent(connectionId)}`;
    if (!audiences)
      return (await api.get<{ items: ObjectInfo[] }>(`${base}/objects`, signal)).items;
    const found = await api.get<{ items: AudienceInfo[] }>(`${base}/audiences`, signal);
    return found.items
      .filter((audience) => audience.writable)
      .map((audience) => ({
        name: audience.id,
        label: audience.name,
        fieldCount: 0,
        deletes: false,
        writeModes: [],
      }));
  });
}

export async function loadFields(
  api: Api,
  side: Pick<SideDraft, 'connectionId' | 'object'>,
  signal: AbortSignal,
): Promise<FieldInfo[]> {
  if (side.connectionId === '' || side.object === '') return [];
  const fields = await api.get<{ items: FieldInfo[] }>(
    `/connections/${encodeURIComponent(side.connectionId)}/objects/${encodeURIComponent(side.object)}/fields`,
    signal,
  );
  return fields.items;
}

export function SidePicker(props: {
  label: string;
  side: SideDraft;
  connections: Connection[];
  onChange: (side: SideDraft) => void;
  problem: (path: string) => string | undefined;
  path: 'left' | 'right';
  /** What the side names: an object (default), an audience, or an event type. */
  names?: 'object' | 'audience' | 'event type';
  /** Whether records are written here (a records sync's sides); events and audiences are sent. */
  writes?: boolean;
}): ReactNode {
  const { side, onChange, path } = props;
  const names = props.names ?? 'object';
  const id = useId();
  const objects = useObjects(side.connectionId, names === 'audience');
  const chosen = objects.data?.find((object) => object.name === side.object);
  return (
    <fieldset className="side-picker">
      <legend>{props.label}</legend>
      <div className="field">
        <label htmlFor={`${id}-connection`}>Connection</label>
        <select
          id={`${id}-connection`}
          value={side.connectionId}
          onChange={(e) => {
            onChange({ ...side, connectionId: e.target.value, object: '' });
          }}
        >
          <option value="">Choose a connection…</option>
          {props.connections.map((connection) => (
            <option key={connection.id} value={connection.id}>
              {connection.name}
            </option>
          ))}
        </select>
        <InlineError problem={props.problem(`${path}.connectionId`)} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-object`}>
          {names === 'object' ? 'Object' : names === 'audience' ? 'Audience' : 'Event type'}
        </label>
        <select
          id={`${id}-object`}
          value={side.object}
          disabled={side.connectionId === '' || objects.state !== 'ready'}
          onChange={(e) => {
            onChange({ ...side, object: e.target.value });
          }}
        >
          <option value="">
            {objects.state === 'loading' && side.connectionId !== ''
              ? 'Asking the vendor…'
              : `Choose ${names === 'audience' ? 'an audience' : names === 'object' ? 'an object' : 'an event type'}…`}
          </option>
          {objects.data?.map((object) => (
            <option key={object.name} value={object.name}>
              {object.label === object.name ? object.name : `${object.label} (${object.name})`}
            </option>
          ))}
        </select>
        {objects.state === 'error' && (
          <InlineError problem={`The objects could not be read: ${objects.error.message}`} />
        )}
        <InlineError problem={props.problem(`${path}.object`)} />
      </div>
      {props.writes !== false && (
        <div className="field">
          <label htmlFor={`${id}-write`}>Writes</label>
          <select
            id={`${id}-write`}
            value={side.writeMode}
            onChange={(e) => {
              onChange({ ...side, writeMode: e.target.value as SideDraft['writeMode'] });
            }}
          >
            {WRITE_MODES.filter(
              ([mode]) => chosen === undefined || chosen.writeModes.includes(mode),
            ).map(([mode, label]) => (
              <option key={mode} value={mode}>
                {label}
              </option>
            ))}
          </select>
          <InlineError problem={props.problem(`${path}.writeMode`)} />
        </div>
      )}
    </fieldset>
  );
}
