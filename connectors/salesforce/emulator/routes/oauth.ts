/**
 * `POST /services/oauth2/token` (refresh_token, client_credentials and authorization_code grants,
 * the last after the consent page at `/services/oauth2/authorize`) and the sessions it issues. Answers follow Salesforce's OAuth docs: `{access_token, instance_url, id, token_type,
 * issued_at, signature}`; a bad grant is `400 {error, error_description}`.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Clock } from '../../../sdk/contract';
import { type ConsentAnswer, OAuthConsent } from '../../../sdk/testing/oauth-consent';
import { type EmulatorAnswer, json } from '../http';

/** Where the consent page's Allow and Deny go (the emulator's own; Salesforce's is internal). */
export const DECISION_PATH = '/services/oauth2/authorize/decision';

export interface OAuthSettings {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  /** Sessions expire this long after issue (Salesforce's default session timeout is 2 hours). */
  sessionTtlMs: number;
}

export class Sessions {
  private readonly tokens = new Map<string, number>();
  private sequence = 0;
  /** Successful token grants, per grant type. */
  readonly grants = { refresh_token: 0, client_credentials: 0, authorization_code: 0 };
  /** The connected app's consent page and the codes it hands out. */
  readonly consent: OAuthConsent;

  constructor(
    private readonly clock: Clock,
    private readonly settings: OAuthSettings,
  ) {
    this.consent = new OAuthConsent(
      'Salesforce',
      clock,
      (clientId) => clientId === settings.clientId,
    );
  }

  /** The authorize page (`…/authorize`) or its answer (`DECISION_PATH`), as an emulator answer. */
  authorize(path: string, query: URLSearchParams): EmulatorAnswer {
    const prefix = path.startsWith('/login/') ? '/login' : '';
    const answer: ConsentAnswer =
      path === `${prefix}${DECISION_PATH}`
        ? this.consent.decide(query)
        : this.consent.authorize(query, `${prefix}${DECISION_PATH}`);
    return answer.kind === 'redirect'
      ? { status: 302, text: '', headers: { Location: answer.location } }
      : { status: answer.status, text: answer.html, contentType: 'text/html; charset=utf-8' };
  }

  issue(): string {
    const token = `00DDn0000000001!${String(++this.sequence).padStart(4, '0')}${randomBytes(12).toString('hex')}`;
    this.tokens.set(token, this.clock.now().getTime() + this.settings.sessionTtlMs);
    return token;
  }

  valid(token: string): boolean {
    const expiresAt = this.tokens.get(token);
    return expiresAt !== undefined && expiresAt > this.clock.now().getTime();
  }

  /** Every session ends now (an admin revoked them, or they timed out). */
  expireAll(): void {
    this.tokens.clear();
  }

  /**
   * `host`: the org's My Domain, or a generic login host, where Salesforce serves the
   * client-credentials grant not at all ("request not supported on this domain").
   */
  token(
    form: URLSearchParams,
    instanceUrl: string,
    host: 'my_domain' | 'login' = 'my_domain',
  ): EmulatorAnswer {
    const grant = form.get('grant_type');
    const invalidClient = json(400, {
      error: 'invalid_client',
      error_description: 'invalid client credentials',
    });
    if (form.get('client_id') !== this.settings.clientId) {
      return json(400, {
        error: 'invalid_client_id',
        error_description: 'client identifier invalid',
      });
    }
    switch (grant ?? '') {
      case 'refresh_token':
        if (form.has('client_secret') && form.get('client_secret') !== this.settings.clientSecret)
          return invalidClient;
        if (form.get('refresh_token') !== this.settings.refreshToken) {
          return json(400, {
            error: 'invalid_grant',
            error_description: 'expired access/refresh token',
          });
        }
        this.grants.refresh_token++;
        break;
      case 'authorization_code': {
        if (form.get('client_secret') !== this.settings.clientSecret) return invalidClient;
        const redeemed = this.consent.redeem(
          form.get('code') ?? '',
          this.settings.clientId,
          form.get('redirect_uri') ?? '',
        );
        if (!redeemed.ok)
          return json(400, {
            error:
              redeemed.problem === 'redirect_mismatch' ? 'redirect_uri_mismatch' : 'invalid_grant',
            error_description:
              redeemed.problem === 'redirect_mismatch'
                ? 'redirect_uri must match configuration'
                : 'authentication failure',
          });
        this.grants.authorization_code++;
        break;
      }
      case 'client_credentials':
        if (host === 'login')
          return json(400, {
            error: 'invalid_grant',
            error_description: 'request not supported on this domain',
          });
        if (form.get('client_secret') !== this.settings.clientSecret) return invalidClient;
        this.grants.client_credentials++;
        break;
      default:
        return json(400, {
          error: 'unsupported_grant_type',
          error_description: 'grant type not supported',
        });
    }
    const accessToken = this.issue();
    const issuedAt = String(this.clock.now().getTime());
    const id = `${instanceUrl}/id/00DDn0000000001AAA/005Dn0000000001AAA`;
    return json(200, {
      access_token: accessToken,
      ...(grant === 'authorization_code' ? { refresh_token: this.settings.refreshToken } : {}),
      signature: createHmac('sha256', this.settings.clientSecret)
        .update(id + issuedAt)
        .digest('base64'),
      scope: 'api refresh_token',
      instance_url: instanceUrl,
      id,
      token_type: 'Bearer',
      issued_at: issuedAt,
    });
  }
}
