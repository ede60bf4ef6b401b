/**
 * Reads of the memory connector: changed records and deletes, in pages sorted by (stamp, id), each
 * page carrying the checkpoint `{ <stamp>, id }` of its last record so a read resumes strictly after it.
 */
import type {
  Checkpoint,
  ConnectorRecord,
  DeletedPage,
  DeletedRecord,
  ReadDeletedRequest,
  ReadPage,
  ReadRequest,
} from '../sdk/contract';
import { ConnectorError } from '../sdk/errors';
import { normalizeDatetime } from '../sdk/normalize';
import { type PagePosition, paginate } from '../sdk/paginate';
import type { MemoryApi, PageQuery } from './api';
import type { CursorPosition } from './store';

/** Runs one vendor call through the connector's retry policy and rate limiter. */
export type CallRunner = <T>(
  call: () => Promise<T>,
  options?: { idempotent?: boolean; operation?: string },
) => Promise<T>;

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** The checkpoint's position, or undefined when it is not one of ours (the read restarts from `since`). */
export function parseCheckpoint(
  checkpoint: Checkpoint | undefined,
  stamp: 'updatedAt' | 'deletedAt',
): CursorPosition | undefined {
  if (checkpoint === undefined) return undefined;
  const at = checkpoint[stamp];
  const { id } = checkpoint;
  if (typeof at !== 'string' || !ISO.test(at) || typeof id !== 'string' || id === '')
    return undefined;
  return { at, id };
}

/** `since` in the store's exact ISO form, so that string order is time order. */
function sinceOf(since: string | undefined): string | undefined {
  if (since === undefined) return undefined;
  try {
    return normalizeDatetime(since) ?? undefined;
  } catch {
    throw new ConnectorError('bad_request', `since is not a datetime: ${since}`);
  }
}

export async function* readChanges(
  api: MemoryApi,
  run: CallRunner,
  request: ReadRequest,
  pageSize: number,
): AsyncGenerator<ReadPage> {
  const after = parseCheckpoint(request.checkpoint, 'updatedAt');
  const since = sinceOf(request.since);
  const pages = paginate<
    Awaited<ReturnType<MemoryApi['changes']>>,
    ConnectorRecord,
    CursorPosition
  >({
    paging: {
      type: 'cursor',
      nextCursor: (body) => (body.hasMore ? lastPosition(body.records, 'updatedAt') : undefined),
    },
    pageSize,
    start: after === undefined ? undefined : { type: 'cursor', cursor: after },
    fetchPage: async ({ position, limit }) => {
      const query: PageQuery = {
        since,
        after: cursorOf(position),
        limit,
        fields: request.fields,
      };
      return { body: await run(() => api.changes(request.object, query)) };
    },
    items: (body) => body.records,
  });
  for await (const page of pages) {
    const last = page.items.at(-1);
    if (last === undefined) return;
    yield { records: page.items, checkpoint: { updatedAt: last.updatedAt, id: last.id } };
  }
}

export async function* readDeletions(
  api: MemoryApi,
  run: CallRunner,
  request: ReadDeletedRequest,
  pageSize: number,
): AsyncGenerator<DeletedPage> {
  const after = parseCheckpoint(request.checkpoint, 'deletedAt');
  const since = sinceOf(request.since);
  const pages = paginate<
    Awaited<ReturnType<MemoryApi['deletions']>>,
    DeletedRecord,
    CursorPosition
  >({
    paging: {
      type: 'cursor',
      nextCursor: (body) => (body.hasMore ? lastPosition(body.records, 'deletedAt') : undefined),
    },
    pageSize,
    start: after === undefined ? undefined : { type: 'cursor', cursor: after },
    fetchPage: async ({ position, limit }) => {
      const query: PageQuery = { since, after: cursorOf(position), limit };
      return { body: await run(() => api.deletions(request.object, query)) };
    },
    items: (body) => body.records,
  });
  let first = true;
  for await (const page of pages) {
    const before = page.body.forgottenUntil;
    const missing =
      first && since !== undefined && before !== null && since < before
        ? { before, reason: 'the recycle bin was emptied' }
        : undefined;
    first = false;
    const last = page.items.at(-1);
    if (last === undefined) {
      if (missing !== undefined)
        yield { records: [], checkpoint: request.checkpoint ?? {}, missing };
      return;
    }
    yield {
      records: page.items,
      checkpoint: { deletedAt: last.deletedAt, id: last.id },
      ...(missing === undefined ? {} : { missing }),
    };
  }
}

function cursorOf(position: PagePosition<CursorPosition> | undefined): CursorPosition | undefined {
  return position?.type === 'cursor' ? position.cursor : undefined;
}

function lastPosition<K extends 'updatedAt' | 'deletedAt'>(
  records: ReadonlyArray<{ id: string } & Record<K, string>>,
  stamp: K,
): CursorPosition | undefined {
  const last = records.at(-1);
  return last === undefined ? undefined : { at: last[stamp], id: last.id };
}
