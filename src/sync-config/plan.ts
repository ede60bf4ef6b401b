/**
 * The plan: what applying the files would change on the server. Syncs are matched by name;
 * a sync on the server that no file names is removed only with `prune`, and otherwise listed
 * as not managed by these files.
 */
import type { FileProblem } from './problems';
import type { SynclineClient } from './client';
import { differences, type Difference } from './diff';
import { problemAt, type LoadedConfig } from './load';
import type { ServerCheck } from './server-check';
import { isMaskedWebhookUrl, specFromServer, type ServerSync, type SyncSpec } from './spec';

export interface PlannedCreate {
  name: string;
  file: string;
  spec: SyncSpec;
}

export interface PlannedUpdate {
  name: string;
  file: string;
  id: string;
  /** The version read; the update is refused (409) if the sync changed since. */
  version: number;
  spec: SyncSpec;
  differences: Difference[];
}

export interface PlannedRemoval {
  name: string;
  id: string;
  version: number;
}

export interface Plan {
  creates: PlannedCreate[];
  updates: PlannedUpdate[];
  /** Only with `prune`. */
  removals: PlannedRemoval[];
  unchanged: Array<{ name: string; file: string }>;
  /** Syncs on the server that no file defines (without `prune`). */
  unmanaged: Array<{ name: string; id: string }>;
  /** Changes that cannot be applied as the files stand. */
  problems: FileProblem[];
}

export function hasChanges(plan: Plan): boolean {
  return plan.creates.length + plan.updates.length + plan.removals.length > 0;
}

export function serverSyncs(client: SynclineClient): Promise<ServerSync[]> {
  return client.all<ServerSync>('/api/v1/syncs');
}

/** The plan of the files of `config` that have no problems, against the server's syncs. */
export async function makePlan(
  config: LoadedConfig,
  client: SynclineClient,
  check: ServerCheck,
  options: { prune?: boolean } = {},
): Promise<Plan> {
  const server = await serverSyncs(client);
  const byName = new Map(server.map((sync) => [sync.name, sync]));
  const plan: Plan = {
    creates: [],
    updates: [],
    removals: [],
    unchanged: [],
    unmanaged: [],
    problems: [],
  };
  const named = new Set<string>();
  for (const file of config.files) {
    const spec = file.spec;
    if (spec === undefined) continue;
    named.add(spec.name);
    if (file.problems.length > 0) continue;
    const existing = byName.get(spec.name);
    const masked = spec.alerts !== undefined && isMaskedWebhookUrl(spec.alerts.webhookUrl);
    if (existing === undefined) {
      if (masked)
        plan.problems.push(
          problemAt(
            file,
            'alerts.webhookUrl',
            'the URL is hidden (as the server shows it); give the full URL or ${ENV_VAR} to create the sync',
          ),
        );
      else plan.creates.push({ name: spec.name, file: file.file, spec });
      continue;
    }
    const diff = differences(specFromServer(existing, check.connectionNames), spec);
    if (diff.length === 0) {
      plan.unchanged.push({ name: spec.name, file: file.file });
      continue;
    }
    if (masked && diff.some((d) => d.path.startsWith('alerts')))
      plan.problems.push(
        problemAt(
          file,
          'alerts.webhookUrl',
          'the URL is hidden (as the server shows it); give the full URL or ${ENV_VAR} to change the alerts',
        ),
      );
    else
      plan.updates.push({
        name: spec.name,
        file: file.file,
        id: existing.id,
        version: existing.version,
        spec,
        differences: diff,
      });
  }
  for (const sync of server) {
    if (named.has(sync.name)) continue;
    if (options.prune === true)
      plan.removals.push({ name: sync.name, id: sync.id, version: sync.version });
    else plan.unmanaged.push({ name: sync.name, id: sync.id });
  }
  return plan;
}
