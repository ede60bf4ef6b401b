/**
 * What Salesforce's replication calls (sObject Get Updated / Get Deleted) tell a read: how far the
 * committed changes reach, and whether the recycle bin still holds every delete since a date.
 */
import type { DeletedPage } from '../sdk/contract';
import { ConnectorError } from '../sdk/errors';
import { jsforceRequest } from './jsforce-bridge';
import type { QueryRunner } from './read';
import { salesforceDatetimeToIso } from './values';

const MINUTE_MS = 60_000;

/** getUpdated and getDeleted windows are whole minutes, a start more than a minute before the end. */
function windowUrl(
  runner: QueryRunner,
  object: string,
  resource: 'updated' | 'deleted',
  start: number,
  end: number,
): string {
  const at = (ms: number): string => encodeURIComponent(new Date(ms).toISOString());
  return `/services/data/v${runner.version}/sobjects/${object}/${resource}/?start=${at(start)}&end=${at(end)}`;
}

/** An object without getUpdated / getDeleted (not replicateable): Salesforce answers 4xx. */
function notReplicated(error: unknown): boolean {
  return (
    error instanceof ConnectorError &&
    (error.code === 'bad_request' || error.code === 'not_found') &&
    !error.message.includes('INVALID_REPLICATION_DATE')
  );
}

function floorMinute(ms: number): number {
  return Math.floor(ms / MINUTE_MS) * MINUTE_MS;
}

/**
 * The bound an incremental read stops before, when a transaction still open holds Salesforce's
 * latestDateCovered back (getUpdated, REST API Developer Guide "sObject Get Updated"; SOAP API
 * "GetUpdatedResult": use it as the next start "to capture the changes that started after this
 * date but didn't complete"). Rows such a transaction commits later carry its start's
 * SystemModstamp, earlier than rows already read: the cursor must not pass it. None while it is
 * the current minute: what is that recent the overlap window reads again anyway.
 */
export async function coveredUntil(
  runner: QueryRunner,
  object: string,
): Promise<string | undefined> {
  const now = runner.clock.now().getTime();
  let answer: unknown;
  try {
    answer = await jsforceRequest(runner.connection, {
      method: 'GET',
      url: windowUrl(runner, object, 'updated', floorMinute(now) - 2 * MINUTE_MS, now),
    });
  } catch (error) {
    // An object Salesforce does not replicate has no getUpdated: read it without the bound.
    if (notReplicated(error)) return undefined;
    throw error;
  }
  const covered = (answer as { latestDateCovered?: unknown } | null)?.latestDateCovered;
  const iso = typeof covered === 'string' ? salesforceDatetimeToIso(covered) : null;
  return iso !== null && Date.parse(iso) < floorMinute(now) ? iso : undefined;
}

/**
 * Whether Salesforce still holds every delete since `since`: getDeleted's earliestDateAvailable is
 * "the timestamp … of the last physically deleted object" (SOAP API, "GetDeletedResult"); the
 * recycle bin keeps deletes 15 days, or less when emptied. Asked over a two-minute window from
 * `since`, so the answer stays small; a refused window (INVALID_REPLICATION_DATE, "if the purge
 * ran before the call") says as much.
 */
export async function deletesMissing(
  runner: QueryRunner,
  object: string,
  since: string,
): Promise<DeletedPage['missing']> {
  const now = runner.clock.now().getTime();
  const start = Date.parse(since);
  const end = Math.min(floorMinute(start) + 2 * MINUTE_MS, now);
  if (Number.isNaN(start) || end - start <= MINUTE_MS) return undefined;
  const reason = 'Salesforce keeps deleted records 15 days, less when the recycle bin is emptied';
  let answer: unknown;
  try {
    answer = await jsforceRequest(runner.connection, {
      method: 'GET',
      url: windowUrl(runner, object, 'deleted', start, end),
    });
  } catch (error) {
    if (error instanceof ConnectorError && error.message.includes('INVALID_REPLICATION_DATE'))
      return { before: new Date(now).toISOString(), reason: `${reason} (${error.message})` };
    if (notReplicated(error)) return undefined;
    throw error;
  }
  const earliest = (answer as { earliestDateAvailable?: unknown } | null)?.earliestDateAvailable;
  const iso = typeof earliest === 'string' ? salesforceDatetimeToIso(earliest) : null;
  return iso !== null && Date.parse(iso) > start ? { before: iso, reason } : undefined;
}
