/**
 * The console's only way to Syncline: the public REST API under /api/v1, with the API key given
 * at sign-in as a bearer token.
 */
import { ApiError, callApi } from '../../api-client/request';
import type { Me, Page } from './types';

export const API_BASE = '/api/v1';

export { ApiError } from '../../api-client/request';

export interface Api {
  get<T>(path: string, signal?: AbortSignal): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
  patch<T>(path: string, body: unknown): Promise<T>;
  delete(path: string): Promise<void>;
  /** A file the API answers (an export): its bytes and the name it suggests. */
  download(path: string): Promise<{ blob: Blob; filename: string }>;
}

export interface ApiOptions {
  /** Called when the key stops being accepted (revoked while signed in). */
  onUnauthorized?: (error: ApiError) => void;
}

export function createApi(key: string, options: ApiOptions = {}): Api {
  async function call<T>(method: string, path: string, body: unknown, signal?: AbortSignal) {
    try {
      return await callApi<T>({
        method,
        url: `${API_BASE}${path}`,
        key,
        body,
        signal,
        cache: 'no-store',
        unreachable: () =>
          new ApiError(0, 'network', 'Syncline did not answer. Check that it is running.'),
      });
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) options.onUnauthorized?.(error);
      throw error;
    }
  }
  return {
    get: <T>(path: string, signal?: AbortSignal) => call<T>('GET', path, undefined, signal),
    post: <T>(path: string, body?: unknown) => call<T>('POST', path, body),
    patch: <T>(path: string, body: unknown) => call<T>('PATCH', path, body),
    delete: async (path: string) => {
      await call<unknown>('DELETE', path, undefined);
    },
    download: async (path: string) => {
      const res = await fetch(`${API_BASE}${path}`, {
        headers: { authorization: `Bearer ${key}` },
        cache: 'no-store',
      });
      if (!res.ok)
        throw new ApiError(res.status, `http_${res.status}`, `Syncline answered ${res.status}.`);
      const disposition = res.headers.get('content-disposition') ?? '';
      const filename = /filename="([^"]+)"/.exec(disposition)?.[1] ?? 'export';
      return { blob: await res.blob(), filename };
    },
  };
}

/** The pages of a list, each as large as the API allows, following `nextCursor`. */
export async function* pages<T>(
  api: Api,
  path: string,
  signal?: AbortSignal,
): AsyncGenerator<Page<T>, void, undefined> {
  const separator = path.includes('?') ? '&' : '?';
  let cursor: string | null = null;
  do {
    const after = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
    const page: Page<T> = await api.get<Page<T>>(`${path}${separator}limit=200${after}`, signal);
    yield page;
    cursor = page.nextCursor;
  } while (cursor !== null);
}

/** Every item of a paged list. */
export async function getAll<T>(api: Api, path: string, signal?: AbortSignal): Promise<T[]> {
  const items: T[] = [];
  for await (const page of pages<T>(api, path, signal)) items.push(...page.items);
  return items;
}

/** How many items a list has, counted up to `cap` (`more`: there are more than `count`). */
export async function countUpTo(
  api: Api,
  path: string,
  cap: number,
  signal?: AbortSignal,
): Promise<{ count: number; more: boolean }> {
  let count = 0;
  for await (const page of pages<unknown>(api, path, signal)) {
    count += page.items.length;
    if (page.nextCursor !== null && count >= cap) return { count, more: true };
  }
  return { count, more: false };
}

const KEY_STORAGE = 'syncline.console.apiKey';

export function storedKey(): string | null {
  try {
    return sessionStorage.getItem(KEY_STORAGE);
  } catch {
    return null;
  }
}

export function storeKey(key: string | null): void {
  try {
    if (key === null) sessionStorage.removeItem(KEY_STORAGE);
    else sessionStorage.setItem(KEY_STORAGE, key);
  } catch {
    // Storage refused (private mode): the key lives only as long as the page.
  }
}

/** Who `key` is; an ApiError with status 401 when it is not accepted. */
export function whoAmI(key: string): Promise<Me> {
  return createApi(key).get<Me>('/me');
}
