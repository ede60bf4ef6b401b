/**
 * The statements of one page commit (DESIGN.md, "The sync algorithm", step 7), run inside one
 * transaction by the store. Set-based throughout: a page of any size costs a fixed number of round
 * trips, never one statement per record. The common page is ONE statement (PAGE_STATEMENT): its
 * data-modifying CTEs touch different tables, so they cannot see or fight each other's rows.
 *
 * Rows travel as one JSON document per table (expanded with jsonb_to_recordset) or one array per
 * column (UNNEST): no statement comes near Postgres' 65,535-parameter limit, and the engine's
 * objects are serialised by one JSON.stringify, with no per-row work in JS.
 */
import type { PoolClient } from 'pg';
import type { Side } from '../engine/definition';
import type {
  Conflict,
  FailedRecord,
  LedgerEvent,
  LedgerMember,
  PageCommit,
  RecordEvent,
  RecordLink,
  ReopenedConflict,
  SyncCursor,
} from '../engine/ports';
import { afterCounters, counterIncrements, counterValues } from './counters';
import { PersistenceError, execute, jsonOrNull, selectRows } from './sql';

/** Events per INSERT: bounds one message to a few MB whatever the page size. */
export const EVENT_CHUNK = 5_000;

/**
 * Links, events, failed records, cursors and the run's counters of one page.
 *
 * Links are upserted on (sync_id, left_id); an existing pair is rewritten only when its snapshot
 * or timestamps changed, so a page of unchanged records costs index probes, not row versions.
 * Duplicates fail the page: a right record linked to another left record trips the
 * (sync_id, right_id) unique constraint; a left record linked to another right record is skipped
 * by the WHERE of DO UPDATE and reported by "taken", which reads the state before this statement.
 */
const PAGE_STATEMENT = `
WITH
  "link_rows" AS (
    SELECT * FROM jsonb_to_recordset($2::jsonb) AS n(
      "leftId" text, "rightId" text, "snapshot" jsonb, "leftUpdatedAt" timestamptz, "rightUpdatedAt" timestamptz)
  ),
  "taken" AS (
    SELECT n."leftId" AS "left_id", l."right_id"
      FROM "link_rows" AS n
      CROSS JOIN LATERAL (
        SELECT "right_id" FROM "record_links" WHERE "sync_id" = $1 AND "left_id" = n."leftId" LIMIT 1
      ) AS l
     WHERE l."right_id" <> n."rightId"
  ),
  "links" AS (
    INSERT INTO "record_links"
        ("sync_id", "left_id", "right_id", "snapshot", "left_updated_at", "right_updated_at", "updated_at")
    SELECT $1, n."leftId", n."rightId", n."snapshot", n."leftUpdatedAt", n."rightUpdatedAt", now()
      FROM "link_rows" AS n
    ON CONFLICT ("sync_id", "left_id") DO UPDATE SET
        "snapshot" = EXCLUDED."snapshot",
        "left_updated_at" = EXCLUDED."left_updated_at",
        "right_updated_at" = EXCLUDED."right_updated_at",
        "updated_at" = EXCLUDED."updated_at"
      WHERE "record_links"."right_id" = EXCLUDED."right_id"
        AND ("record_links"."snapshot" <> EXCLUDED."snapshot"
          OR "record_links"."left_updated_at" IS DISTINCT FROM EXCLUDED."left_updated_at"
          OR "record_links"."right_updated_at" IS DISTINCT FROM EXCLUDED."right_updated_at")
  ),
  "events" AS (
    INSERT INTO "record_events"
        ("run_id", "sync_id", "side", "left_id", "right_id", "action", "fields", "error_code", "message", "at",
         "record_key", "changes")
    SELECT e."runId", e."syncId", e."side", e."leftId", e."rightId", e."action", coalesce(e."fields", '{}'),
           e."errorCode", e."message", e."at", e."recordKey", e."changes"
      FROM jsonb_to_recordset($3::jsonb) AS e(
        "runId" uuid, "syncId" uuid, "side" text, "leftId" text, "rightId" text, "action" text,
        "fields" text[], "errorCode" text, "message" text, "at" timestamptz, "recordKey" text,
        "changes" jsonb)
  ),
  "cleared" AS (
    DELETE FROM "failed_records" AS f
     USING unnest($4::text[], $5::text[]) AS c("side", "record_id")
     WHERE f."sync_id" = $1 AND f."side" = c."side" AND f."record_id" = c."record_id"
  ),
  "failed" AS (
    INSERT INTO "failed_records"
        ("sync_id", "side", "record_id", "attempts", "next_attempt_at", "error_code", "message", "dead",
         "operation", "first_failed_at", "last_failed_at")
    SELECT r."syncId", r."side", r."recordId", r."attempts", r."nextAttemptAt", r."errorCode", r."message",
           r."dead", coalesce(r."operation", 'change'), r."firstFailedAt", r."lastFailedAt"
      FROM jsonb_to_recordset($6::jsonb) AS r(
        "syncId" uuid, "side" text, "recordId" text, "attempts" integer, "nextAttemptAt" timestamptz,
        "errorCode" text, "message" text, "dead" boolean, "operation" text, "firstFailedAt" timestamptz,
        "lastFailedAt" timestamptz)
    ON CONFLICT ("sync_id", "side", "record_id") DO UPDATE SET
        "attempts" = EXCLUDED."attempts",
        "next_attempt_at" = EXCLUDED."next_attempt_at",
        "error_code" = EXCLUDED."error_code",
        "message" = EXCLUDED."message",
        "dead" = EXCLUDED."dead",
        "operation" = EXCLUDED."operation",
        "first_failed_at" = EXCLUDED."first_failed_at",
        "last_failed_at" = EXCLUDED."last_failed_at"
  ),
  "cursors" AS (
    INSERT INTO "sync_cursors"
        ("sync_id", "side", "since", "last_id", "checkpoint", "deleted_since", "read_started_at", "updated_at")
    SELECT $1, c."side", c."since", c."lastId", c."checkpoint", c."deletedSince", c."readStartedAt", now()
      FROM jsonb_to_recordset($7::jsonb) AS c(
        "side" text, "since" timestamptz, "lastId" text, "checkpoint" jsonb, "deletedSince" timestamptz,
        "readStartedAt" timestamptz)
    ON CONFLICT ("sync_id", "side") DO UPDATE SET
        "since" = EXCLUDED."since",
        "last_id" = EXCLUDED."last_id",
        "checkpoint" = EXCLUDED."checkpoint",
        "deleted_since" = EXCLUDED."deleted_since",
        "read_started_at" = EXCLUDED."read_started_at",
        "updated_at" = EXCLUDED."updated_at"
  ),
  "intents" AS (
    DELETE FROM "write_intents" WHERE "sync_id" = $1 AND "id" = ANY(${afterCounters(9)}::uuid[])
  ),
  "run" AS (
    UPDATE "sync_runs" SET ${counterIncrements(9)}
     WHERE "id" = $8
    RETURNING 1
  )
SELECT (SELECT count(*) FROM "run")::int AS "runs",
       (SELECT json_agg(t) FROM (SELECT * FROM "taken" ORDER BY "left_id" LIMIT 5) AS t) AS "taken"`;

interface PageResult {
  runs: number;
  taken: Array<{ left_id: string; right_id: string }> | null;
}

export async function applyPageCommit(client: PoolClient, commit: PageCommit): Promise<void> {
  await removeLinks(client, commit.syncId, commit.removeLinks);
  const links = distinctLinks(commit.upsertLinks);
  const failed = lastFailurePerRecord(commit.upsertFailed);
  const failedKeys = new Set(failed.map((record) => `${record.side}:${record.recordId}`));
  // A record both cleared and failed in one page stays failed (the two CTEs must not meet).
  const cleared = commit.clearFailed.filter(
    (item) => !failedKeys.has(`${item.side}:${item.recordId}`),
  );
  const cursors: Array<{ side: Side } & SyncCursor> = [];
  if (commit.cursors.left !== undefined) cursors.push({ side: 'left', ...commit.cursors.left });
  if (commit.cursors.right !== undefined) cursors.push({ side: 'right', ...commit.cursors.right });
  const firstEvents = commit.events.length <= EVENT_CHUNK ? commit.events : [];

  const rows = await selectRows<PageResult>(client, PAGE_STATEMENT, [
    commit.syncId,
    JSON.stringify(links),
    JSON.stringify(firstEvents),
    cleared.map((item) => item.side),
    cleared.map((item) => item.recordId),
    JSON.stringify(failed),
    JSON.stringify(cursors),
    commit.runId,
    ...counterValues(commit.counters),
    commit.closeIntents ?? [],
  ]);
  const result = rows.at(0);
  if (result === undefined || result.runs === 0) {
    throw new Error(`Run ${commit.runId} does not exist`);
  }
  if (result.taken !== null) {
    const examples = result.taken.map((row) => `${row.left_id} is linked to ${row.right_id}`);
    throw new PersistenceError(
      `commitPage: link(s) would link a left record twice (${examples.join(', ')})`,
      '23505',
      'PK_record_links',
    );
  }
  if (firstEvents.length === 0) {
    for (let start = 0; start < commit.events.length; start += EVENT_CHUNK) {
      await insertEvents(client, commit.events.slice(start, start + EVENT_CHUNK));
    }
  }
  await openConflicts(client, commit.openConflicts);
  await applyConflicts(client, commit.syncId, commit.appliedConflicts);
  await reopenConflicts(client, commit.syncId, commit.reopenedConflicts ?? []);
  await upsertLedgerEvents(client, commit.settleEvents ?? []);
  await upsertLedgerMembers(client, commit.settleMembers ?? []);
}

/** Events of the ledger inserted or replaced by (sync, key): a page's outcomes, or pending sends. */
export async function upsertLedgerEvents(
  client: PoolClient,
  events: readonly LedgerEvent[],
): Promise<void> {
  if (events.length === 0) return;
  // The last word on a key wins (a page may name one twice).
  const last = [
    ...new Map(events.map((event) => [`${event.syncId}:${event.key}`, event])).values(),
  ];
  await execute(
    client,
    `INSERT INTO "event_ledger"
         ("sync_id", "event_key", "source_id", "occurred_at", "status", "attempts", "payload", "error_code",
          "message", "next_attempt_at", "acknowledged_at", "updated_at")
     SELECT e."syncId", e."key", e."sourceId", e."occurredAt", e."status", e."attempts", e."payload",
            e."errorCode", e."message", e."nextAttemptAt", e."acknowledgedAt", e."updatedAt"
       FROM jsonb_to_recordset($1::jsonb) AS e(
         "syncId" uuid, "key" text, "sourceId" text, "occurredAt" timestamptz, "status" text, "attempts" integer,
         "payload" jsonb, "errorCode" text, "message" text, "nextAttemptAt" timestamptz,
         "acknowledgedAt" timestamptz, "updatedAt" timestamptz)
     ON CONFLICT ("sync_id", "event_key") DO UPDATE SET
         "source_id" = EXCLUDED."source_id",
         "occurred_at" = EXCLUDED."occurred_at",
         "status" = EXCLUDED."status",
         "attempts" = EXCLUDED."attempts",
         "payload" = EXCLUDED."payload",
         "error_code" = EXCLUDED."error_code",
         "message" = EXCLUDED."message",
         "next_attempt_at" = EXCLUDED."next_attempt_at",
         "acknowledged_at" = EXCLUDED."acknowledged_at",
         "updated_at" = EXCLUDED."updated_at"`,
    [JSON.stringify(last)],
  );
}

/** Members of the audience ledger inserted or replaced by (sync, audience, key). */
export async function upsertLedgerMembers(
  client: PoolClient,
  members: readonly LedgerMember[],
): Promise<void> {
  if (members.length === 0) return;
  const last = [
    ...new Map(
      members.map((member) => [`${member.syncId}:${member.audience}:${member.key}`, member]),
    ).values(),
  ];
  await execute(
    client,
    `INSERT INTO "audience_members"
         ("sync_id", "audience", "member_key", "identifiers", "state", "attempts", "error_code", "message",
          "next_attempt_at", "updated_at")
     SELECT m."syncId", m."audience", m."key", m."identifiers", m."state", m."attempts", m."errorCode",
            m."message", m."nextAttemptAt", m."updatedAt"
       FROM jsonb_to_recordset($1::jsonb) AS m(
         "syncId" uuid, "audience" text, "key" text, "identifiers" jsonb, "state" text, "attempts" integer,
         "errorCode" text, "message" text, "nextAttemptAt" timestamptz, "updatedAt" timestamptz)
     ON CONFLICT ("sync_id", "audience", "member_key") DO UPDATE SET
         "identifiers" = EXCLUDED."identifiers",
         "state" = EXCLUDED."state",
         "attempts" = EXCLUDED."attempts",
         "error_code" = EXCLUDED."error_code",
         "message" = EXCLUDED."message",
         "next_attempt_at" = EXCLUDED."next_attempt_at",
         "updated_at" = EXCLUDED."updated_at"`,
    [JSON.stringify(last)],
  );
}

/** Resolved conflicts whose field changed since: open again, with the values of now and why. */
async function reopenConflicts(
  client: PoolClient,
  syncId: string,
  reopened: readonly ReopenedConflict[],
): Promise<void> {
  if (reopened.length === 0) return;
  await execute(
    client,
    `UPDATE "conflicts" AS c SET "status" = 'open', "resolution" = NULL, "resolved_at" = NULL,
            "left_value" = r."left_value"::jsonb, "right_value" = r."right_value"::jsonb, "note" = r."note"
       FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[])
         AS r("id", "left_value", "right_value", "note")
      WHERE c."sync_id" = $1 AND c."id" = r."id"`,
    [
      syncId,
      reopened.map((item) => item.id),
      reopened.map((item) => jsonOrNull(item.leftValue)),
      reopened.map((item) => jsonOrNull(item.rightValue)),
      reopened.map((item) => item.note),
    ],
  );
}

async function removeLinks(
  client: PoolClient,
  syncId: string,
  remove: PageCommit['removeLinks'],
): Promise<void> {
  if (remove.length === 0) return;
  const left = remove.filter((item) => item.side === 'left').map((item) => item.id);
  const right = remove.filter((item) => item.side === 'right').map((item) => item.id);
  if (left.length > 0) {
    await execute(
      client,
      `DELETE FROM "record_links" AS l USING unnest($2::text[]) AS i("id")
        WHERE l."sync_id" = $1 AND l."left_id" = i."id"`,
      [syncId, left],
    );
  }
  if (right.length > 0) {
    await execute(
      client,
      `DELETE FROM "record_links" AS l USING unnest($2::text[]) AS i("id")
        WHERE l."sync_id" = $1 AND l."right_id" = i."id"`,
      [syncId, right],
    );
  }
}

/**
 * The links of a page, one per pair (the later of two identical pairs wins). Two different pairs
 * sharing a record are a duplicate the engine must never send: the commit fails.
 */
export function distinctLinks(links: readonly RecordLink[]): RecordLink[] {
  const byLeft = new Map<string, RecordLink>();
  const rightOwner = new Map<string, string>();
  for (const link of links) {
    const sameLeft = byLeft.get(link.leftId);
    const sameRight = rightOwner.get(link.rightId);
    if (
      (sameLeft !== undefined && sameLeft.rightId !== link.rightId) ||
      (sameRight !== undefined && sameRight !== link.leftId)
    ) {
      throw new PersistenceError(
        `commitPage: duplicate link ${link.leftId} <-> ${link.rightId} in one page`,
        '23505',
        undefined,
      );
    }
    byLeft.set(link.leftId, link);
    rightOwner.set(link.rightId, link.leftId);
  }
  return byLeft.size === links.length ? [...links] : [...byLeft.values()];
}

/** The last failure of the page per record (ON CONFLICT cannot touch a row twice). */
function lastFailurePerRecord(failed: readonly FailedRecord[]): FailedRecord[] {
  const byKey = new Map<string, FailedRecord>();
  for (const record of failed) byKey.set(`${record.side}:${record.recordId}`, record);
  return byKey.size === failed.length ? [...failed] : [...byKey.values()];
}

/** Events beyond one chunk (pages larger than any vendor's page, in practice never). */
async function insertEvents(client: PoolClient, events: readonly RecordEvent[]): Promise<void> {
  await execute(
    client,
    `INSERT INTO "record_events"
        ("run_id", "sync_id", "side", "left_id", "right_id", "action", "fields", "error_code", "message", "at",
         "record_key", "changes")
      SELECT e."runId", e."syncId", e."side", e."leftId", e."rightId", e."action", coalesce(e."fields", '{}'),
             e."errorCode", e."message", e."at", e."recordKey", e."changes"
        FROM jsonb_to_recordset($1::jsonb) AS e(
          "runId" uuid, "syncId" uuid, "side" text, "leftId" text, "rightId" text, "action" text,
          "fields" text[], "errorCode" text, "message" text, "at" timestamptz, "recordKey" text,
          "changes" jsonb)`,
    [JSON.stringify(events)],
  );
}

/** New conflicts; a conflict already stored under its id is left as it is (a retried page). */
async function openConflicts(client: PoolClient, conflicts: readonly Conflict[]): Promise<void> {
  if (conflicts.length === 0) return;
  await execute(
    client,
    `INSERT INTO "conflicts"
        ("id", "sync_id", "left_id", "right_id", "left_field", "right_field", "left_value", "right_value",
         "status", "resolution", "created_at")
      SELECT c."id", c."sync_id", c."left_id", c."right_id", c."left_field", c."right_field",
             c."left_value"::jsonb, c."right_value"::jsonb, c."status", c."resolution"::jsonb, c."created_at"
        FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                    $8::text[], $9::text[], $10::text[], $11::timestamptz[])
          AS c("id", "sync_id", "left_id", "right_id", "left_field", "right_field", "left_value", "right_value",
               "status", "resolution", "created_at")
      ON CONFLICT ("id") DO NOTHING`,
    [
      conflicts.map((c) => c.id),
      conflicts.map((c) => c.syncId),
      conflicts.map((c) => c.leftId),
      conflicts.map((c) => c.rightId),
      conflicts.map((c) => c.leftField),
      conflicts.map((c) => c.rightField),
      // SQL NULL for an empty value, so that "no value" is queryable with IS NULL.
      conflicts.map((c) => jsonOrNull(c.leftValue)),
      conflicts.map((c) => jsonOrNull(c.rightValue)),
      conflicts.map((c) => c.status),
      conflicts.map((c) => jsonOrNull(c.resolution)),
      conflicts.map((c) => c.createdAt),
    ],
  );
}

async function applyConflicts(
  client: PoolClient,
  syncId: string,
  ids: readonly string[],
): Promise<void> {
  if (ids.length === 0) return;
  await execute(
    client,
    `UPDATE "conflicts" SET "status" = 'applied', "applied_at" = now()
      WHERE "sync_id" = $1 AND "id" = ANY($2::uuid[])`,
    [syncId, ids],
  );
}
