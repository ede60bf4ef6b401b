/**
 * Applies a folder of sync definitions (config/syncs/*.yaml) to a running Syncline through its
 * REST API: what `syncline apply --yes` does (without --prune: it creates and updates, never
 * deletes), and what the server does at boot with SYNCLINE_CONFIG_DIR or the sandbox's config/.
 *
 * Nothing is applied while any file has a problem (YAML, schema, engine rules, connections,
 * fields against the vendors' objects): the problems are returned instead. A folder that cannot
 * be read, or a server that cannot be reached or refuses the key, rejects.
 */
import { applyPlan } from './apply';
import { SynclineClient } from './client';
import { allProblems, loadConfigDir } from './load';
import { makePlan, type PlannedUpdate } from './plan';
import type { FileProblem } from './problems';
import { checkAgainstServer } from './server-check';

export interface ApplyDirResult {
  created: string[];
  changed: string[];
  unchanged: string[];
  /** Updates not applied because `keep` said why (a sync changed since the last apply). */
  kept: Array<{ name: string; file: string; reason: string }>;
  problems: FileProblem[];
}

export async function applyConfigDir(options: {
  dir: string;
  /** Base URL of the server, e.g. http://127.0.0.1:3000 */
  url: string;
  apiKey: string;
  log?: (line: string) => void;
  /** Why an update must not be applied (the sync is someone else's now), or undefined to apply it. */
  keep?: (update: PlannedUpdate) => Promise<string | undefined>;
}): Promise<ApplyDirResult> {
  const config = loadConfigDir(options.dir);
  const none: ApplyDirResult = {
    created: [],
    changed: [],
    unchanged: [],
    kept: [],
    problems: [],
  };
  let problems = allProblems(config);
  if (problems.length > 0) return { ...none, problems };
  const client = new SynclineClient(options.url, options.apiKey);
  const check = await checkAgainstServer(config, client);
  problems = allProblems(config);
  if (problems.length > 0) return { ...none, problems };
  const plan = await makePlan(config, client, check, { prune: false });
  if (plan.problems.length > 0) return { ...none, problems: plan.problems };
  const kept: ApplyDirResult['kept'] = [];
  const updates: PlannedUpdate[] = [];
  for (const update of plan.updates) {
    const reason = await options.keep?.(update);
    if (reason === undefined) updates.push(update);
    else kept.push({ name: update.name, file: update.file, reason });
  }
  const result = await applyPlan(
    { ...plan, updates },
    client,
    check.connectionIds,
    options.log === undefined ? {} : { log: options.log },
  );
  return {
    created: result.created,
    changed: result.changed,
    unchanged: plan.unchanged.map((entry) => entry.name),
    kept,
    problems: result.problems,
  };
}
