/**
 * Sync log filters that need more than a column's equality, as conditions on the `record_events`
 * alias `e` of a query builder.
 */

/**
 * Lines about the record with `:email`: its match key as read (so a failed create, never linked,
 * is found), or a record linked by it now (the link's snapshot of the match field).
 */
export const LOG_EMAIL_CONDITION = `(e.record_key = lower(:email) OR EXISTS (
  SELECT 1 FROM "record_links" l JOIN "syncs" s ON s."id" = l."sync_id"
   WHERE l."sync_id" = e.sync_id
     AND (l."left_id" = e.left_id OR l."right_id" = e.right_id)
     AND (lower(l."snapshot"->'left'->>(s."definition"->'match'->>'left')) = lower(:email)
       OR lower(l."snapshot"->'right'->>(s."definition"->'match'->>'right')) = lower(:email))))`;

/** Lines whose values written, before or after, match the LIKE pattern `:text` (no field names). */
export const LOG_TEXT_CONDITION = `EXISTS (SELECT 1 FROM jsonb_array_elements(e.changes) c
  WHERE (c->>'from') ILIKE :text ESCAPE '\\' OR (c->>'to') ILIKE :text ESCAPE '\\')`;

/** A LIKE pattern that finds `text` anywhere, its wildcards taken literally. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}
