/**
 * A small client of Syncline's REST API (`/api/v1`, `Authorization: Bearer <key>`), for the CLI
 * and for applying a config folder. Errors carry the API's `{ code, message, details }`.
 */

export interface ApiErrorDetail {
  path: string;
  problem: string;
}

/** The server answered with an error status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ApiErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The server could not be reached at all (refused, DNS, timeout). */
export class ConnectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConnectionError';
  }
}

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface ConnectionSummary {
  id: string;
  name: string;
  kind: string;
}

export interface ObjectSummary {
  name: string;
  label: string;
  deletes: boolean;
  writeModes: string[];
}

const TIMEOUT_MS = 60_000;

export class SynclineClient {
  readonly baseUrl: string;

  constructor(
    url: string,
    private readonly apiKey: string | undefined,
  ) {
    this.baseUrl = url.replace(/\/+$/, '');
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.apiKey !== undefined && this.apiKey !== '')
      headers['authorization'] = `Bearer ${this.apiKey}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw new ConnectionError(`cannot reach Syncline at ${this.baseUrl}: ${reason}`);
    }
    const text = await response.text();
    let parsed: unknown = undefined;
    if (text !== '') {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
    }
    if (!response.ok) {
      const error = (
        parsed as { error?: { code?: string; message?: string; details?: [] } } | undefined
      )?.error;
      throw new ApiError(
        response.status,
        error?.code ?? `http_${String(response.status)}`,
        error?.message ?? (text.slice(0, 200) || response.statusText),
        error?.details ?? [],
      );
    }
    return parsed as T;
  }

  /** Every item of a paged list (`limit` / `nextCursor`). */
  async all<T>(path: string, query: Record<string, string> = {}): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | null = null;
    do {
      const params = new URLSearchParams({ ...query, limit: '200' });
      if (cursor !== null) params.set('cursor', cursor);
      const page: Page<T> = await this.request<Page<T>>('GET', `${path}?${params.toString()}`);
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor !== null);
    return items;
  }

  connections(): Promise<ConnectionSummary[]> {
    return this.all<ConnectionSummary>('/api/v1/connections');
  }

  async objects(connectionId: string): Promise<ObjectSummary[]> {
    const list = await this.request<{ items: ObjectSummary[] }>(
      'GET',
      `/api/v1/connections/${encodeURIComponent(connectionId)}/objects`,
    );
    return list.items;
  }

  async fields<F>(connectionId: string, object: string): Promise<F[]> {
    const list = await this.request<{ items: F[] }>(
      'GET',
      `/api/v1/connections/${encodeURIComponent(connectionId)}/objects/${encodeURIComponent(object)}/fields`,
    );
    return list.items;
  }
}
