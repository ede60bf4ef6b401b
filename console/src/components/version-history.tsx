/**
 * A sync's version history, from the audit log: who made each change and when, and what it did to
 * the definition, line by line as `syncline plan` shows a diff (`~ mappings[1].policy (name ↔
 * Name): "left_wins" → "right_wins"`). Connections are named, not shown by id.
 */
import type { ReactNode } from 'react';
import { dateTime, words } from '../format';
import { useSession } from '../session';
import type { AuditEntry, Connection } from '../types';
import { useLoad } from '../use-load';
import { ErrorState, Loading } from './states';

interface Difference {
  op: '+' | '-' | '~';
  path: string;
  label?: string;
  from?: unknown;
  to?: unknown;
}

function isDifference(value: unknown): value is Difference {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Difference).op === 'string' &&
    typeof (value as Difference).path === 'string'
  );
}

function shown(value: unknown, names: ReadonlyMap<string, string>): string {
  if (typeof value === 'string' && names.has(value)) return `"${names.get(value) ?? value}"`;
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

/** One difference as a plan line. */
export function differenceLine(difference: Difference, names: ReadonlyMap<string, string>): string {
  const where = `${difference.path}${difference.label === undefined ? '' : ` (${difference.label})`}`;
  switch (difference.op) {
    case '+':
      return `+ ${where}: ${shown(difference.to, names)}`;
    case '-':
      return `- ${where}: was ${shown(difference.from, names)}`;
    case '~':
      return `~ ${where}: ${shown(difference.from, names)} → ${shown(difference.to, names)}`;
  }
}

export function VersionHistory(props: {
  syncId: string;
  connections: Connection[];
  /** Changes as the page saves them, so the history loads again. */
  generation: number;
}): ReactNode {
  const { api } = useSession();
  const loaded = useLoad(
    `history:${props.syncId}:${String(props.generation)}`,
    async (signal) =>
      (
        await api.get<{ items: AuditEntry[] }>(
          `/audit-log?targetType=sync&targetId=${encodeURIComponent(props.syncId)}&limit=50`,
          signal,
        )
      ).items,
  );
  const names = new Map(props.connections.map((c) => [c.id, c.name]));
  return (
    <section aria-labelledby="history-heading">
      <h2 id="history-heading">Version history</h2>
      {loaded.state === 'loading' && <Loading what="the history" />}
      {loaded.state === 'error' && <ErrorState error={loaded.error} onRetry={loaded.reload} />}
      {loaded.data !== undefined && (
        <ol className="history" reversed>
          {loaded.data.map((entry) => {
            const version = entry.details['version'];
            const changes = Array.isArray(entry.details['changes'])
              ? entry.details['changes'].filter(isDifference)
              : [];
            const fields = Array.isArray(entry.details['fields'])
              ? entry.details['fields'].filter((f): f is string => typeof f === 'string')
              : [];
            return (
              <li key={entry.id} data-action={entry.action}>
                <p>
                  <strong>
                    {typeof version === 'number'
                      ? `Version ${String(version)}`
                      : words(entry.action)}
                  </strong>{' '}
                  · {words(entry.action.replace(/^sync\./, ''))} {dateTime(entry.at)} by{' '}
                  {entry.apiKeyName ?? (entry.apiKeyId === null ? 'Syncline' : 'a deleted key')}
                </p>
                {changes.length > 0 ? (
                  <pre className="plan-diff">
                    {changes.map((change) => differenceLine(change, names)).join('\n')}
                  </pre>
                ) : (
                  fields.length > 0 && <p className="small muted">Changed: {fields.join(', ')}</p>
                )}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
