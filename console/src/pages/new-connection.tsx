/**
 * A new connection: the connector catalogue, then the chosen connector's form (components/
 * connection-form.tsx). A connection made with secrets is created at once; one made through the
 * vendor's OAuth page starts there and comes back to the callback page, which finishes it. Either
 * way the new connection is checked at once, its reason shown when it fails.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { ApiError, type Api } from '../api';
import { ConnectionForm, type ConnectionDraft } from '../components/connection-form';
import { Empty, ErrorState, Loading, describeError } from '../components/states';
import { words } from '../format';
import { Link } from '../router';
import { useSession } from '../session';
import type { CheckResult, Connection, ConnectorKind, OAuthStarted, Page } from '../types';
import { useLoad } from '../use-load';

const CALLBACK_PATH = '/console/oauth/callback';

interface Catalogue {
  connectors: ConnectorKind[];
  connections: Connection[];
}

async function loadCatalogue(api: Api, signal: AbortSignal): Promise<Catalogue> {
  const [connectors, connections] = await Promise.all([
    api.get<{ items: ConnectorKind[] }>('/connectors', signal),
    api.get<Page<Connection>>('/connections?limit=200', signal),
  ]);
  return { connectors: connectors.items, connections: connections.items };
}

function Breadcrumb(props: { here: string }): ReactNode {
  return (
    <nav aria-label="Breadcrumb" className="breadcrumb">
      <Link to={{ page: 'overview' }}>Overview</Link> <span aria-hidden="true">/</span>{' '}
      <Link to={{ page: 'connections' }}>Connections</Link> <span aria-hidden="true">/</span>{' '}
      {props.here}
    </nav>
  );
}

export function NewConnectionPage(): ReactNode {
  const { api, can } = useSession();
  const loaded = useLoad('new-connection', (signal) => loadCatalogue(api, signal));
  const [kind, setKind] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | undefined>();
  const [created, setCreated] = useState<Connection | undefined>();

  if (!can('credentials:write'))
    return (
      <>
        <Breadcrumb here="New connection" />
        <h1>New connection</h1>
        <Empty>
          <p>Only admin keys set credentials, so only they create connections.</p>
        </Empty>
      </>
    );

  async function submit(draft: ConnectionDraft, oauth: boolean): Promise<void> {
    setBusy(true);
    setError(undefined);
    try {
      if (oauth) {
        const started = await api.post<OAuthStarted>('/connections/oauth', {
          ...draft,
          redirectUri: `${window.location.origin}${CALLBACK_PATH}`,
        });
        window.location.assign(started.authorizeUrl);
        return;
      }
      setCreated(await api.post<Connection>('/connections', draft));
    } catch (caught) {
      setError(caught instanceof Error ? caught : new Error(String(caught)));
    }
    setBusy(false);
  }

  const connector = loaded.data?.connectors.find((each) => each.kind === kind);
  return (
    <>
      <Breadcrumb here="New connection" />
      <h1>New connection</h1>
      {created !== undefined ? (
        <Connected connection={created} />
      ) : (
        <>
          {loaded.state === 'loading' && <Loading what="the connectors" />}
          {loaded.state === 'error' && <ErrorState error={loaded.error} onRetry={loaded.reload} />}
          {loaded.data !== undefined && connector === undefined && (
            <CataloguePicker connectors={loaded.data.connectors} onPick={setKind} />
          )}
          {loaded.data !== undefined && connector !== undefined && (
            <section aria-labelledby="connector-form-heading">
              <div className="section-heading">
                <h2 id="connector-form-heading">{connector.label}</h2>
                <button
                  type="button"
                  onClick={() => {
                    setKind(undefined);
                    setError(undefined);
                  }}
                >
                  Choose another connector
                </button>
              </div>
              <ConnectionForm
                key={connector.kind}
                connector={connector}
                sandboxes={loaded.data.connections.filter(
                  (each) => each.sandbox && each.kind === connector.kind,
                )}
                busy={busy}
                error={error}
                onSubmit={(draft, oauth) => void submit(draft, oauth)}
              />
            </section>
          )}
        </>
      )}
    </>
  );
}

function CataloguePicker(props: {
  connectors: ConnectorKind[];
  onPick: (kind: string) => void;
}): ReactNode {
  return (
    <section aria-labelledby="catalogue-heading">
      <h2 id="catalogue-heading">Choose what to connect</h2>
      <ul className="catalogue">
        {props.connectors.map((connector) => (
          <li key={connector.kind}>
            <button
              type="button"
              className="catalogue-card"
              onClick={() => {
                props.onPick(connector.kind);
              }}
            >
              <strong>{connector.label}</strong>
              <span className="muted small">
                {connector.capabilities.map(words).join(', ')}
                {connector.oauth !== undefined ? ' · connects through OAuth' : ''}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** A connection just made: said so, and checked at once (with the reason when it fails). */
function Connected(props: { connection: Connection }): ReactNode {
  const { api } = useSession();
  const { connection } = props;
  const checked = useLoad(`check-${connection.id}`, () =>
    api.post<CheckResult>(`/connections/${encodeURIComponent(connection.id)}/check`),
  );
  return (
    <section className="state state-success" aria-label="Connection created" role="status">
      <p>
        Connection <strong>{connection.name}</strong> created ({words(connection.kind)}
        {connection.sandbox ? ', sandbox' : ''}). Secrets kept: {connection.secretsSet.join(', ')}.
      </p>
      <p
        data-check={
          checked.state === 'ready' ? (checked.data.ok ? 'ok' : 'problem') : checked.state
        }
      >
        {checked.state === 'loading' && 'Checking it…'}
        {checked.state === 'error' && `The check could not run: ${describeError(checked.error)}`}
        {checked.state === 'ready' &&
          (checked.data.ok
            ? `Check: ok${checked.data.account !== undefined ? ` (${checked.data.account})` : ''}.`
            : `Check: problem${checked.data.code !== undefined ? ` (${checked.data.code})` : ''}: ${checked.data.reason ?? ''}`)}
      </p>
      <p>
        <Link to={{ page: 'connections' }}>Go to the connections</Link>
      </p>
    </section>
  );
}

/** Where the vendor's OAuth page sends the browser back: finishes the connection once. */
export function OAuthCallbackPage(): ReactNode {
  const { api } = useSession();
  const [outcome, setOutcome] = useState<
    | { state: 'working' }
    | { state: 'done'; connection: Connection }
    | { state: 'failed'; error: Error }
  >({ state: 'working' });
  const sent = useRef(false);

  useEffect(() => {
    if (sent.current) return;
    sent.current = true;
    const query = new URLSearchParams(window.location.search);
    const body: Record<string, string> = {};
    for (const name of ['state', 'code', 'error']) {
      const value = query.get(name);
      if (value !== null) body[name] = value;
    }
    // The code is single use: out of the address bar and the history once read.
    window.history.replaceState(null, '', CALLBACK_PATH);
    api
      .post<Connection>('/connections/oauth/complete', body)
      .then((connection) => {
        setOutcome({ state: 'done', connection });
      })
      .catch((error: unknown) => {
        setOutcome({
          state: 'failed',
          error: error instanceof Error ? error : new ApiError(0, 'unknown', String(error)),
        });
      });
  }, [api]);

  return (
    <>
      <Breadcrumb here="Connecting" />
      <h1>Connecting</h1>
      {outcome.state === 'working' && <Loading what="the tokens from the vendor" />}
      {outcome.state === 'done' && <Connected connection={outcome.connection} />}
      {outcome.state === 'failed' && (
        <>
          <ErrorState error={outcome.error} />
          <p>
            Nothing was connected. <Link to={{ page: 'new-connection' }}>Start again</Link>
          </p>
        </>
      )}
    </>
  );
}
