/**
 * A sync's alerts: where they go and when (editable by keys that may change syncs), and the
 * history of the alerts it sent. The webhook URL is a secret: the API shows its origin only, so
 * the form leaves it empty and an empty field keeps the URL already set.
 */
import { useId, useState, type ReactNode, type SubmitEvent } from 'react';
import { ApiError } from '../api';
import { fromNow, words } from '../format';
import { Link } from '../router';
import { useSession } from '../session';
import type { Sync } from '../types';
import { useLoad } from '../use-load';
import { When } from './badges';
import { Empty, ErrorState, InlineError, Loading, describeError } from './states';

interface SentAlert {
  at: string;
  runId: string | null;
  kind: string;
  text: string;
  delivered: boolean;
  detail: string;
}

type Settings = NonNullable<Sync['alerts']>;

/** "to https://hooks.slack.com/…, when over 5% of a run's records fail, …". */
export function describeAlerts(alerts: Sync['alerts']): string {
  if (alerts === null) return 'none';
  const when = [
    'when a run fails or records keep failing',
    alerts.failedRecordRate === undefined
      ? undefined
      : `when over ${percentText(alerts.failedRecordRate)}% of a run's records fail`,
    alerts.anomalyFactor === undefined
      ? undefined
      : `when a run creates or deletes over ${String(alerts.anomalyFactor)} times its usual number`,
  ].filter((part) => part !== undefined);
  return `to ${alerts.webhookUrl}, ${when.join(', ')}`;
}

export function AlertsPanel(props: { sync: Sync; onChanged: () => void }): ReactNode {
  const { api, can } = useSession();
  const { sync } = props;
  const [editing, setEditing] = useState(false);
  const history = useLoad(`alerts:${sync.id}:${String(sync.version)}`, (signal) =>
    api.get<{ items: SentAlert[] }>(`/syncs/${encodeURIComponent(sync.id)}/alerts`, signal),
  );
  return (
    <section aria-labelledby="alerts-heading">
      <div className="section-heading">
        <h2 id="alerts-heading">Alerts</h2>
        {can('config:write') && !editing && (
          <button
            type="button"
            onClick={() => {
              setEditing(true);
            }}
          >
            Edit alerts
          </button>
        )}
      </div>
      <p>{describeAlerts(sync.alerts)}</p>
      {editing && (
        <AlertsForm
          sync={sync}
          onDone={(changed) => {
            setEditing(false);
            if (changed) props.onChanged();
          }}
        />
      )}
      <h3>Alerts sent</h3>
      {history.data === undefined ? (
        history.state === 'loading' ? (
          <Loading what="the alerts sent" />
        ) : (
          <ErrorState error={history.error} onRetry={history.reload} />
        )
      ) : history.data.items.length === 0 ? (
        <Empty>
          <p>No alert sent yet.</p>
        </Empty>
      ) : (
        <table className="data-table" aria-label="Alerts sent">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">What</th>
              <th scope="col">Message</th>
              <th scope="col">Delivery</th>
            </tr>
          </thead>
          <tbody>
            {history.data.items.map((alert) => (
              <tr key={`${alert.at}:${alert.kind}`}>
                <td>
                  <When iso={alert.at} format={fromNow} />
                </td>
                <td>
                  {words(alert.kind)}
                  {alert.runId !== null && (
                    <div className="small">
                      <Link to={{ page: 'run', id: alert.runId }}>its run</Link>
                    </div>
                  )}
                </td>
                <td>{withoutEmoji(alert.text)}</td>
                <td className={alert.delivered ? undefined : 'inline-error'}>{alert.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Slack's emoji codes (`:warning:`) that open each message mean nothing outside Slack. */
function withoutEmoji(text: string): string {
  return text.replace(/^:[a-z_]+:\s*/, '');
}

/** Percent in the form, a share (0 to 1) in the API. */
function percentText(rate: number | undefined): string {
  return rate === undefined ? '' : String(Math.round(rate * 1000) / 10);
}

/** Saves the sync's alerts (null: off); the API's problems by path, or why it failed. */
function useSaveAlerts(sync: Sync, onDone: (changed: boolean) => void) {
  const { api } = useSession();
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<Partial<Record<string, string>>>({});
  const [problem, setProblem] = useState<string | undefined>();

  async function save(alerts: Record<string, unknown> | null): Promise<void> {
    setBusy(true);
    setProblems({});
    setProblem(undefined);
    try {
      await api.patch(`/syncs/${encodeURIComponent(sync.id)}`, { version: sync.version, alerts });
      onDone(true);
    } catch (error) {
      setBusy(false);
      if (error instanceof ApiError && error.details.length > 0) {
        setProblems(Object.fromEntries(error.details.map((d) => [d.path, d.problem])));
        setProblem(error.message);
      } else setProblem(describeError(error instanceof Error ? error : new Error(String(error))));
    }
  }

  return { busy, problems, setProblems, problem, save };
}

interface FieldSpec {
  name: string;
  label: string;
  value: string;
  set: (value: string) => void;
  hint: string;
  number?: boolean;
  placeholder?: string;
}

/** One input of the alert form, with its hint and the API's problem with it. */
function AlertField(props: {
  id: string;
  spec: FieldSpec;
  problem: string | undefined;
}): ReactNode {
  const { id, spec } = props;
  return (
    <div className="field">
      <label htmlFor={`${id}-${spec.name}`}>{spec.label}</label>
      <input
        id={`${id}-${spec.name}`}
        type={spec.number === true ? 'number' : 'text'}
        step={spec.number === true ? 'any' : undefined}
        value={spec.value}
        autoComplete="off"
        placeholder={spec.placeholder}
        onChange={(event) => {
          spec.set(event.target.value);
        }}
        aria-describedby={`${id}-${spec.name}-hint`}
      />
      <span id={`${id}-${spec.name}-hint`} className="muted small">
        {spec.hint}
      </span>
      {props.problem !== undefined && (
        <span className="inline-error" role="alert">
          {spec.label}: {props.problem}
        </span>
      )}
    </div>
  );
}

function AlertsForm(props: { sync: Sync; onDone: (changed: boolean) => void }): ReactNode {
  const { sync } = props;
  const current: Settings | null = sync.alerts;
  const id = useId();
  const [url, setUrl] = useState('');
  const [rate, setRate] = useState(percentText(current?.failedRecordRate));
  const [factor, setFactor] = useState(
    current?.anomalyFactor === undefined ? '' : String(current.anomalyFactor),
  );
  const { busy, problems, setProblems, problem, save } = useSaveAlerts(sync, props.onDone);

  function onSubmit(event: SubmitEvent<HTMLFormElement>): void {
    event.preventDefault();
    const alerts: Record<string, unknown> = {};
    if (url.trim() !== '') alerts.webhookUrl = url.trim();
    else if (current === null) {
      setProblems({ 'alerts.webhookUrl': 'required' });
      return;
    }
    // A number the API checks (and names the field if it is not one); "" leaves it out.
    if (rate.trim() !== '') alerts.failedRecordRate = Number(rate) / 100;
    if (factor.trim() !== '') alerts.anomalyFactor = Number(factor);
    void save(alerts);
  }

  const field = (spec: FieldSpec): ReactNode => (
    <AlertField id={id} spec={spec} problem={problems[`alerts.${spec.name}`]} />
  );

  return (
    <form className="alerts-form" onSubmit={onSubmit} aria-label="Alert settings">
      {field({
        name: 'webhookUrl',
        label: 'Webhook URL',
        value: url,
        set: setUrl,
        placeholder: current === null ? 'https://hooks.slack.com/services/…' : current.webhookUrl,
        hint:
          current === null
            ? 'A Slack incoming webhook, or any URL that takes its JSON.'
            : 'Empty: keep the URL set now (it is a secret, so it is not shown).',
      })}
      {field({
        name: 'failedRecordRate',
        label: 'Failed records (%)',
        value: rate,
        set: setRate,
        number: true,
        hint: "Alert when more than this share of a run's records fail; empty: no such alert.",
      })}
      {field({
        name: 'anomalyFactor',
        label: 'Unusual counts (times)',
        value: factor,
        set: setFactor,
        number: true,
        hint: 'Alert when a run creates or deletes this many times its usual number of records (2 to 1000); empty: no such alert.',
      })}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save alerts'}
        </button>
        {current !== null && (
          <button type="button" disabled={busy} onClick={() => void save(null)}>
            Turn alerts off
          </button>
        )}
        <button
          type="button"
          disabled={busy}
          onClick={() => {
            props.onDone(false);
          }}
        >
          Cancel
        </button>
      </div>
      <InlineError problem={problem} />
    </form>
  );
}
