/**
 * Marketo's Identity service ("Authentication"): a custom service's client id and secret buy an
 * access token of one hour by the client-credentials grant; asked again before it expires, the
 * service returns the same token with its remaining life. REST calls carry it as a bearer token
 * (the `access_token` query parameter stopped working on 31 August 2026).
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../sdk/contract';

export const TOKEN_LIFE_SECONDS = 3600;

export interface CustomService {
  clientId: string;
  clientSecret: string;
  /** The API-only user the service belongs to (the token's `scope`). */
  user?: string;
}

interface IssuedToken {
  token: string;
  clientId: string;
  expiresAt: number;
}

export type TokenAnswer =
  | {
      status: 200;
      body: { access_token: string; token_type: 'bearer'; expires_in: number; scope: string };
    }
  | { status: 400 | 401; body: { error: string; error_description: string } };

export class MarketoIdentity {
  private readonly services = new Map<string, CustomService>();
  private readonly tokens = new Map<string, IssuedToken>();
  private readonly current = new Map<string, IssuedToken>();
  /** Tokens granted (a token returned again does not count). */
  grants = 0;

  constructor(private readonly clock: Clock) {}

  addService(service: CustomService): void {
    this.services.set(service.clientId, service);
  }

  /** `GET|POST /identity/oauth/token`, its parameters from the query or a form body. */
  token(params: URLSearchParams): TokenAnswer {
    if (params.get('grant_type') !== 'client_credentials')
      return {
        status: 400,
        body: { error: 'invalid_request', error_description: 'Missing or unsupported grant_type' },
      };
    const service = this.services.get(params.get('client_id') ?? '');
    if (service === undefined || service.clientSecret !== params.get('client_secret'))
      return {
        status: 401,
        body: { error: 'unauthorized', error_description: 'Bad client credentials' },
      };
    const now = this.clock.now().getTime();
    let issued = this.current.get(service.clientId);
    if (issued === undefined || issued.expiresAt <= now) {
      issued = {
        token: `${randomUUID()}:emu`,
        clientId: service.clientId,
        expiresAt: now + TOKEN_LIFE_SECONDS * 1000,
      };
      this.tokens.set(issued.token, issued);
      this.current.set(service.clientId, issued);
      this.grants++;
    }
    return {
      status: 200,
      body: {
        access_token: issued.token,
        token_type: 'bearer',
        expires_in: Math.max(0, Math.floor((issued.expiresAt - now) / 1000)),
        scope: service.user ?? 'apis@emulator.example.com',
      },
    };
  }

  /** The bearer token of a REST call: valid, or why not (601 invalid, 602 expired). */
  check(authorization: string | undefined): 'ok' | 'invalid' | 'expired' {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    const issued = match?.[1] === undefined ? undefined : this.tokens.get(match[1]);
    if (issued === undefined) return 'invalid';
    return issued.expiresAt <= this.clock.now().getTime() ? 'expired' : 'ok';
  }

  /** Every token issued so far expires now (a fault). */
  expireAll(): void {
    const now = this.clock.now().getTime();
    for (const issued of this.tokens.values()) issued.expiresAt = Math.min(issued.expiresAt, now);
  }
}
