/**
 * The console's only way to Syncline: the public REST API under /api/v1, with the API key given
 * at sign-in as a bearer token.
 */
import type { ApiErrorBody, Me, Page } from './types';

export const API_BASE = '/api/v1';

/** An answer other than 2xx, or no answer at all (status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ApiErrorBody['error']['details'] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The problem named for `path` in the error's details, if any. */
  detail(path: string): string | undefined {
    return this.details.find((d) => d.path === path)?.problem;
  }
}

function isErrorBody(body: unknown): body is ApiErrorBody {
  if (typeof body !== 'object' || body === null || !('error' in body)) return false;
  const error = body.error;
  return typeof error === 'object' && error !== null && 'code' in error && 'message' in error;
}

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
    const headers: Record<string, string> = {
      authorization: `Bearer ${key}`,
      accept: 'application/json',
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(`${API_BASE}${path}`, {
        method,
        headers,
        body: body === undefined ? null : JSON.stringify(body),
        signal: signal ?? null,
        cache: 'no-store',
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') throw error;
      throw new ApiError(0, 'network', 'Syncline did not answer. Check that it is running.');
    }
    const text = await res.text();
    let parsed: unknown = undefined;
    if (text !== '') {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
    }
    if (!res.ok) {
      const error = isErrorBody(parsed)
        ? new ApiError(
            res.status,
            parsed.error.code,
            parsed.error.message,
            Array.isArray(parsed.error.details) ? parsed.error.details : [],
          )
        : new ApiError(res.status, `http_${res.status}`, `Syncline answered ${res.status}.`);
      if (res.status === 401) options.onUnauthorized?.(error);
      throw error;
    }
    return parsed as T;
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
