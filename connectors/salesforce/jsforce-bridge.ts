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

export interface JsforceClients {
  connection: Connection;
  oauth2: OAuth2 | undefined;
}

/** A Connection and, where there are client credentials, an OAuth2 client, both on our transports. */
export function createJsforceClients(options: {
  instanceUrl: string;
  loginUrl: string;
  version: string;
  accessToken: string | undefined;
  clientId: string | undefined;
  clientSecret: string | undefined;
  api: HttpClient;
  auth: HttpClient;
}): JsforceClients {
  // No oauth2 on the Connection: jsforce would refresh on its own after a 401, without limit.
  const connection = new Connection({
    instanceUrl: options.instanceUrl,
    version: options.version,
    ...(options.accessToken === undefined ? {} : { accessToken: options.accessToken }),
  });
  connection._transport = new ClientTransport(options.api);
  let oauth2: OAuth2 | undefined;
  if (options.clientId !== undefined) {
    oauth2 = new OAuth2({
      loginUrl: options.loginUrl,
      clientId: options.clientId,
      ...(options.clientSecret === undefined ? {} : { clientSecret: options.clientSecret }),
    });
    oauth2._transport = new ClientTransport(options.auth);
  }
  return { connection, oauth2 };
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
