import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { SyncHealth } from '../persistence/sync-columns';
import type { AlertSettings } from './alert-settings';
import { NonPublicAddressError } from './public-address';
import { postWebhook } from './webhook-post';
import type { SentAlerts } from '../persistence/sent-alerts';
import { SYNCLINE_VERSION } from '../version';

/** What happened to a sync that is worth telling a person about. */
export type AlertEvent =
  | {
      kind: 'run_failed';
      runId: string;
      error: string | null;
      consecutiveFailures: number;
      health: SyncHealth;
    }
  | {
      kind: 'failed_records';
      runId: string;
      failed: number;
      read: number;
      rate: number;
      threshold: number;
    }
  | { kind: 'degraded'; runId: string; reason: string }
  | {
      kind: 'record_anomaly';
      runId: string;
      factor: number;
      /** Each count past `factor` times its usual (the median of the sync's last runs). */
      anomalies: Array<{
        counter: 'created' | 'deleted' | 'removed';
        count: number;
        usual: number;
      }>;
    }
  | { kind: 'recovered'; runId: string; after: 'run_failed' | 'failed_records' | 'degraded' };

export interface AlertSync {
  id: string;
  name: string;
  alerts: AlertSettings | null;
}

/** The JSON body posted to the webhook. */
export interface AlertPayload {
  /** The one-line message; Slack shows it in notifications and where blocks cannot be shown. */
  text: string;
  blocks: Array<{ type: 'section'; text: { type: 'mrkdwn'; text: string } }>;
  /** For receivers that are not Slack: the event as data. */
  syncline: AlertData;
}

/** The event's fields with `kind` renamed `event`, plus the sync and the time it was sent. */
export type AlertData = {
  syncId: string;
  syncName: string;
  at: string;
} & (AlertEvent extends infer E
  ? E extends { kind: infer K }
    ? { event: K } & Omit<E, 'kind'>
    : never
  : never);

export interface AlertsOptions {
  /** Waits before the 2nd, 3rd… attempt; its length is the number of retries. */
  retryDelaysMs?: readonly number[];
  /** Per attempt, response body included. */
  timeoutMs?: number;
  now?: () => Date;
  /**
   * SYNCLINE_ALERT_WEBHOOK_ALLOW_PRIVATE: webhooks may use http and reach loopback and private
   * addresses (an operator's choice, e.g. an alert relay inside the network). Off: https to public
   * addresses only, checked when the host is resolved at send time.
   */
  allowPrivate?: boolean;
}

/** Provide this token to change delivery timing (tests make retries instant). */
export const ALERTS_OPTIONS = Symbol('ALERTS_OPTIONS');

/** Where each alert sent (or not delivered) is kept; absent: kept nowhere (unit tests). */
export const ALERT_HISTORY = Symbol('ALERT_HISTORY');

const DEFAULT_RETRY_DELAYS_MS = [1000, 3000];
const DEFAULT_TIMEOUT_MS = 5000;
/** Keeps the notification line short; the section block has room for more of the error. */
const TEXT_ERROR_CHARS = 200;
const BLOCK_ERROR_CHARS = 1500;

/**
 * Posts run alerts to a sync's webhook in Slack's incoming-webhook format. An alert must never
 * fail or stall a run beyond its bounded retries, so `notify` never throws; and the webhook URL
 * is a secret (Slack's URL is the credential), so only its host is ever logged.
 */
@Injectable()
export class AlertsService {
  private readonly logger = new Logger('Alerts');
  private readonly retryDelaysMs: readonly number[];
  private readonly timeoutMs: number;
  private readonly now: () => Date;
  private readonly allowPrivate: boolean;

  constructor(
    @Optional() @Inject(ALERTS_OPTIONS) options?: AlertsOptions,
    @Optional() @Inject(ALERT_HISTORY) private readonly history?: SentAlerts,
  ) {
    this.retryDelaysMs = options?.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    this.timeoutMs = options?.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.now = options?.now ?? (() => new Date());
    this.allowPrivate = options?.allowPrivate ?? false;
  }

  /** Sends the alert; true when the webhook answered 2xx, false when off or undeliverable. */
  async notify(sync: AlertSync, event: AlertEvent): Promise<boolean> {
    // `!` rather than `=== null`: rows read before the column existed may give undefined.
    if (!sync.alerts) return false;
    const url = sync.alerts.webhookUrl;
    const host = hostOf(url);
    try {
      if (host === null) {
        this.warn(sync, event, '(invalid URL)', 'the webhook URL is not a valid URL');
        return false;
      }
      const payload = alertPayload(sync, event, this.now());
      const outcome = await this.deliver(url, host, JSON.stringify(payload));
      const attempts = `${outcome.attempts} attempt${outcome.attempts === 1 ? '' : 's'}`;
      const detail = outcome.delivered
        ? `delivered to ${host}` + (outcome.attempts > 1 ? ` on attempt ${outcome.attempts}` : '')
        : `not delivered to ${host}: ${outcome.reason} (${attempts})`;
      await this.remember(sync, event, payload.text, outcome.delivered, detail);
      if (outcome.delivered) {
        this.logger.log(`Alert ${event.kind} for sync ${sync.id} (run ${event.runId}) ${detail}`);
        return true;
      }
      this.warn(sync, event, host, `${outcome.reason} (${attempts})`);
      return false;
    } catch (error) {
      // Unexpected (delivery catches its own errors); still must not reach the run.
      this.warn(sync, event, host ?? '(invalid URL)', describeError(error, url, host));
      return false;
    }
  }

  /** Its history: a failure to keep it is logged, never passed on to the run. */
  private async remember(
    sync: AlertSync,
    event: AlertEvent,
    text: string,
    delivered: boolean,
    detail: string,
  ): Promise<void> {
    try {
      await this.history?.record({
        syncId: sync.id,
        runId: event.runId,
        kind: event.kind,
        text,
        delivered,
        detail,
      });
    } catch (error) {
      this.logger.warn(
        { err: error, syncId: sync.id },
        `Alert ${event.kind} for sync ${sync.id}: its history could not be kept`,
      );
    }
  }

  private async deliver(
    url: string,
    host: string,
    body: string,
  ): Promise<
    { delivered: true; attempts: number } | { delivered: false; attempts: number; reason: string }
  > {
    let attempts = 0;
    for (;;) {
      attempts += 1;
      let reason: string;
      let retryable: boolean;
      try {
        const answer = await postWebhook(url, body, {
          headers: {
            'content-type': 'application/json',
            'user-agent': `Syncline/${SYNCLINE_VERSION}`,
          },
          timeoutMs: this.timeoutMs,
          allowPrivate: this.allowPrivate,
        });
        // Slack explains refusals in the body.
        if (answer.status >= 200 && answer.status < 300) return { delivered: true, attempts };
        reason = `HTTP ${answer.status}${answer.body.trim() === '' ? '' : ` ${oneLine(answer.body, 100)}`}`;
        retryable = answer.status >= 500 || answer.status === 429;
      } catch (error) {
        if (error instanceof NonPublicAddressError)
          return { delivered: false, attempts, reason: error.message };
        reason = describeError(error, url, host);
        retryable = true;
      }
      const delay = this.retryDelaysMs.at(attempts - 1);
      if (!retryable || delay === undefined) return { delivered: false, attempts, reason };
      await sleep(delay);
    }
  }

  private warn(sync: AlertSync, event: AlertEvent, host: string, reason: string): void {
    this.logger.warn(
      `Alert ${event.kind} for sync ${sync.id} (run ${event.runId}) not delivered to ${host}: ${reason}`,
    );
  }
}

/** The Slack-compatible body for an event; exported for the syncs API's "send a test" later. */
export function alertPayload(sync: AlertSync, event: AlertEvent, at: Date): AlertPayload {
  const name = escapeMrkdwn(sync.name);
  const run = `Run \`${escapeMrkdwn(event.runId)}\``;
  let text: string;
  let section: string;
  switch (event.kind) {
    case 'run_failed': {
      const streak =
        event.consecutiveFailures > 1
          ? `${event.consecutiveFailures} failures in a row, ${event.health}`
          : event.health;
      // Cut before escaping, so an entity such as &amp; is never cut in half.
      const error = event.error;
      const quote = (max: number) => (error === null ? '' : escapeMrkdwn(oneLine(error, max)));
      text = `:red_circle: Sync "${name}" failed${error === null ? '' : `: ${quote(TEXT_ERROR_CHARS)}`} (${streak})`;
      section =
        `:red_circle: *Sync "${name}" failed* (${streak})\n` +
        (error === null ? '' : `>${quote(BLOCK_ERROR_CHARS)}\n`) +
        run;
      break;
    }
    case 'failed_records': {
      const counts = `${event.failed} of ${event.read} records failed (${percent(event.rate)}, threshold ${percent(event.threshold)})`;
      text = `:warning: Sync "${name}": ${counts}`;
      section = `:warning: *Sync "${name}"*: ${counts}\n${run}`;
      break;
    }
    case 'degraded': {
      const reason = escapeMrkdwn(oneLine(event.reason, TEXT_ERROR_CHARS));
      text = `:warning: Sync "${name}" is degraded: ${reason}`;
      section = `:warning: *Sync "${name}" is degraded*: ${reason}\n${run}`;
      break;
    }
    case 'record_anomaly': {
      const counts = event.anomalies
        .map((a) => `${verbs[a.counter]} ${a.count} records (usually ${a.usual})`)
        .join(', ');
      text = `:warning: Sync "${name}" ${counts}`;
      section = `:warning: *Sync "${name}"* ${counts}, more than ${event.factor} times its usual number\n${run}`;
      break;
    }
    case 'recovered': {
      const after =
        event.after === 'run_failed'
          ? 'runs succeed again after failing'
          : event.after === 'degraded'
            ? 'its records sync again'
            : 'failed records are back under the threshold';
      text = `:large_green_circle: Sync "${name}" recovered`;
      section = `:large_green_circle: *Sync "${name}" recovered*: ${after}\n${run}`;
      break;
    }
  }
  const { kind, ...fields } = event;
  return {
    text,
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: section } }],
    // TypeScript does not correlate `kind` with the rest of the union after destructuring.
    syncline: {
      event: kind,
      syncId: sync.id,
      syncName: sync.name,
      ...fields,
      at: at.toISOString(),
    } as AlertData,
  };
}

const verbs = { created: 'created', deleted: 'deleted', removed: 'removed from an audience' };

/**
 * Slack reads &, < and > as markup (links, @channel mentions); sync names and errors come from
 * users and remote systems, so they are shown literally.
 */
function escapeMrkdwn(value: string): string {
  return value.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** Whitespace (newlines included) collapsed, cut to `max` characters with an ellipsis. */
function oneLine(value: string, max: number): string {
  const line = value.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}

/** 0.06 → "6%", 0.0625 → "6.3%"; a non-zero share never shows as "0%". */
function percent(share: number): string {
  const tenths = Math.round(share * 1000) / 10;
  if (tenths === 0 && share > 0) return '<0.1%';
  return `${tenths}%`;
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}

/**
 * Names the failure without the URL: undici puts the URL in some messages (bad URL, redirects).
 * Duck-typed, not `instanceof Error`: fetch's errors may come from another realm (Jest's VM).
 */
function describeError(error: unknown, url: string, host: string | null): string {
  const { name, message, code, cause } = errorFields(error);
  if (name === 'TimeoutError') return 'timed out';
  if (code !== undefined) return code;
  // fetch wraps network failures in "TypeError: fetch failed"; the cause has the useful code.
  const causeCode = errorFields(cause).code;
  if (causeCode !== undefined) return causeCode;
  const described = name === undefined ? 'unknown error' : `${name}: ${message ?? ''}`;
  return described.split(url).join(host ?? '(webhook URL)');
}

function errorFields(error: unknown): {
  name?: string;
  message?: string;
  code?: string;
  cause?: unknown;
} {
  if (typeof error !== 'object' || error === null) return {};
  const { name, message, code, cause } = error as Record<string, unknown>;
  return {
    ...(typeof name === 'string' ? { name } : {}),
    ...(typeof message === 'string' ? { message } : {}),
    ...(typeof code === 'string' ? { code } : {}),
    cause,
  };
}
