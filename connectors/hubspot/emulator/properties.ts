/**
 * The emulated portal's property definitions for contacts, companies and deals, shaped like
 * `GET /crm/v3/properties/{objectType}` answers them, and the validation HubSpot applies to a
 * written value (https://developers.hubspot.com/docs/api/crm/properties).
 */

/** An email subscription type of the portal (Communication Preferences, subscriptions.ts). */
export interface SubscriptionDefinition {
  id: number;
  name: string;
  description: string;
}

/** The portal's email subscription types: HubSpot creates these two in every portal. */
export const DEFAULT_SUBSCRIPTIONS: readonly SubscriptionDefinition[] = [
  { id: 1001, name: 'Marketing Information', description: 'Marketing offers and updates.' },
  { id: 1002, name: 'One to One', description: 'One to one emails.' },
];

/** The read-only contact property that follows a subscription's status (true: opted out). */
export const optOutProperty = (subscriptionId: number): string =>
  `hs_email_optout_${String(subscriptionId)}`;

export type ObjectType = 'contacts' | 'companies' | 'deals';

export const OBJECT_TYPES: readonly ObjectType[] = ['contacts', 'companies', 'deals'];

/**
 * Object type ids, accepted wherever a name is
 * (https://developers.hubspot.com/docs/platform/crm-development-tools-overview, "Object type IDs":
 * `POST crm/v3/objects/0-1` creates contacts).
 */
const OBJECT_TYPE_IDS: Readonly<Record<string, ObjectType>> = {
  '0-1': 'contacts',
  '0-2': 'companies',
  '0-3': 'deals',
};

/** The object type a path names, by name or by type id. */
export function objectTypeOf(value: string): ObjectType | undefined {
  if (isObjectType(value)) return value;
  return OBJECT_TYPE_IDS[value];
}

export function isObjectType(value: string): value is ObjectType {
  return (OBJECT_TYPES as readonly string[]).includes(value);
}

/** HubSpot's property `type` (the stored data type). */
export type PropertyType = 'string' | 'number' | 'date' | 'datetime' | 'enumeration' | 'bool';

/** HubSpot's `fieldType` (how the property is edited in the UI). */
export type PropertyFieldType =
  | 'text'
  | 'textarea'
  | 'phonenumber'
  | 'number'
  | 'date'
  | 'select'
  | 'radio'
  | 'checkbox'
  | 'booleancheckbox'
  | 'calculation_equation';

export interface PropertyOption {
  label: string;
  value: string;
  displayOrder: number;
  hidden: boolean;
}

export interface PropertyDefinition {
  name: string;
  label: string;
  type: PropertyType;
  fieldType: PropertyFieldType;
  groupName: string;
  description: string;
  options: PropertyOption[];
  hasUniqueValue: boolean;
  /** Written by HubSpot only (modificationMetadata.readOnlyValue). */
  readOnly: boolean;
  /** HubSpot validates the format of `email`. */
  email?: boolean;
  /** Created through the API (not HubSpot's own). */
  custom?: boolean;
}

function options(values: readonly string[]): PropertyOption[] {
  return values.map((value, index) => ({
    label: value
      .replace(/(^|_)(\w)/g, (_m, _sep: string, letter: string) => ` ${letter.toUpperCase()}`)
      .trim(),
    value,
    displayOrder: index,
    hidden: false,
  }));
}

function property(
  name: string,
  type: PropertyType,
  fieldType: PropertyFieldType,
  extra: Partial<PropertyDefinition> = {},
): PropertyDefinition {
  return {
    name,
    label: name,
    type,
    fieldType,
    groupName: 'information',
    description: '',
    options: [],
    hasUniqueValue: false,
    readOnly: false,
    ...extra,
  };
}

const systemProperties = (lastModified: string): PropertyDefinition[] => [
  property('hs_object_id', 'number', 'number', {
    label: 'Record ID',
    readOnly: true,
    hasUniqueValue: true,
  }),
  property('createdate', 'datetime', 'date', { label: 'Create Date', readOnly: true }),
  property(lastModified, 'datetime', 'date', { label: 'Last Modified Date', readOnly: true }),
  // The ids of the records merged into this one, `;`-separated.
  property('hs_merged_object_ids', 'enumeration', 'checkbox', {
    label: 'Merged Record IDs',
    readOnly: true,
  }),
];

const CONTACT_PROPERTIES: PropertyDefinition[] = [
  ...systemProperties('lastmodifieddate'),
  property('email', 'string', 'text', { label: 'Email', hasUniqueValue: true, email: true }),
  property('firstname', 'string', 'text', { label: 'First Name' }),
  property('lastname', 'string', 'text', { label: 'Last Name' }),
  property('phone', 'string', 'phonenumber', { label: 'Phone Number' }),
  property('company', 'string', 'text', { label: 'Company Name' }),
  property('jobtitle', 'string', 'text', { label: 'Job Title' }),
  property('lifecyclestage', 'enumeration', 'radio', {
    label: 'Lifecycle Stage',
    options: options([
      'subscriber',
      'lead',
      'marketingqualifiedlead',
      'salesqualifiedlead',
      'opportunity',
      'customer',
      'evangelist',
      'other',
    ]),
  }),
  property('hs_lead_status', 'enumeration', 'select', {
    label: 'Lead Status',
    options: options([
      'NEW',
      'OPEN',
      'IN_PROGRESS',
      'OPEN_DEAL',
      'UNQUALIFIED',
      'ATTEMPTED_TO_CONTACT',
      'CONNECTED',
      'BAD_TIMING',
    ]),
  }),
  property('interests', 'enumeration', 'checkbox', {
    label: 'Interests',
    options: options(['analytics', 'automation', 'crm', 'ads']),
  }),
  // One read-only opt-out per email subscription type (subscriptions.ts keeps them).
  ...DEFAULT_SUBSCRIPTIONS.map((subscription) =>
    property(optOutProperty(subscription.id), 'bool', 'booleancheckbox', {
      label: `Opted out of email: ${subscription.name}`,
      readOnly: true,
      options: [
        { label: 'True', value: 'true', displayOrder: 0, hidden: false },
        { label: 'False', value: 'false', displayOrder: 1, hidden: false },
      ],
    }),
  ),
  property('hs_email_optout', 'bool', 'booleancheckbox', {
    label: 'Unsubscribed from all email',
    options: [
      { label: 'True', value: 'true', displayOrder: 0, hidden: false },
      { label: 'False', value: 'false', displayOrder: 1, hidden: false },
    ],
  }),
  property('date_of_birth', 'date', 'date', { label: 'Date of birth' }),
  property('annualrevenue', 'number', 'number', { label: 'Annual Revenue' }),
];

const COMPANY_PROPERTIES: PropertyDefinition[] = [
  ...systemProperties('hs_lastmodifieddate'),
  property('name', 'string', 'text', { label: 'Company name' }),
  // Not unique: HubSpot dedupes companies by domain in its UI and automation, but the API creates a
  // second company with the same domain (the companies guide only recommends sending domain, "the
  // primary unique identifier to avoid duplicate companies"), and its property says
  // hasUniqueValue false, so it is no upsert key.
  property('domain', 'string', 'text', { label: 'Company Domain Name' }),
  property('city', 'string', 'text', { label: 'City' }),
  property('phone', 'string', 'phonenumber', { label: 'Phone Number' }),
  property('industry', 'enumeration', 'select', {
    label: 'Industry',
    options: options([
      'COMPUTER_SOFTWARE',
      'FINANCIAL_SERVICES',
      'RETAIL',
      'MARKETING_AND_ADVERTISING',
    ]),
  }),
  property('numberofemployees', 'number', 'number', { label: 'Number of Employees' }),
  property('is_public', 'bool', 'booleancheckbox', { label: 'Is Public' }),
];

const DEAL_PROPERTIES: PropertyDefinition[] = [
  ...systemProperties('hs_lastmodifieddate'),
  property('dealname', 'string', 'text', { label: 'Deal Name' }),
  property('amount', 'number', 'number', { label: 'Amount' }),
  property('pipeline', 'enumeration', 'select', {
    label: 'Pipeline',
    options: options(['default']),
  }),
  property('dealstage', 'enumeration', 'radio', {
    label: 'Deal Stage',
    options: options([
      'appointmentscheduled',
      'qualifiedtobuy',
      'presentationscheduled',
      'decisionmakerboughtin',
      'contractsent',
      'closedwon',
      'closedlost',
    ]),
  }),
  property('closedate', 'datetime', 'date', { label: 'Close Date' }),
];

export const PROPERTIES: Record<ObjectType, readonly PropertyDefinition[]> = {
  contacts: CONTACT_PROPERTIES,
  companies: COMPANY_PROPERTIES,
  deals: DEAL_PROPERTIES,
};

/** Contacts stamp `lastmodifieddate`; every other object `hs_lastmodifieddate`. */
export function lastModifiedProperty(type: ObjectType): string {
  return type === 'contacts' ? 'lastmodifieddate' : 'hs_lastmodifieddate';
}

export function propertyOf(type: ObjectType, name: string): PropertyDefinition | undefined {
  return PROPERTIES[type].find((candidate) => candidate.name === name);
}

/** A property group (`GET /crm/v3/properties/{objectType}/groups`). */
export interface PropertyGroup {
  name: string;
  label: string;
  displayOrder: number;
  archived: boolean;
}

/** The groups every portal has (HubSpot's default `<object>information` groups, simplified). */
const DEFAULT_GROUPS: readonly PropertyGroup[] = [
  { name: 'information', label: 'Information', displayOrder: -1, archived: false },
];

/**
 * A portal's properties and groups: HubSpot's own and those created through the Properties API
 * (https://developers.hubspot.com/docs/api/crm/properties, "Create a property" and "groups").
 */
export class PropertyCatalog {
  private readonly custom: Record<ObjectType, PropertyDefinition[]> = {
    contacts: [],
    companies: [],
    deals: [],
  };
  private readonly groups: Record<ObjectType, PropertyGroup[]> = {
    contacts: [...DEFAULT_GROUPS],
    companies: [...DEFAULT_GROUPS],
    deals: [...DEFAULT_GROUPS],
  };
  /** When each custom property was created. */
  readonly createdAt = new Map<string, string>();

  of(type: ObjectType, name: string): PropertyDefinition | undefined {
    return propertyOf(type, name) ?? this.custom[type].find((candidate) => candidate.name === name);
  }

  list(type: ObjectType): PropertyDefinition[] {
    return [...PROPERTIES[type], ...this.custom[type]];
  }

  groupsOf(type: ObjectType): PropertyGroup[] {
    return [...this.groups[type]];
  }

  group(type: ObjectType, name: string): PropertyGroup | undefined {
    return this.groups[type].find((candidate) => candidate.name === name);
  }

  addGroup(type: ObjectType, group: PropertyGroup): void {
    this.groups[type].push(group);
  }

  add(type: ObjectType, definition: PropertyDefinition, at: string): void {
    this.custom[type].push(definition);
    this.createdAt.set(`${type}:${definition.name}`, at);
  }

  clear(): void {
    for (const type of OBJECT_TYPES) {
      this.custom[type] = [];
      this.groups[type] = [...DEFAULT_GROUPS];
    }
    this.createdAt.clear();
  }
}

/** HubSpot's property answer: what `GET /crm/v3/properties/{type}` lists. */
export function propertyJson(definition: PropertyDefinition, at: string): Record<string, unknown> {
  return {
    name: definition.name,
    label: definition.label,
    type: definition.type,
    fieldType: definition.fieldType,
    description: definition.description,
    groupName: definition.groupName,
    options: definition.options,
    displayOrder: -1,
    calculated: false,
    externalOptions: false,
    hasUniqueValue: definition.hasUniqueValue,
    hidden: false,
    hubspotDefined: definition.custom !== true,
    formField: !definition.readOnly,
    createdAt: at,
    updatedAt: at,
    modificationMetadata: {
      archivable: definition.custom === true,
      readOnlyDefinition: definition.custom !== true,
      readOnlyValue: definition.readOnly,
    },
  };
}

/** One property HubSpot refused, as its per-property error detail. */
export interface PropertyProblem {
  name: string;
  code:
    | 'PROPERTY_DOESNT_EXIST'
    | 'READ_ONLY_VALUE'
    | 'INVALID_OPTION'
    | 'INVALID_EMAIL'
    | 'INVALID_INTEGER'
    | 'INVALID_DATE'
    | 'INVALID_BOOLEAN'
    | 'INVALID_DATETIME';
  message: string;
}

// A pragmatic subset of HubSpot's email check: one @, a dot in the domain, no spaces.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function parseInstant(value: string): number | undefined {
  if (/^-?\d+$/.test(value)) return Number(value);
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? undefined : parsed;
}

/**
 * The stored (string) form of a written value, or the problem HubSpot reports for it. An empty
 * string clears the property, as in HubSpot.
 */
export function validateValue(
  definition: PropertyDefinition,
  raw: unknown,
): { value: string } | { problem: PropertyProblem } {
  const { name } = definition;
  const problem = (
    code: PropertyProblem['code'],
    message: string,
  ): { problem: PropertyProblem } => ({
    problem: { name, code, message },
  });
  if (definition.readOnly)
    return problem('READ_ONLY_VALUE', `${name} is a read only property; its value cannot be set.`);
  if (raw === null || raw === undefined || raw === '') return { value: '' };
  if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') {
    return problem('INVALID_OPTION', `${JSON.stringify(raw)} is not a valid value for ${name}`);
  }
  const value = String(raw);
  switch (definition.type) {
    case 'string':
      if (definition.email === true && !EMAIL.test(value.trim()))
        return problem('INVALID_EMAIL', `Email address ${value} is invalid`);
      return { value };
    case 'number': {
      const number = Number(value);
      if (value.trim() === '' || !Number.isFinite(number))
        return problem('INVALID_INTEGER', `${value} was not a valid number.`);
      return { value: String(number) };
    }
    case 'bool': {
      const lower = value.toLowerCase();
      if (lower !== 'true' && lower !== 'false')
        return problem('INVALID_BOOLEAN', `${value} was not a valid boolean (true or false).`);
      return { value: lower };
    }
    case 'date': {
      if (/^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)))
        return { value };
      const at = parseInstant(value);
      // HubSpot date properties take midnight UTC only.
      if (at === undefined || at % 86_400_000 !== 0)
        return problem(
          'INVALID_DATE',
          `${value} is at a non-zero time of day; dates must be midnight UTC.`,
        );
      return { value: new Date(at).toISOString().slice(0, 10) };
    }
    case 'datetime': {
      const at = parseInstant(value);
      if (at === undefined)
        return problem('INVALID_DATETIME', `${value} was not a valid datetime.`);
      return { value: new Date(at).toISOString() };
    }
    case 'enumeration': {
      const allowed = new Set(definition.options.map((option) => option.value));
      const values = definition.fieldType === 'checkbox' ? value.split(';') : [value];
      const bad = values.find((item) => !allowed.has(item));
      if (bad !== undefined)
        return problem(
          'INVALID_OPTION',
          `${bad} was not one of the allowed options: [${[...allowed].join(', ')}]`,
        );
      return { value };
    }
    default: {
      const unreachable: never = definition.type;
      return unreachable;
    }
  }
}
