/**
 * The one place that touches `@hubspot/api-client` v13: typed wire shapes in, typed wire shapes out.
 * v13's Client has no fetch hook (its codegen `httpApi` is not reachable from `new Client()`), so
 * its own retries stay off (`numberOfApiCallRetries: 0`) and every call is wrapped by our retry and
 * rate limiter (call.ts). The SDK's generated types are looser or stricter than the wire in a few
 * spots; the narrow casts for those live here and nowhere else.
 */
import { SubscriptionRefusal } from './errors';
import { Client } from '@hubspot/api-client';
import type { PublicObjectSearchRequest } from '@hubspot/api-client/lib/codegen/crm/objects';
import { ConnectorError } from '../sdk/errors';

/** A record as the wire has it: every property value a string (or null when unset). */
export interface WireRecord {
  id: string;
  properties: Record<string, string | null>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  archivedAt?: string;
  objectWriteTraceId?: string;
  /** Upsert only: whether the record was created. */
  isNew?: boolean;
}

export interface WireError {
  category: string;
  message: string;
  context: Record<string, string[]>;
  errors: Array<{ message: string; code?: string; context?: Record<string, string[]> }>;
}

export interface WireBatch {
  results: WireRecord[];
  errors: WireError[];
}

export interface WireProperty {
  name: string;
  label: string;
  type: string;
  fieldType: string;
  options: Array<{ label: string; value: string }>;
  hasUniqueValue: boolean;
  readOnlyValue: boolean;
  calculated: boolean;
}

export interface WireFilter {
  propertyName: string;
  operator: 'EQ' | 'NEQ' | 'LT' | 'LTE' | 'GT' | 'GTE' | 'IN' | 'NOT_IN' | 'HAS_PROPERTY';
  value?: string;
  values?: string[];
}

export interface WireSearch {
  filterGroups: Array<{ filters: WireFilter[] }>;
  sorts: Array<{ propertyName: string; direction: 'ASCENDING' | 'DESCENDING' }>;
  properties: string[];
  limit: number;
  after?: string;
}

export interface WireInput {
  id?: string;
  idProperty?: string;
  objectWriteTraceId: string;
  properties: Record<string, string>;
}

/** The answer and the response headers (for the vendor's budget headers). */
export interface Answer<T> {
  body: T;
  headers: Record<string, string>;
}

export interface WireList {
  listId: string;
  name: string;
  processingType: string;
  objectTypeId: string;
}

export interface HubSpotSdkOptions {
  basePath: string;
  accessToken?: string;
}

function iso(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  return typeof value === 'string' ? value : '';
}

/** The SDK's SimplePublicObject (and its upsert twin) as our WireRecord. */
function wireRecord(raw: {
  id: string;
  properties: Record<string, string | null>;
  createdAt: Date;
  updatedAt: Date;
  archived?: boolean;
  archivedAt?: Date;
  objectWriteTraceId?: string;
  _new?: boolean;
}): WireRecord {
  const record: WireRecord = {
    id: raw.id,
    properties: raw.properties,
    createdAt: iso(raw.createdAt),
    updatedAt: iso(raw.updatedAt),
    archived: raw.archived === true,
  };
  if (raw.archivedAt !== undefined) record.archivedAt = iso(raw.archivedAt);
  if (raw.objectWriteTraceId !== undefined) record.objectWriteTraceId = raw.objectWriteTraceId;
  if (raw._new !== undefined) record.isNew = raw._new;
  return record;
}

function wireErrors(
  errors:
    | Array<{
        category: string;
        message: string;
        context?: Record<string, string[]>;
        errors?: Array<{ message: string; code?: string; context?: Record<string, string[]> }>;
      }>
    | undefined,
): WireError[] {
  return (errors ?? []).map((error) => ({
    category: error.category,
    message: error.message,
    context: error.context ?? {},
    errors: error.errors ?? [],
  }));
}

/**
 * The `results` list of an answer, or a failed call when there is none: a server answering
 * `200 {}` (not HubSpot's API at the connection's baseUrl, or a proxy's page) fails the run or the
 * check with this reason rather than with a TypeError from reading it.
 */
function resultsOf<T>(data: { results?: T[] }, endpoint: string): T[] {
  if (Array.isArray(data.results)) return data.results;
  throw new ConnectorError(
    'bad_request',
    `The answer to ${endpoint} has no results list: the server at the connection's baseUrl does not answer as HubSpot's API does`,
  );
}

export class HubSpotSdk {
  private readonly client: Client;

  constructor(options: HubSpotSdkOptions) {
    this.client = new Client({
      basePath: options.basePath,
      // Our retry policy and rate limiter decide; two retry layers would multiply waits.
      numberOfApiCallRetries: 0,
      ...(options.accessToken === undefined ? {} : { accessToken: options.accessToken }),
    });
  }

  setAccessToken(token: string): void {
    this.client.setAccessToken(token);
  }

  async listPage(
    type: string,
    request: { limit: number; after?: string; properties: string[]; archived: boolean },
  ): Promise<Answer<{ results: WireRecord[]; after?: string }>> {
    const info = await this.client.crm.objects.basicApi.getPageWithHttpInfo(
      type,
      request.limit,
      request.after,
      request.properties,
      undefined,
      undefined,
      request.archived,
    );
    const after = info.data.paging?.next?.after;
    return {
      body: {
        results: resultsOf(info.data, `GET /crm/v3/objects/${type}`).map(wireRecord),
        ...(after === undefined ? {} : { after }),
      },
      headers: info.headers,
    };
  }

  async search(
    type: string,
    request: WireSearch,
  ): Promise<Answer<{ total: number; results: WireRecord[]; after?: string }>> {
    // The generated model types `sorts` as string[]; HubSpot documents sort objects.
    const body = request as unknown as PublicObjectSearchRequest;
    const info = await this.client.crm.objects.searchApi.doSearchWithHttpInfo(type, body);
    const after = info.data.paging?.next?.after;
    return {
      body: {
        total: info.data.total,
        results: resultsOf(info.data, `POST /crm/v3/objects/${type}/search`).map(wireRecord),
        ...(after === undefined ? {} : { after }),
      },
      headers: info.headers,
    };
  }

  async batchRead(
    type: string,
    request: { ids: string[]; idProperty?: string; properties: string[] },
  ): Promise<Answer<WireBatch>> {
    const info = await this.client.crm.objects.batchApi.readWithHttpInfo(type, {
      inputs: request.ids.map((id) => ({ id })),
      properties: request.properties,
      propertiesWithHistory: [],
      ...(request.idProperty === undefined ? {} : { idProperty: request.idProperty }),
    });
    return { body: this.batch(info.data), headers: info.headers };
  }

  async batchCreate(type: string, inputs: WireInput[]): Promise<Answer<WireBatch>> {
    const info = await this.client.crm.objects.batchApi.createWithHttpInfo(type, {
      inputs: inputs.map((input) => ({
        properties: input.properties,
        objectWriteTraceId: input.objectWriteTraceId,
        associations: [],
      })),
    });
    return { body: this.batch(info.data), headers: info.headers };
  }

  async batchUpdate(type: string, inputs: WireInput[]): Promise<Answer<WireBatch>> {
    const info = await this.client.crm.objects.batchApi.updateWithHttpInfo(type, {
      inputs: inputs.map((input) => ({
        id: input.id ?? '',
        properties: input.properties,
        objectWriteTraceId: input.objectWriteTraceId,
      })),
    });
    return { body: this.batch(info.data), headers: info.headers };
  }

  async batchUpsert(type: string, inputs: WireInput[]): Promise<Answer<WireBatch>> {
    const info = await this.client.crm.objects.batchApi.upsertWithHttpInfo(type, {
      inputs: inputs.map((input) => ({
        id: input.id ?? '',
        ...(input.idProperty === undefined ? {} : { idProperty: input.idProperty }),
        properties: input.properties,
        objectWriteTraceId: input.objectWriteTraceId,
      })),
    });
    return { body: this.batch(info.data), headers: info.headers };
  }

  async batchArchive(type: string, ids: string[]): Promise<Answer<undefined>> {
    const info = await this.client.crm.objects.batchApi.archiveWithHttpInfo(type, {
      inputs: ids.map((id) => ({ id })),
    });
    return { body: undefined, headers: info.headers };
  }

  async properties(type: string): Promise<Answer<WireProperty[]>> {
    const info = await this.client.crm.properties.coreApi.getAllWithHttpInfo(type);
    return {
      body: resultsOf(info.data, `GET /crm/v3/properties/${type}`).map((property) => ({
        name: property.name,
        label: property.label,
        type: property.type,
        fieldType: property.fieldType,
        options: property.options.map((option) => ({ label: option.label, value: option.value })),
        hasUniqueValue: property.hasUniqueValue === true,
        readOnlyValue: property.modificationMetadata?.readOnlyValue === true,
        calculated: property.calculated === true,
      })),
      headers: info.headers,
    };
  }

  /** Lists v3 search: a page of the portal's lists (all of them with an empty query). */
  async searchLists(
    offset: number,
    count: number,
  ): Promise<Answer<{ lists: WireList[]; offset: number; hasMore: boolean }>> {
    const info = await this.client.crm.lists.listsApi.doSearchWithHttpInfo({
      query: '',
      offset,
      count,
      additionalProperties: [],
    });
    return {
      body: {
        lists: info.data.lists.map((list) => ({
          listId: list.listId,
          name: list.name,
          processingType: list.processingType,
          objectTypeId: list.objectTypeId,
        })),
        offset: info.data.offset,
        hasMore: info.data.hasMore,
      },
      headers: info.headers,
    };
  }

  /** Adds and removes records of a MANUAL or SNAPSHOT list, by record id. */
  async changeListMembers(
    listId: string,
    add: string[],
    remove: string[],
  ): Promise<Answer<{ added: string[]; removed: string[]; missing: string[] }>> {
    const info = await this.client.crm.lists.membershipsApi.addAndRemoveWithHttpInfo(listId, {
      recordIdsToAdd: add,
      recordIdsToRemove: remove,
    });
    return {
      body: {
        added: info.data.recordsIdsAdded,
        removed: info.data.recordIdsRemoved,
        missing: info.data.recordIdsMissing,
      },
      headers: info.headers,
    };
  }

  /** A page of a list's members (record ids, in id order). */
  async listMembers(
    listId: string,
    limit: number,
    after?: string,
  ): Promise<Answer<{ ids: string[]; after?: string }>> {
    const info = await this.client.crm.lists.membershipsApi.getPageWithHttpInfo(
      listId,
      after,
      undefined,
      limit,
    );
    const next = info.data.paging?.next?.after;
    return {
      body: {
        ids: info.data.results.map((member) => member.recordId),
        ...(next === undefined ? {} : { after: next }),
      },
      headers: info.headers,
    };
  }

  /**
   * Communication Preferences v4 batch write (not in this SDK's generated APIs: its generic
   * request, with the same base path and token). A refusal throws with HubSpot's status and body.
   */
  async writeSubscriptionStatuses(
    inputs: readonly Record<string, unknown>[],
  ): Promise<Answer<{ status: string; subscriptionId: number; subscriberIdString: string }[]>> {
    const response = await this.client.apiRequest({
      method: 'POST',
      path: '/communication-preferences/v4/statuses/batch/write',
      body: { inputs },
    });
    const text = await response.text();
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name] = value;
    });
    if (!response.ok) throw new SubscriptionRefusal(response.status, text, headers);
    const body = JSON.parse(text) as {
      results?: { status: string; subscriptionId: number; subscriberIdString: string }[];
    };
    return { body: body.results ?? [], headers };
  }

  /** The refresh_token grant (form-encoded POST to /oauth/v1/token). */
  async refreshAccessToken(app: {
    clientId: string;
    clientSecret: string;
    refreshToken: string;
  }): Promise<{ accessToken: string; expiresIn: number }> {
    const token = await this.client.oauth.tokensApi.create(
      'refresh_token',
      undefined,
      undefined,
      app.clientId,
      app.clientSecret,
      app.refreshToken,
    );
    return { accessToken: token.accessToken, expiresIn: token.expiresIn };
  }

  private batch(data: {
    results: Parameters<typeof wireRecord>[0][];
    errors?: Parameters<typeof wireErrors>[0];
  }): WireBatch {
    return {
      results: resultsOf(data, 'a batch call').map(wireRecord),
      errors: wireErrors(data.errors),
    };
  }
}
