/**
 * Records by id (batch read) and by key: batch read with `idProperty` for a unique property such as
 * `email`, search with an IN filter for any other property.
 */
import type { ConnectorRecord } from '../sdk/contract';
import { ConnectorError } from '../sdk/errors';
import { HUBSPOT } from './limits';
import { type ReadContext, propertiesFor, toRecord } from './read';
import type { WireFilter, WireSearch } from './sdk-client';

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}

/** Records by id (batch read); missing ids are left out (HubSpot lists them in a 207 error). */
export async function getRecords(
  context: ReadContext,
  object: string,
  ids: readonly string[],
  fields: readonly string[],
  idProperty?: string,
): Promise<ConnectorRecord[]> {
  const schema = await context.schemas.schema(object);
  const found: ConnectorRecord[] = [];
  const seen = new Set<string>();
  for (const batch of chunks([...new Set(ids)], HUBSPOT.maxBatch)) {
    const answer = await context.calls.run(
      { endpoint: `POST /crm/v3/objects/${object}/batch/read`, idempotent: true },
      (sdk) =>
        sdk.batchRead(object, {
          ids: batch,
          properties: propertiesFor(object, fields),
          ...(idProperty === undefined ? {} : { idProperty }),
        }),
    );
    for (const wire of answer.results) {
      if (seen.has(wire.id)) continue;
      seen.add(wire.id);
      found.push(toRecord(object, schema, wire, fields));
    }
  }
  return found;
}

/** Records whose `field` is one of `values`: batch read by a unique property, search IN otherwise. */
export async function lookupRecords(
  context: ReadContext,
  request: { object: string; field: string; values: readonly string[]; fields: readonly string[] },
): Promise<ConnectorRecord[]> {
  const { object, field } = request;
  const values = [...new Set(request.values.filter((value) => value !== ''))];
  if (values.length === 0) return [];
  if (field === 'hs_object_id') return getRecords(context, object, values, request.fields);
  const properties = await context.schemas.list(object);
  const property = properties.find((candidate) => candidate.name === field);
  if (property === undefined)
    throw new ConnectorError('bad_request', `${object} has no property ${field}`);
  if (property.hasUniqueValue) return getRecords(context, object, values, request.fields, field);
  const schema = await context.schemas.schema(object);
  const found = new Map<string, ConnectorRecord>();
  for (const batch of chunks(values, HUBSPOT.maxInValues)) {
    let after: string | undefined;
    do {
      const filters: WireFilter[] = [{ propertyName: field, operator: 'IN', values: batch }];
      const body: WireSearch = {
        filterGroups: [{ filters }],
        sorts: [],
        properties: propertiesFor(object, request.fields),
        limit: HUBSPOT.maxSearchPage,
        ...(after === undefined ? {} : { after }),
      };
      const answer = await context.calls.run(
        { endpoint: `POST /crm/v3/objects/${object}/search`, idempotent: true, family: 'search' },
        (sdk) => sdk.search(object, body),
      );
      for (const wire of answer.results)
        found.set(wire.id, toRecord(object, schema, wire, request.fields));
      after = answer.after;
    } while (after !== undefined);
  }
  return [...found.values()];
}
