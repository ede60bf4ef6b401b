/** Loading data for a view: loading, error and ready states, a reload, cancelled on unmount. */
import { useCallback, useEffect, useRef, useState } from 'react';

export type Loaded<T> =
  | { state: 'loading'; data: undefined; error: undefined }
  /** `data`: what the last successful load gave, kept on screen beside the error. */
  | { state: 'error'; data: T | undefined; error: Error }
  | { state: 'ready'; data: T; error: undefined };

const LOADING = { state: 'loading', data: undefined, error: undefined } as const;

/**
 * Runs `load` now and whenever `key` changes (starting again from the loading state), and on
 * reload() (keeping the current data on screen meanwhile: `refreshing`).
 */
export function useLoad<T>(
  key: string,
  load: (signal: AbortSignal) => Promise<T>,
): Loaded<T> & { reload: () => void; refreshing: boolean } {
  const [loaded, setLoaded] = useState<Loaded<T>>(LOADING);
  const [refreshing, setRefreshing] = useState(false);
  const [generation, setGeneration] = useState(0);
  const latest = useRef(load);
  latest.current = load;
  const loadedKey = useRef(key);

  useEffect(() => {
    if (loadedKey.current !== key) {
      loadedKey.current = key;
      setLoaded(LOADING);
    }
    const controller = new AbortController();
    setRefreshing(true);
    latest
      .current(controller.signal)
      .then((data) => {
        if (!controller.signal.aborted) setLoaded({ state: 'ready', data, error: undefined });
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        setLoaded((previous) => ({
          state: 'error',
          data: previous.data,
          error: error instanceof Error ? error : new Error(String(error)),
        }));
      })
      .finally(() => {
        if (!controller.signal.aborted) setRefreshing(false);
      });
    return () => {
      controller.abort();
    };
  }, [key, generation]);

  const reload = useCallback(() => {
    setGeneration((n) => n + 1);
  }, []);
  return { ...loaded, reload, refreshing };
}
