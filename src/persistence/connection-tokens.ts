/**
 * The access tokens granted per connection (connection_tokens), sealed with the secrets' key: the
 * TokenCache a connector's token session shares with every other connector of the connection, in
 * this process and in every replica on the database.
 */
import type { DataSource } from 'typeorm';
import type { CachedToken, TokenCache } from '../../connectors/sdk/tokens';
import type { SecretBox } from '../secrets/secret-box';

interface TokenRow {
  token: Buffer;
  expires_at: Date | null;
}

export class ConnectionTokens {
  constructor(
    private readonly dataSource: DataSource,
    private readonly box: SecretBox,
  ) {}

  /** The connection's cache, for its connectors' context. */
  cacheFor(connectionId: string): TokenCache {
    return {
      get: () => this.get(connectionId),
      put: (token) => this.put(connectionId, token),
    };
  }

  private async get(connectionId: string): Promise<CachedToken | undefined> {
    const rows: TokenRow[] = await this.dataSource.query(
      `SELECT "token", "expires_at" FROM "connection_tokens" WHERE "connection_id" = $1`,
      [connectionId],
    );
    const row = rows.at(0);
    if (row === undefined) return undefined;
    const token = this.box.open(row.token)['accessToken'] as string | undefined;
    if (token === undefined) return undefined;
    return { token, expiresAt: row.expires_at === null ? null : row.expires_at.toISOString() };
  }

  private async put(connectionId: string, { token, expiresAt }: CachedToken): Promise<void> {
    // A connection deleted meanwhile has nothing to keep: the insert selects no row.
    await this.dataSource.query(
      `INSERT INTO "connection_tokens" ("connection_id", "token", "expires_at", "granted_at")
       SELECT $1, $2, $3, now() WHERE EXISTS (SELECT 1 FROM "connections" WHERE "id" = $1)
       ON CONFLICT ("connection_id") DO UPDATE
         SET "token" = EXCLUDED."token", "expires_at" = EXCLUDED."expires_at",
             "granted_at" = EXCLUDED."granted_at"`,
      [connectionId, this.box.seal({ accessToken: token }), expiresAt],
    );
  }

  /** Forgets the connection's token: its credentials or URLs changed. */
  async forget(connectionId: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM "connection_tokens" WHERE "connection_id" = $1`, [
      connectionId,
    ]);
  }
}
