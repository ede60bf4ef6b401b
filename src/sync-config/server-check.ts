/**
 * The second stage of validation, against a server: connection names resolve to connections, and
 * each definition passes the engine's validation against the vendors' objects as the server
 * discovers them (`GET /connections/:id/objects[/:object/fields]`): fields exist and are
 * writable, types fit, picklist values are allowed, required fields are covered. That is what
 * `POST /syncs/:id/validate` checks, but for the definition in the file (the server's validate
 * sees only what it has saved, which is the old definition of a changed file, or none).
 */
import type { FieldDescriptor, ObjectDescriptor, WriteMode } from '../../connectors/sdk/contract';
import { kindOf } from '../engine/definition';
import { validateSyncDefinition } from '../engine/validate';
import type { FileProblem } from './problems';
import {
  ApiError,
  type ConnectionSummary,
  type ObjectSummary,
  type SynclineClient,
} from './client';
import { engineDefinition, problemAt, type LoadedConfig, type SyncFile } from './load';

export type Progress = (done: number, total: number, label: string) => void;

export interface ServerCheck {
  /** Connection ids by name, and names by id. */
  connectionIds: Map<string, string>;
  connectionNames: Map<string, string>;
  problems: FileProblem[];
}

const SIDES = ['left', 'right'] as const;

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Resolves connection names, then checks every file that passed the first stage. */
export async function checkAgainstServer(
  config: LoadedConfig,
  client: SynclineClient,
  progress?: Progress,
): Promise<ServerCheck> {
  const connections: ConnectionSummary[] = await client.connections();
  const connectionIds = new Map(connections.map((c) => [c.name, c.id]));
  const connectionNames = new Map(connections.map((c) => [c.id, c.name]));
  const problems: FileProblem[] = [];
  const objects = new Map<string, Promise<ObjectSummary[]>>();
  const fields = new Map<string, Promise<FieldDescriptor[]>>();
  const objectsOf = (id: string): Promise<ObjectSummary[]> => {
    let found = objects.get(id);
    if (found === undefined) {
      found = client.objects(id);
      objects.set(id, found);
    }
    return found;
  };
  const fieldsOf = (id: string, object: string): Promise<FieldDescriptor[]> => {
    const key = `${id}\u0000${object}`;
    let found = fields.get(key);
    if (found === undefined) {
      found = client.fields<FieldDescriptor>(id, object);
      fields.set(key, found);
    }
    return found;
  };

  const checked = config.files.filter(
    (file) => file.spec !== undefined && file.problems.length === 0,
  );
  let done = 0;
  for (const file of checked) {
    progress?.(done, checked.length, file.file);
    problems.push(...(await checkFile(file, connections, connectionIds, objectsOf, fieldsOf)));
    done += 1;
  }
  progress?.(done, checked.length, '');
  for (const problem of problems)
    config.files.find((candidate) => candidate.file === problem.file)?.problems.push(problem);
  return { connectionIds, connectionNames, problems };
}

async function checkFile(
  file: SyncFile,
  connections: ConnectionSummary[],
  connectionIds: Map<string, string>,
  objectsOf: (id: string) => Promise<ObjectSummary[]>,
  fieldsOf: (id: string, object: string) => Promise<FieldDescriptor[]>,
): Promise<FileProblem[]> {
  const spec = file.spec;
  if (spec === undefined) return [];
  const problems: FileProblem[] = [];
  const discovered: Partial<Record<'left' | 'right', ObjectDescriptor>> = {};
  for (const side of SIDES) {
    const { connection, object } = spec[side];
    const id = connectionIds.get(connection);
    // The right side of an events or audience sync is an event type or an audience, not an object
    // (the server checks it against the connector's audiences when the sync is saved).
    const objectSide = side === 'left' || kindOf(spec) === 'records';
    if (id === undefined) {
      const known = connections.map((c) => `"${c.name}"`).join(', ');
      problems.push(
        problemAt(
          file,
          `${side}.connection`,
          `no connection named "${connection}" on the server (${known === '' ? 'it has none' : `it has ${known}`})`,
        ),
      );
      continue;
    }
    if (!objectSide) continue;
    try {
      const list = await objectsOf(id);
      const summary = list.find((candidate) => candidate.name === object);
      if (summary === undefined) {
        problems.push(
          problemAt(
            file,
            `${side}.object`,
            `"${object}" is not an object of ${connection} (it has ${list.map((o) => o.name).join(', ')})`,
          ),
        );
        continue;
      }
      discovered[side] = {
        name: summary.name,
        label: summary.label,
        deletes: summary.deletes,
        writeModes: summary.writeModes as WriteMode[],
        fields: await fieldsOf(id, object),
      };
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      problems.push(
        problemAt(
          file,
          `${side}.connection`,
          `could not discover the objects of ${connection}: ${reason(error)}`,
        ),
      );
    }
  }
  if (discovered.left !== undefined && discovered.right !== undefined) {
    const seen = new Set(file.problems.map((p) => `${p.path}\u0000${p.problem}`));
    for (const problem of validateSyncDefinition(engineDefinition(spec), {
      left: discovered.left,
      right: discovered.right,
    })) {
      const located = problemAt(file, problem.path, problem.problem);
      if (!seen.has(`${located.path}\u0000${located.problem}`)) problems.push(located);
    }
  }
  return problems;
}
