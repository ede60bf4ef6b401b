/** describe → the contract's ObjectDescriptor; the type mapping Syncline validates mappings against. */
import { createFactCache, type FactCache } from '../sdk/facts';
import type { Connection } from 'jsforce';
import type { CheckResult, FieldDescriptor, FieldType, ObjectDescriptor } from '../sdk/contract';
import { ConnectorError } from '../sdk/errors';
import { jsforceRequest } from './jsforce-bridge';

/** The objects Syncline syncs with Salesforce. */
/**
 * The email opt-out checkboxes, true when opted out ("Email Opt Out" of leads and contacts, and of
 * person accounts).
 */
export function optOutValuesOf(object: string, name: string): readonly boolean[] | undefined {
  const optOut =
    ((object === 'Contact' || object === 'Lead') && name === 'HasOptedOutOfEmail') ||
    (object === 'Account' && name === 'PersonHasOptedOutOfEmail');
  return optOut ? [true] : undefined;
}

export const SYNCED_OBJECTS = [
  'Contact',
  'Lead',
  'Account',
  'Opportunity',
  'Campaign',
  'CampaignMember',
] as const;

export function fieldTypeOf(salesforceType: string): FieldType {
  switch (salesforceType) {
    case 'id':
      return 'id';
    case 'string':
    case 'combobox':
    case 'encryptedstring':
      return 'string';
    case 'textarea':
      return 'text';
    case 'email':
      return 'email';
    case 'phone':
      return 'phone';
    case 'url':
      return 'url';
    case 'picklist':
      return 'enum';
    case 'multipicklist':
      return 'multi_enum';
    case 'boolean':
      return 'boolean';
    case 'double':
    case 'currency':
    case 'percent':
      return 'number';
    case 'int':
    case 'long':
      return 'integer';
    case 'date':
      return 'date';
    case 'datetime':
      return 'datetime';
    case 'reference':
      return 'reference';
    default:
      return 'json';
  }
}

interface DescribedField {
  name: string;
  label: string;
  type: string;
  createable: boolean;
  updateable: boolean;
  nillable: boolean;
  defaultedOnCreate?: boolean;
  unique: boolean;
  externalId: boolean;
  picklistValues?: { value: string; label: string; active: boolean }[];
  referenceTo?: string[];
}

interface Described {
  name: string;
  label: string;
  fields: DescribedField[];
}

function isDescribed(value: unknown): value is Described {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as { fields?: unknown }).fields)
  );
}

export function toFieldDescriptor(field: DescribedField): FieldDescriptor {
  const type = fieldTypeOf(field.type);
  const descriptor: FieldDescriptor = {
    name: field.name,
    label: field.label,
    type,
    required:
      field.createable &&
      !field.nillable &&
      field.defaultedOnCreate !== true &&
      field.type !== 'boolean',
    readOnly: !field.createable && !field.updateable,
    unique: field.unique || field.type === 'id',
    externalId: field.externalId,
  };
  if (type === 'enum' || type === 'multi_enum') {
    descriptor.options = (field.picklistValues ?? [])
      .filter((option) => option.active)
      .map((option) => ({ value: option.value, label: option.label }));
  }
  const referenceTo = field.referenceTo?.[0];
  if (type === 'reference' && referenceTo !== undefined) descriptor.referenceTo = referenceTo;
  return descriptor;
}

/** The fields of one object, described once per connector (describe answers rarely change). */
export class DescribeCache {
  constructor(
    private readonly connection: Connection,
    private readonly facts: FactCache = createFactCache(),
  ) {}

  fields(object: string): Promise<FieldDescriptor[]> {
    return this.facts.remember(`describe:${object}`, () =>
      this.connection.describe(object).then((answer: unknown) => {
        if (!isDescribed(answer))
          throw new ConnectorError('unknown', `describe of ${object} had no fields`);
        return answer.fields.map(toFieldDescriptor);
      }),
    );
  }

  async describe(object: string): Promise<ObjectDescriptor> {
    const fields = await this.fields(object);
    return {
      name: object,
      label: object,
      fields,
      deletes: true,
      writeModes: ['create', 'update', 'upsert', 'delete'],
    };
  }
}

/**
 * Can we reach the org's REST API? The list of REST resources: any API user may read it (the
 * limits resource needs View Setup), and only Salesforce answers it with an sobjects resource.
 */
export async function checkApi(
  connection: Connection,
  version: string,
  instanceUrl: string,
): Promise<CheckResult | { account: string }> {
  const url = `/services/data/v${version}/`;
  const resources = await jsforceRequest(connection, { method: 'GET', url });
  if (
    typeof resources === 'object' &&
    resources !== null &&
    typeof (resources as { sobjects?: unknown }).sobjects === 'string'
  )
    return { account: instanceUrl };
  return {
    ok: false,
    code: 'bad_request',
    reason: `The answer to GET ${url} lists no sobjects resource: the server at ${instanceUrl} does not answer as Salesforce's REST API does`,
  };
}
