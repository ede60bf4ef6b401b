/**
 * Applies a plan through the REST API: creates (POST), updates (PATCH with the version read,
 * then enable / disable), removals (DELETE). A sync changed on the server since the plan gets
 * 409 stale_version: reported, the others still applied.
 */
import type { FileProblem } from './problems';
import { ApiError, type SynclineClient } from './client';
import type { Plan } from './plan';
import type { Progress } from './server-check';
import { canonicalSpec, definitionBody, type SyncSpec } from './spec';

export interface ApplyResult {
  created: string[];
  changed: string[];
  removed: string[];
  problems: FileProblem[];
}

interface Saved {
  id: string;
  version: number;
}

export function connectionIdsOf(
  spec: SyncSpec,
  connectionIds: Map<string, string>,
): { left: string; right: string } {
  const id = (name: string): string => {
    const found = connectionIds.get(name);
    if (found === undefined) throw new Error(`no connection named "${name}"`);
    return found;
  };
  return { left: id(spec.left.connection), right: id(spec.right.connection) };
}

function runSettings(spec: SyncSpec): Record<string, unknown> {
  const canonical = canonicalSpec(spec);
  return { schedule: canonical.schedule, alerts: canonical.alerts };
}

function failure(file: string, name: string, error: unknown): FileProblem[] {
  if (!(error instanceof ApiError)) throw error;
  if (error.code === 'stale_version')
    return [
      {
        file,
        path: '',
        problem: `the sync "${name}" changed on the server since the plan was made; run plan again and re-apply`,
      },
    ];
  const details = error.details.length > 0 ? error.details : [{ path: '', problem: '' }];
  return details.map((detail) => ({
    file,
    path: detail.path.replace(/^(left|right)\.connectionId$/, '$1.connection'),
    problem:
      detail.problem === ''
        ? `${error.message} (${String(error.status)} ${error.code})`
        : `${detail.problem} (${error.code})`,
  }));
}

export async function applyPlan(
  plan: Plan,
  client: SynclineClient,
  connectionIds: Map<string, string>,
  options: { progress?: Progress; log?: (line: string) => void } = {},
): Promise<ApplyResult> {
  const result: ApplyResult = { created: [], changed: [], removed: [], problems: [] };
  const total = plan.creates.length + plan.updates.length + plan.removals.length;
  let done = 0;
  const step = (label: string): void => options.progress?.(done, total, label);

  for (const create of plan.creates) {
    step(`creating ${create.name}`);
    try {
      await client.request<Saved>('POST', '/api/v1/syncs', {
        name: create.spec.name,
        enabled: create.spec.enabled ?? true,
        ...definitionBody(create.spec, connectionIdsOf(create.spec, connectionIds)),
        ...runSettings(create.spec),
      });
      result.created.push(create.name);
      options.log?.(`created ${create.name}`);
    } catch (error) {
      result.problems.push(...failure(create.file, create.name, error));
    }
    done += 1;
  }

  for (const update of plan.updates) {
    step(`changing ${update.name}`);
    try {
      const changed = new Set(update.differences.map((d) => d.path.split(/[.[]/)[0] ?? ''));
      const body: Record<string, unknown> = {
        ...definitionBody(update.spec, connectionIdsOf(update.spec, connectionIds)),
        ...runSettings(update.spec),
      };
      const patch = Object.fromEntries(Object.entries(body).filter(([key]) => changed.has(key)));
      let version = update.version;
      if (Object.keys(patch).length > 0) {
        const saved = await client.request<Saved>('PATCH', `/api/v1/syncs/${update.id}`, {
          version,
          ...patch,
        });
        version = saved.version;
      }
      if (changed.has('enabled')) {
        const action = (update.spec.enabled ?? true) ? 'enable' : 'disable';
        await client.request<Saved>('POST', `/api/v1/syncs/${update.id}/${action}`, { version });
      }
      result.changed.push(update.name);
      options.log?.(`changed ${update.name}`);
    } catch (error) {
      result.problems.push(...failure(update.file, update.name, error));
    }
    done += 1;
  }

  for (const removal of plan.removals) {
    step(`removing ${removal.name}`);
    try {
      await client.request<undefined>('DELETE', `/api/v1/syncs/${removal.id}`);
      result.removed.push(removal.name);
      options.log?.(`removed ${removal.name}`);
    } catch (error) {
      result.problems.push(...failure('', removal.name, error));
    }
    done += 1;
  }
  step('');
  return result;
}
