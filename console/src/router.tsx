/**
 * The console's routes, in the browser's history under /console (Nest answers the page for any of
 * them, so a deep link or a reload lands on the same view).
 */
import { useSyncExternalStore, type MouseEvent, type ReactNode } from 'react';

export const BASE = '/console';

export type Route =
  | { page: 'overview' }
  | { page: 'sync'; id: string }
  /** The sync editor: a new sync, or a saved one's definition. */
  | { page: 'new-sync' }
  | { page: 'edit-sync'; id: string }
  | { page: 'run'; id: string }
  | { page: 'conflicts'; syncId?: string }
  /** Failed records (a sync's, or every sync's), to retry or discard one or many. */
  | { page: 'failed'; syncId?: string }
  | { page: 'connections' }
  /** A new connection: the catalogue, then a form from the chosen connector's settings. */
  | { page: 'new-connection' }
  /** Where a vendor's OAuth page sends the browser back (`?state=&code=` or `?error=`). */
  | { page: 'oauth-callback' }
  /** Record history; the record id searched for is in the query (`?recordId=`). */
  | { page: 'records'; recordId?: string }
  | { page: 'not_found'; path: string };

export function parseRoute(pathname: string): Route {
  const path = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname;
  const parts = path.split('/').filter((part) => part !== '');
  if (parts.length === 0) return { page: 'overview' };
  const [section, id] = parts;
  if (parts.length === 1 && section === 'conflicts') return { page: 'conflicts' };
  if (parts.length === 1 && section === 'connections') return { page: 'connections' };
  if (parts.length === 1 && section === 'records') return { page: 'records' };
  if (parts.length === 1 && section === 'failed-records') return { page: 'failed' };
  if (parts.length === 3 && section === 'syncs' && parts[2] === 'conflicts')
    return { page: 'conflicts', syncId: safeDecode(id) };
  if (parts.length === 3 && section === 'syncs' && parts[2] === 'failed-records')
    return { page: 'failed', syncId: safeDecode(id) };
  if (parts.length === 2 && section === 'syncs' && id === 'new') return { page: 'new-sync' };
  if (parts.length === 3 && section === 'syncs' && parts[2] === 'edit')
    return { page: 'edit-sync', id: safeDecode(id) };
  if (parts.length === 2 && section === 'connections' && id === 'new')
    return { page: 'new-connection' };
  if (parts.length === 2 && section === 'oauth' && id === 'callback')
    return { page: 'oauth-callback' };
  if (parts.length === 2) {
    if (section === 'syncs') return { page: 'sync', id: safeDecode(id) };
    if (section === 'runs') return { page: 'run', id: safeDecode(id) };
  }
  return { page: 'not_found', path: pathname };
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

export function routeHref(route: Route): string {
  switch (route.page) {
    case 'overview':
      return `${BASE}/`;
    case 'sync':
      return `${BASE}/syncs/${encodeURIComponent(route.id)}`;
    case 'run':
      return `${BASE}/runs/${encodeURIComponent(route.id)}`;
    case 'new-sync':
      return `${BASE}/syncs/new`;
    case 'edit-sync':
      return `${BASE}/syncs/${encodeURIComponent(route.id)}/edit`;
    case 'conflicts':
      return route.syncId === undefined
        ? `${BASE}/conflicts`
        : `${BASE}/syncs/${encodeURIComponent(route.syncId)}/conflicts`;
    case 'failed':
      return route.syncId === undefined
        ? `${BASE}/failed-records`
        : `${BASE}/syncs/${encodeURIComponent(route.syncId)}/failed-records`;
    case 'connections':
      return `${BASE}/connections`;
    case 'new-connection':
      return `${BASE}/connections/new`;
    case 'oauth-callback':
      return `${BASE}/oauth/callback`;
    case 'records':
      return route.recordId === undefined || route.recordId === ''
        ? `${BASE}/records`
        : `${BASE}/records?recordId=${encodeURIComponent(route.recordId)}`;
    case 'not_found':
      return route.path;
  }
}

const NAVIGATED = 'syncline:navigated';

export function navigate(route: Route): void {
  window.history.pushState(null, '', routeHref(route));
  window.dispatchEvent(new Event(NAVIGATED));
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(NAVIGATED, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(NAVIGATED, onChange);
  };
}

/** The path the page shows now; re-renders on navigation (links, back and forward). */
export function usePathname(): string {
  return useSyncExternalStore(subscribe, () => window.location.pathname);
}

export function Link(props: { to: Route; children: ReactNode; className?: string }): ReactNode {
  const href = routeHref(props.to);
  function onClick(event: MouseEvent<HTMLAnchorElement>): void {
    // New tabs, windows and downloads stay the browser's.
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey)
      return;
    event.preventDefault();
    navigate(props.to);
  }
  return (
    <a href={href} onClick={onClick} className={props.className}>
      {props.children}
    </a>
  );
}
