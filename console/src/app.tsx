/** The console: sign-in, then the page the URL names. */
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { ApiError, createApi, storeKey, storedKey, whoAmI } from './api';
import { ErrorState, Loading } from './components/states';
import { ConflictsPage } from './pages/conflicts';
import { ConnectionsPage } from './pages/connections';
import { FailedRecordsPage } from './pages/failed-records';
import { NewConnectionPage, OAuthCallbackPage } from './pages/new-connection';
import { OverviewPage } from './pages/overview';
import { RecordsPage } from './pages/records';
import { RunPage } from './pages/run';
import { KEY_NOT_ACCEPTED, SignInPage } from './pages/sign-in';
import { SyncPage } from './pages/sync';
import { SyncEditorPage } from './pages/sync-editor';
import { Link, parseRoute, usePathname, type Route } from './router';
import { SessionContext, useSession, type Session } from './session';
import { SidesProvider } from './sides';
import type { Me } from './types';

type Auth =
  | { state: 'checking'; key: string }
  | { state: 'signed_out'; notice: string | undefined }
  | { state: 'signed_in'; key: string; me: Me };

function initialAuth(): Auth {
  const key = storedKey();
  return key === null ? { state: 'signed_out', notice: undefined } : { state: 'checking', key };
}

export function App(): ReactNode {
  const [auth, setAuth] = useState<Auth>(initialAuth);
  const [checkError, setCheckError] = useState<Error | undefined>();

  // A key kept from earlier in this tab: still accepted?
  const checkingKey = auth.state === 'checking' ? auth.key : undefined;
  useEffect(() => {
    if (checkingKey === undefined) return;
    let current = true;
    setCheckError(undefined);
    whoAmI(checkingKey)
      .then((me) => {
        if (current) setAuth({ state: 'signed_in', key: checkingKey, me });
      })
      .catch((error: unknown) => {
        if (!current) return;
        if (error instanceof ApiError && error.status === 401) {
          storeKey(null);
          setAuth({ state: 'signed_out', notice: KEY_NOT_ACCEPTED });
        } else {
          setCheckError(error instanceof Error ? error : new Error(String(error)));
        }
      });
    return () => {
      current = false;
    };
  }, [checkingKey]);

  const signedInKey = auth.state === 'signed_in' ? auth.key : undefined;
  const me = auth.state === 'signed_in' ? auth.me : undefined;
  const session = useMemo((): Session | undefined => {
    if (signedInKey === undefined || me === undefined) return undefined;
    const signOut = (notice?: string): void => {
      storeKey(null);
      setAuth({ state: 'signed_out', notice });
    };
    return {
      api: createApi(signedInKey, {
        onUnauthorized: () => {
          signOut('Your API key is no longer accepted (it may have been revoked). Sign in again.');
        },
      }),
      me,
      can: (permission) => me.permissions.includes(permission),
      signOut: () => {
        signOut();
      },
    };
  }, [signedInKey, me]);

  if (auth.state === 'checking') {
    return (
      <main id="main" className="sign-in">
        {checkError === undefined ? (
          <Loading what="your session" />
        ) : (
          <ErrorState
            error={checkError}
            onRetry={() => {
              setAuth({ state: 'checking', key: auth.key });
              setCheckError(undefined);
            }}
          />
        )}
      </main>
    );
  }
  if (session === undefined) {
    return (
      <SignInPage
        notice={auth.state === 'signed_out' ? auth.notice : undefined}
        onSignedIn={(key, signedIn) => {
          storeKey(key);
          setAuth({ state: 'signed_in', key, me: signedIn });
        }}
      />
    );
  }
  return (
    <SessionContext.Provider value={session}>
      <SidesProvider>
        <Shell />
      </SidesProvider>
    </SessionContext.Provider>
  );
}

function title(route: Route): string {
  switch (route.page) {
    case 'overview':
      return 'Overview';
    case 'sync':
      return 'Sync';
    case 'run':
      return 'Run';
    case 'new-sync':
      return 'New sync';
    case 'edit-sync':
      return 'Edit sync';
    case 'conflicts':
      return 'Conflicts';
    case 'failed':
      return 'Failed records';
    case 'connections':
      return 'Connections';
    case 'new-connection':
      return 'New connection';
    case 'oauth-callback':
      return 'Connecting';
    case 'records':
      return 'Record history';
    case 'not_found':
      return 'Not found';
  }
}

/** Header, navigation and the current page; focus moves to the page on navigation. */
function Shell(): ReactNode {
  const pathname = usePathname();
  const route = parseRoute(pathname);
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);

  useEffect(() => {
    document.title = `${title(route)} · Syncline console`;
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus();
    window.scrollTo(0, 0);
    // Only a new path moves focus, not a re-render.
  }, [pathname]);

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Header />
      <main id="main" ref={main} tabIndex={-1} className="page">
        <Page route={route} />
      </main>
    </>
  );
}

function Header(): ReactNode {
  const { me, signOut, can } = useSession();
  return (
    <header className="top-bar">
      <div className="top-bar-inner">
        <Link to={{ page: 'overview' }} className="brand">
          Syncline
        </Link>
        <nav aria-label="Main">
          <ul>
            {can('read') && (
              <li>
                <Link to={{ page: 'overview' }}>Overview</Link>
              </li>
            )}
            {can('read') && (
              <li>
                <Link to={{ page: 'conflicts' }}>Conflicts</Link>
              </li>
            )}
            {can('read') && (
              <li>
                <Link to={{ page: 'failed' }}>Failed records</Link>
              </li>
            )}
            {can('read') && (
              <li>
                <Link to={{ page: 'connections' }}>Connections</Link>
              </li>
            )}
            {can('read') && (
              <li>
                <Link to={{ page: 'records' }}>Record history</Link>
              </li>
            )}
            <li>
              <a href="/api/docs">API docs</a>
            </li>
          </ul>
        </nav>
        <div className="who">
          <span>
            Signed in as <strong>{me.name}</strong>{' '}
            <span className="badge badge-neutral" data-role={me.role}>
              {me.role}
            </span>
          </span>
          <button type="button" onClick={signOut}>
            Sign out
          </button>
        </div>
      </div>
    </header>
  );
}

function Page(props: { route: Route }): ReactNode {
  const { route } = props;
  switch (route.page) {
    case 'overview':
      return <OverviewPage />;
    case 'sync':
      return <SyncPage key={route.id} id={route.id} />;
    case 'run':
      return <RunPage key={route.id} id={route.id} />;
    case 'new-sync':
      return <SyncEditorPage key="new" />;
    case 'edit-sync':
      return <SyncEditorPage key={route.id} syncId={route.id} />;
    case 'conflicts':
      return <ConflictsPage key={route.syncId ?? '*'} syncId={route.syncId} />;
    case 'failed':
      return <FailedRecordsPage key={route.syncId ?? '*'} syncId={route.syncId} />;
    case 'connections':
      return <ConnectionsPage />;
    case 'new-connection':
      return <NewConnectionPage />;
    case 'oauth-callback':
      return <OAuthCallbackPage />;
    case 'records':
      return <RecordsPage />;
    case 'not_found':
      return (
        <>
          <h1>Not found</h1>
          <p>
            The console has no page at <code>{route.path}</code>.{' '}
            <Link to={{ page: 'overview' }}>Go to the overview</Link>.
          </p>
        </>
      );
  }
}
