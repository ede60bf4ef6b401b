/**
 * The URL's query string as a view's state (filters, paging), so that a filtered view can be
 * linked, reloaded, and walked back and forth with the browser's history.
 */
import { useCallback, useSyncExternalStore } from 'react';

/** The event router.tsx's navigate() sends; a query change sends it too. */
const NAVIGATED = 'syncline:navigated';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(NAVIGATED, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(NAVIGATED, onChange);
  };
}

/** The query string now (`?a=1&b=2`, or ''); re-renders when it changes. */
export function useSearch(): string {
  return useSyncExternalStore(subscribe, () => window.location.search);
}

/** Query parameters whose names start with `prefix` (without it), as a plain object. */
export function readParams(search: string, prefix = ''): Partial<Record<string, string>> {
  const params: Partial<Record<string, string>> = {};
  for (const [name, value] of new URLSearchParams(search)) {
    if (name.startsWith(prefix) && value !== '') params[name.slice(prefix.length)] = value;
  }
  return params;
}

/**
 * Replaces the query parameters starting with `prefix` by `values` (empty ones left out), keeping
 * the others; a new history entry unless `replace`.
 */
export function writeParams(
  prefix: string,
  values: Record<string, string | undefined>,
  options: { replace?: boolean } = {},
): void {
  const params = new URLSearchParams(window.location.search);
  for (const name of [...params.keys()]) if (name.startsWith(prefix)) params.delete(name);
  for (const [name, value] of Object.entries(values)) {
    if (value !== undefined && value !== '') params.set(`${prefix}${name}`, value);
  }
  const query = params.toString();
  const url = `${window.location.pathname}${query === '' ? '' : `?${query}`}${window.location.hash}`;
  if (options.replace === true) window.history.replaceState(null, '', url);
  else window.history.pushState(null, '', url);
  window.dispatchEvent(new Event(NAVIGATED));
}

/** The parameters under `prefix` and a setter for them. */
export function useParams(
  prefix = '',
): [Partial<Record<string, string>>, (values: Record<string, string | undefined>) => void] {
  const search = useSearch();
  const set = useCallback(
    (values: Record<string, string | undefined>) => {
      writeParams(prefix, values);
    },
    [prefix],
  );
  return [readParams(search, prefix), set];
}
