/**
 * An events sync's run: each left record that passes the filter becomes one event at the right
 * side's event type, under a key made from its fields, and is sent once. The ledger of the sync
 * (event_ledger) makes every retry, re-read, takeover and replay idempotent: an event the
 * destination took is never sent again; one sent without an answer (a killed worker, a lost
 * reply) is sent again under the same key, and the destination, which dedupes on it, says so.
 */
import type {
  ConnectorCore,
  ConnectorEvent,
  ConnectorRecord,
  EventDestinationCapability,
  EventResult,
} from '../../connectors/sdk/contract';
import { normalizeDatetime } from '../../connectors/sdk/normalize';
import { ConnectorError } from '../../connectors/sdk/errors';
import type { AnySyncDefinition } from './definition';
import { retryDelayMs } from './failed';
import {
  type OneWayBase,
  type OneWayContext,
  type OneWayPage,
  type SourceConnector,
  type PageSink,
  commitOneWay,
  emptyPage,
  mappedFields,
  nowOf,
  oneWayContext,
  readSource,
} from './one-way';
import { consentOf, preparedIdentifiers } from './identifiers';
import { passesFilter } from './filters';
import type { EventStatus, LedgerEvent, PreparedEvent, RecordEvent } from './ports';
import { valueToText } from './values';
import { throwIfCancelled } from './context';

export type EventDestination = ConnectorCore & EventDestinationCapability;

type EventsContext = OneWayContext<EventDestination>;

/** Statuses after which a key is never sent again. */
const SETTLED: ReadonlySet<EventStatus> = new Set([
  'sent',
  'duplicate',
  'too_old',
  'no_consent',
  'dead',
]);

/** `{Field}` or `{{ Field }}`: a source field's value in an event key. */
const KEY_PLACEHOLDER = /\{\{\s*([^{}\s]+)\s*\}\}|\{([^{}\s]+)\}/g;

/** An events run's context, its connections' capabilities checked by `oneWayProblems`. */
export function eventsContext(base: OneWayBase): EventsContext {
  return oneWayContext(
    {
      ...base,
      source: base.source as SourceConnector,
      destination: base.destination as EventDestination,
    },
    eventReadFields(base.definition),
  );
}

/** The source fields an events sync reads besides its mappings, identifiers and filter. */
export function eventReadFields(definition: AnySyncDefinition): string[] {
  const events = definition.events;
  if (events === undefined) return [];
  const fields = keyFields(events.key).filter((name) => name !== 'id');
  return events.occurredAt === undefined ? fields : [...fields, events.occurredAt];
}

/** The fields an event key template names. */
export function keyFields(template: string): string[] {
  return [...template.matchAll(KEY_PLACEHOLDER)].map((match) => match.at(1) ?? match.at(2) ?? '');
}

/**
 * The event key of a record, or why it has none: every field the template names must have a
 * value, or two different events could share a key and the second would never be sent.
 */
export function eventKey(template: string, record: ConnectorRecord): string | { missing: string } {
  let missing: string | undefined;
  const key = template.replace(KEY_PLACEHOLDER, (_match, double?: string, single?: string) => {
    const name = double ?? single ?? '';
    const value = name === 'id' && !(name in record.fields) ? record.id : record.fields[name];
    const text = valueToText(value ?? null);
    if (text === '') missing ??= name;
    return text;
  });
  return missing === undefined ? key : { missing };
}

interface Candidate {
  entry: LedgerEvent;
  /** Consent signals the destination requires and the person has not granted. */
  missingConsent: string[];
}

function logLine(
  context: EventsContext,
  sourceId: string,
  key: string | null,
  action: RecordEvent['action'],
  detail: { fields?: string[]; errorCode?: RecordEvent['errorCode']; message?: string } = {},
): RecordEvent {
  return {
    runId: context.runId,
    syncId: context.definition.id,
    side: 'right',
    leftId: sourceId,
    rightId: key,
    action,
    fields: detail.fields ?? [],
    errorCode: detail.errorCode ?? null,
    message: detail.message ?? null,
    at: nowOf(context),
  };
}

/** The event a record makes, or the reason it makes none (a failed line of the sync log). */
async function candidateOf(
  context: EventsContext,
  record: ConnectorRecord,
): Promise<Candidate | { problem: string; key: string | null }> {
  const { definition, destination } = context;
  const settings = definition.events;
  if (settings === undefined) return { problem: 'the sync has no events settings', key: null };
  const key = eventKey(settings.key, record);
  if (typeof key !== 'string')
    return { problem: `no event key: the record has no value for ${key.missing}`, key: null };
  const stamp =
    settings.occurredAt === undefined ? record.updatedAt : record.fields[settings.occurredAt];
  let occurredAt: string | null;
  try {
    occurredAt = normalizeDatetime(stamp ?? null);
  } catch {
    occurredAt = null;
  }
  if (occurredAt === null)
    return {
      problem: `no occurrence time: ${settings.occurredAt ?? 'updatedAt'} holds ${JSON.stringify(stamp ?? null)}`,
      key,
    };
  const identifiers = preparedIdentifiers(destination, definition, record);
  if (Object.keys(identifiers).length === 0)
    return {
      problem: `no identifier the destination takes (${destination.identifiers.map((rule) => rule.type).join(', ')}) has a value`,
      key,
    };
  let fields: ConnectorRecord['fields'];
  try {
    fields = await mappedFields(context, record);
  } catch (error) {
    return { problem: error instanceof Error ? error.message : String(error), key };
  }
  const now = nowOf(context);
  const { consent, missing } = consentOf(destination, definition, record);
  const payload: PreparedEvent = {
    occurredAt,
    identifiers,
    ...(destination.consent === undefined ? {} : { consent }),
    fields,
  };
  return {
    missingConsent: missing,
    entry: {
      syncId: definition.id,
      key,
      sourceId: record.id,
      occurredAt,
      status: 'pending',
      attempts: 0,
      payload,
      errorCode: null,
      message: null,
      nextAttemptAt: null,
      acknowledgedAt: null,
      updatedAt: now,
    },
  };
}

/** Sends events already in the ledger as pending, and settles each by the destination's answer. */
async function send(
  context: EventsContext,
  pending: LedgerEvent[],
  page: OneWayPage,
): Promise<void> {
  if (pending.length === 0) return;
  await context.store.recordPendingEvents(pending);
  const events: ConnectorEvent[] = pending.map((entry) => ({
    key: entry.key,
    occurredAt: entry.occurredAt,
    identifiers: entry.payload?.identifiers ?? {},
    prepared: true,
    ...(entry.payload?.consent === undefined ? {} : { consent: entry.payload.consent }),
    fields: entry.payload?.fields ?? {},
  }));
  // A call that fails as a whole ends the run: its events stay pending, sent again next run.
  const results = await context.destination.append({
    object: context.definition.right.object,
    events,
  });
  const byKey = new Map<string, EventResult>(results.map((result) => [result.key, result]));
  const now = nowOf(context);
  const settled: LedgerEvent[] = [];
  for (const entry of pending) {
    const result = byKey.get(entry.key) ?? {
      key: entry.key,
      status: 'failed' as const,
      error: {
        code: 'unknown' as const,
        message: 'the destination gave no answer',
        retryable: true,
      },
    };
    const fields = Object.keys(entry.payload?.fields ?? {});
    if (result.status !== 'failed') {
      settled.push({
        ...entry,
        status: result.status,
        payload: null,
        errorCode: null,
        message: null,
        nextAttemptAt: null,
        acknowledgedAt: now,
        updatedAt: now,
      });
      if (result.status === 'sent') page.counters.sent++;
      else page.counters.duplicates++;
      page.events.push(logLine(context, entry.sourceId, entry.key, result.status, { fields }));
      continue;
    }
    const { error } = result;
    const dead = !error.retryable || entry.attempts >= context.maxAttempts;
    const retryAt = new Date(Date.parse(now) + retryDelayMs(entry.attempts)).toISOString();
    settled.push({
      ...entry,
      status: dead ? 'dead' : 'failed',
      payload: dead ? null : entry.payload,
      errorCode: error.code,
      message: error.message,
      nextAttemptAt: dead ? null : retryAt,
      updatedAt: now,
    });
    page.counters.failed++;
    page.events.push(
      logLine(context, entry.sourceId, entry.key, 'failed', {
        fields,
        errorCode: error.code,
        message: dead
          ? `${error.message} (not sent again)`
          : `${error.message} (sent again from ${retryAt})`,
      }),
    );
  }
  page.settleEvents = [...(page.settleEvents ?? []), ...settled];
}

/**
 * Plans one page of source records as events into `page` (refusals, too_old) and `waiting` (the
 * events to send, by key).
 */
export async function planEvents(
  context: EventsContext,
  records: ConnectorRecord[],
  page: OneWayPage,
  waiting: Map<string, LedgerEvent>,
): Promise<void> {
  const { definition, destination, store } = context;
  const candidates: Candidate[] = [];
  const since =
    definition.events?.since === undefined ? undefined : Date.parse(definition.events.since);
  for (const record of records) {
    if (!passesFilter(record.fields, definition.left.filter)) continue;
    const candidate = await candidateOf(context, record);
    if ('problem' in candidate) {
      page.counters.failed++;
      page.events.push(
        logLine(context, record.id, candidate.key, 'failed', {
          errorCode: 'invalid_value',
          message: candidate.problem,
        }),
      );
      continue;
    }
    if (since !== undefined && Date.parse(candidate.entry.occurredAt) < since) {
      page.counters.skipped++;
      continue;
    }
    candidates.push(candidate);
  }
  const known = new Map(
    (
      await store.findLedgerEvents(definition.id, [...new Set(candidates.map((c) => c.entry.key))])
    ).map((entry) => [entry.key, entry]),
  );
  const now = nowOf(context);
  const maxAge = destination.maxEventAgeMs;
  for (const { entry, missingConsent } of candidates) {
    const previous = known.get(entry.key);
    // Re-read (the overlap window, a replay) or already waiting: the key has its answer, or will.
    if ((previous !== undefined && SETTLED.has(previous.status)) || waiting.has(entry.key))
      continue;
    // Refused for now and read again before its wait is over: the resend pass owns it.
    if (
      previous?.status === 'failed' &&
      previous.nextAttemptAt !== null &&
      Date.parse(previous.nextAttemptAt) > Date.parse(now)
    )
      continue;
    if (maxAge !== undefined && Date.parse(entry.occurredAt) < Date.parse(now) - maxAge) {
      page.counters.too_old++;
      (page.settleEvents ??= []).push({ ...entry, status: 'too_old', payload: null });
      page.events.push(
        logLine(context, entry.sourceId, entry.key, 'too_old', {
          message: `happened ${entry.occurredAt}, older than the ${String(Math.round(maxAge / 86_400_000))} days the destination accepts`,
        }),
      );
      continue;
    }
    if (missingConsent.length > 0) {
      page.counters.no_consent++;
      (page.settleEvents ??= []).push({ ...entry, status: 'no_consent', payload: null });
      page.events.push(
        logLine(context, entry.sourceId, entry.key, 'no_consent', {
          message: `not sent: the destination requires ${missingConsent.join(' and ')}, not granted`,
        }),
      );
      continue;
    }
    waiting.set(entry.key, { ...entry, attempts: (previous?.attempts ?? 0) + 1 });
  }
}

/** Events planned page by page, sent a destination's batch at a time. */
function eventSink(context: EventsContext): PageSink {
  const batch = context.destination.limits.maxBatch.append ?? context.pageSize;
  let page = emptyPage();
  let waiting = new Map<string, LedgerEvent>();
  return {
    add: (records) => planEvents(context, records, page, waiting),
    full: () => waiting.size >= batch,
    async flush() {
      const outcome = page;
      const pending = [...waiting.values()];
      page = emptyPage();
      waiting = new Map();
      await send(context, pending, outcome);
      return outcome;
    },
  };
}

/** Events left pending by a run that ended before their answer, and failed ones now due. */
async function resendDue(context: EventsContext): Promise<void> {
  for (;;) {
    throwIfCancelled(context.signal);
    const due = await context.store.dueLedgerEvents(
      context.definition.id,
      nowOf(context),
      context.pageSize,
    );
    if (due.length === 0) return;
    const page = emptyPage();
    await send(
      context,
      due.map((entry) => ({ ...entry, attempts: entry.attempts + 1, status: 'pending' as const })),
      page,
    );
    await commitOneWay(context, page);
    // A failed event is due again only later; pending ones are settled now.
    if (due.length < context.pageSize) return;
  }
}

/** One events run: due resends first, then the source's changes from its cursor. */
export async function executeEvents(context: EventsContext): Promise<void> {
  if (context.definition.events === undefined)
    throw new ConnectorError('bad_request', 'an events sync needs its events settings');
  await resendDue(context);
  await readSource(context, eventSink(context));
}
