/**
 * A small client of Syncline's REST API (`/api/v1`, `Authorization: Bearer <key>`), for the CLI
 * and for applying a config folder, over the console's own request (api-client/request.ts).
 */
import { callApi } from '../../api-client/request';

export { ApiError, type ApiErrorDetail } from '../../api-client/request';

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

  request<T>(method: string, path: string, body?: unknown): Promise<T> {
    return callApi<T>({
      method,
      url: `${this.baseUrl}${path}`,
      key: this.apiKey,
      body,
      signal: AbortSignal.timeout(TIMEOUT_MS),
      unreachable: (error) => {
        const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
        const reason = cause instanceof Error ? cause.message : String(cause);
        return new ConnectionError(`cannot reach Syncline at ${this.baseUrl}: ${reason}`);
      },
    });
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
