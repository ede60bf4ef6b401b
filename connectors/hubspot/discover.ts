/**
 * discover(): HubSpot's properties as our field descriptors, and the per-object schema (field
 * types by name) that reads and writes convert values with, fetched once per connector.
 */
import { createFactCache, type FactCache } from '../sdk/facts';
import type { FieldDescriptor, ObjectDescriptor } from '../sdk/contract';
import type { HubSpotCalls } from './calls';
import type { WireProperty } from './sdk-client';
import { type Schema, fieldTypeOf } from './values';

/**
 * Whether a contact property is an email subscription's opt-out (`hs_email_optout_<id>`), read
 * only in the CRM API and written through the subscription statuses (subscriptions.ts).
 */
export function isSubscriptionField(object: string, name: string): boolean {
  return object === 'contacts' && /^hs_email_optout_\d+$/.test(name);
}

/**
 * A contact's email opt-outs, true when opted out: `hs_email_optout` ("Unsubscribed from all
 * email") and each subscription's `hs_email_optout_<id>`.
 */
export function optOutValuesOf(object: string, name: string): readonly boolean[] | undefined {
  return object === 'contacts' && (name === 'hs_email_optout' || isSubscriptionField(object, name))
    ? [true]
    : undefined;
}

/** The CRM objects this connector syncs. */
export const HUBSPOT_OBJECTS = ['contacts', 'companies', 'deals'] as const;

const LABELS: Record<string, string> = {
  contacts: 'Contacts',
  companies: 'Companies',
  deals: 'Deals',
};

/** The property each object stamps on every write: the cursor of incremental reads. */
export function lastModifiedOf(object: string): string {
  return object === 'contacts' ? 'lastmodifieddate' : 'hs_lastmodifieddate';
}

function descriptor(property: WireProperty): FieldDescriptor {
  const type = fieldTypeOf(property);
  const field: FieldDescriptor = {
    name: property.name,
    label: property.label,
    type,
    // HubSpot requires no property on create through the API (email is only a de-duplication key).
    required: false,
    // A subscription's opt-out is read only in the CRM API; the connector writes it through the
    // subscription statuses (subscriptions.ts).
    readOnly:
      (property.readOnlyValue || property.calculated) &&
      !isSubscriptionField('contacts', property.name),
    unique: property.hasUniqueValue,
    // Batch upsert takes `idProperty` for unique properties; hs_object_id is the record id itself.
    externalId: property.hasUniqueValue && property.name !== 'hs_object_id',
  };
  if (type === 'enum' || type === 'multi_enum')
    field.options = property.options.map((option) => ({
      value: option.value,
      label: option.label,
    }));
  return field;
}

export class SchemaCache {
  constructor(
    private readonly calls: HubSpotCalls,
    private readonly facts: FactCache = createFactCache(),
  ) {}

  list(object: string): Promise<WireProperty[]> {
    return this.facts.remember(`properties:${object}`, () =>
      this.calls.run({ endpoint: `GET /crm/v3/properties/${object}`, idempotent: true }, (sdk) =>
        sdk.properties(object),
      ),
    );
  }

  async schema(object: string): Promise<Schema> {
    const properties = await this.list(object);
    return new Map(properties.map((property) => [property.name, fieldTypeOf(property)]));
  }

  async describe(object: string): Promise<ObjectDescriptor> {
    const properties = await this.list(object);
    return {
      name: object,
      label: LABELS[object] ?? object,
      fields: properties.map(descriptor),
      deletes: true,
      writeModes: ['create', 'update', 'upsert', 'delete'],
    };
  }
}

/** Can the token read the CRM? One contact, one property: any app with CRM scopes may. */
export async function checkAccess(calls: HubSpotCalls): Promise<object> {
  await calls.run({ endpoint: 'GET /crm/v3/objects/contacts', idempotent: true }, (client) =>
    client.listPage('contacts', { limit: 1, properties: ['hs_object_id'], archived: false }),
  );
  return {};
}
