/** Statuses as words with a colour beside them (the word alone says it all). */
import type { ReactNode } from 'react';
import type { HealthStatus, RunStatus } from '../types';

const RUN_TONE: Record<RunStatus, string> = {
  queued: 'neutral',
  running: 'info',
  succeeded: 'good',
  partial: 'warn',
  failed: 'bad',
  cancelled: 'neutral',
};

const HEALTH_TONE: Record<HealthStatus, string> = {
  healthy: 'good',
  degraded: 'warn',
  failing: 'warn',
  unhealthy: 'bad',
};

export function RunStatusBadge(props: { status: RunStatus }): ReactNode {
  return (
    <span className={`badge badge-${RUN_TONE[props.status]}`} data-status={props.status}>
      {props.status}
    </span>
  );
}

export function HealthBadge(props: {
  status: HealthStatus;
  failures: number;
  reason?: string | null;
}): ReactNode {
  const detail =
    props.failures > 0
      ? ` (${props.failures} failed run${props.failures === 1 ? '' : 's'} in a row)`
      : props.reason !== undefined && props.reason !== null
        ? `: ${props.reason}`
        : '';
  return (
    <span
      className={`badge badge-${HEALTH_TONE[props.status]}`}
      data-health={props.status}
      title={`${props.status}${detail}`}
    >
      {props.status}
    </span>
  );
}

export function When(props: {
  iso: string | null;
  fallback?: string;
  format: (iso: string) => string;
}): ReactNode {
  if (props.iso === null) return <span className="muted">{props.fallback ?? '—'}</span>;
  return (
    <time dateTime={props.iso} title={new Date(props.iso).toLocaleString()}>
      {props.format(props.iso)}
    </time>
  );
}
