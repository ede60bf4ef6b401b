/**
 * Previews of a plan's creates and changes on live data (`plan --preview`): each definition as the
 * files have it, sent to `POST /syncs/preview` before anything is saved.
 */
import { ApiError, type SynclineClient } from './client';
import { connectionIdsOf } from './apply';
import type { Plan } from './plan';
import type { Progress } from './server-check';
import { definitionBody } from './spec';
import type { MatchEstimate } from '../engine/preview';

/** The parts of the server's preview the CLI prints. */
export interface PreviewAnswer {
  read: number;
  creates: unknown[];
  updates: Array<{ changes: unknown[] }>;
  conflicts: unknown[];
  skipped: unknown[];
  unchanged: number;
  events: unknown[];
  adds: unknown[];
  removes: unknown[];
  matching: { left: MatchEstimate; right: MatchEstimate };
  apiCalls: { left: number; right: number };
}

export interface DefinitionPreview {
  name: string;
  file: string;
  /** Absent when the server could not preview it: then `error` says why. */
  preview?: PreviewAnswer;
  error?: string;
}

function reason(error: unknown): string {
  if (!(error instanceof ApiError)) return error instanceof Error ? error.message : String(error);
  const details = error.details.map((detail) => `${detail.path}: ${detail.problem}`);
  return details.length > 0 ? details.join('; ') : `${error.message} (${error.code})`;
}

/** One preview per sync the plan creates or changes, in the plan's order. */
export async function previewPlan(
  plan: Plan,
  client: SynclineClient,
  connectionIds: Map<string, string>,
  options: { sample?: number; progress?: Progress } = {},
): Promise<DefinitionPreview[]> {
  const targets = [
    ...plan.creates.map((create) => ({ ...create, id: undefined })),
    ...plan.updates.map((update) => ({ ...update, id: update.id })),
  ];
  const previews: DefinitionPreview[] = [];
  for (const [done, target] of targets.entries()) {
    options.progress?.(done, targets.length, `previewing ${target.name}`);
    try {
      const preview = await client.request<PreviewAnswer>('POST', '/api/v1/syncs/preview', {
        definition: definitionBody(target.spec, connectionIdsOf(target.spec, connectionIds)),
        ...(target.id === undefined ? {} : { syncId: target.id }),
        ...(options.sample === undefined ? {} : { sample: options.sample }),
      });
      previews.push({ name: target.name, file: target.file, preview });
    } catch (error) {
      previews.push({ name: target.name, file: target.file, error: reason(error) });
    }
  }
  options.progress?.(targets.length, targets.length, '');
  return previews;
}
