/**
 * The one place that touches jsforce's internals: a Transport that sends jsforce's HTTP through the
 * SDK's HttpClient (auth header, retry with Retry-After, rate limiter, call counts), installed on a
 * Connection and on an OAuth2 client. jsforce's own transport retries on real timers and knows
 * nothing of our clock, limiter or error codes, so it is replaced rather than wrapped.
 */
import { PassThrough } from 'node:stream';
import { Connection, OAuth2 } from 'jsforce';
import { Transport } from 'jsforce/lib/transport';
import type {
  HttpRequest as JsforceRequest,
  HttpResponse as JsforceResponse,
} from 'jsforce/lib/types';
import { StreamPromise } from 'jsforce/lib/util/promise';
import type { HttpClient, HttpMethod } from '../sdk/http';
import { ConnectorError } from '../sdk/errors';

const METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'];

function methodOf(method: string): HttpMethod {
  const found = METHODS.find((candidate) => candidate === method);
  if (found === undefined)
    throw new ConnectorError('bad_request', `unsupported HTTP method ${method}`);
  return found;
}

export class ClientTransport extends Transport {
  constructor(private readonly client: HttpClient) {
    super();
  }

  override httpRequest(request: JsforceRequest): StreamPromise<JsforceResponse> {
    const stream = new PassThrough();
    const promise = this.send(request).then((response) => {
      stream.end(response.body);
      return response;
    });
    return StreamPromise.create(() => ({ stream, promise }));
  }

  private async send(request: JsforceRequest): Promise<JsforceResponse> {
    if (request.body !== undefined && request.body !== null && typeof request.body !== 'string') {
      throw new ConnectorError('bad_request', 'the Salesforce connector sends string bodies only');
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers ?? {})) {
      // fetch computes the length itself; our client sets the current token.
      if (!['content-length', 'authorization'].includes(name.toLowerCase())) headers[name] = value;
    }
    const response = await this.client.request({
      method: methodOf(request.method),
      path: request.url,
      headers,
      ...(request.body === undefined || request.body === null ? {} : { body: request.body }),
    });
    const responseHeaders: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      responseHeaders[name.toLowerCase()] = value;
    });
    const body =
      typeof response.body === 'string'
        ? response.body
        : response.body === undefined
          ? ''
          : JSON.stringify(response.body);
    return { statusCode: response.status, headers: responseHeaders, body };
  }
}

/** A Connection on our transport. No oauth2 on it: jsforce would refresh on its own after a 401, without limit. */
export function jsforceConnection(
  instanceUrl: string,
  version: string,
  api: HttpClient,
): Connection {
  const connection = new Connection({ instanceUrl, version });
  connection._transport = new ClientTransport(api);
  return connection;
}

interface TokenAnswer {
  access_token?: unknown;
}

/**
 * How a new access token is granted through jsforce's OAuth2 client against the login URL's token
 * endpoint: the refresh_token grant, or client_credentials where no refresh token is given;
 * undefined when there is no client to ask.
 */
export function tokenGrant(
  loginUrl: string,
  credentials: { clientId?: string; clientSecret?: string; refreshToken?: string },
  auth: HttpClient,
): (() => Promise<string>) | undefined {
  const { clientId, clientSecret, refreshToken } = credentials;
  if (clientId === undefined || (refreshToken === undefined && clientSecret === undefined))
    return undefined;
  const oauth2 = new OAuth2({
    loginUrl,
    clientId,
    ...(clientSecret === undefined ? {} : { clientSecret }),
  });
  oauth2._transport = new ClientTransport(auth);
  return async () => {
    const answer: TokenAnswer =
      refreshToken !== undefined
        ? await oauth2.refreshToken(refreshToken)
        : await oauth2.requestToken({ grant_type: 'client_credentials' });
    if (typeof answer.access_token !== 'string')
      throw new ConnectorError(
        'auth_invalid',
        'the token endpoint answered without an access_token',
      );
    return answer.access_token;
  };
}

/** `conn.request` with a typed answer; the caller checks the shape it reads. */
export async function jsforceRequest(
  connection: Connection,
  request: { method: HttpMethod; url: string; body?: string; headers?: Record<string, string> },
  options: { responseType?: string } = {},
): Promise<unknown> {
  const answer: unknown = await connection.request(
    {
      method: request.method,
      url: request.url,
      ...(request.body === undefined ? {} : { body: request.body }),
      headers: { ...request.headers },
    },
    options,
  );
  return answer;
}
