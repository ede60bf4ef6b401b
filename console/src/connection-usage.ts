/**
 * Every connection with its API use over the last 24 hours (GET /connections/:id/usage), for the
 * overview's budget table and the connections page. A connection that cannot say its usage does
 * not hide the others: its row carries the error instead.
 */
import { getAll, type Api } from './api';
import { describeError } from './components/states';
import type { ApiUsage, Connection } from './types';

export interface ConnectionRow {
  connection: Connection;
  usage: ApiUsage | undefined;
  usageError: string | undefined;
}

export async function loadConnections(api: Api, signal: AbortSignal): Promise<ConnectionRow[]> {
  const connections = await getAll<Connection>(api, '/connections', signal);
  return Promise.all(
    connections.map(async (connection): Promise<ConnectionRow> => {
      try {
        const usage = await api.get<ApiUsage>(
          `/connections/${encodeURIComponent(connection.id)}/usage`,
          signal,
        );
        return { connection, usage, usageError: undefined };
      } catch (error) {
        if (error instanceof DOMException && error.name === 'AbortError') throw error;
        return {
          connection,
          usage: undefined,
          usageError: describeError(error instanceof Error ? error : new Error(String(error))),
        };
      }
    }),
  );
}
