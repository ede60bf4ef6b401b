/**
 * The emulated org's schema: the standard objects Syncline syncs, with the field attributes that
 * `/sobjects/{Object}/describe` reports (type, createable, updateable, nillable, unique,
 * externalId, picklistValues, restrictedPicklist). Field names and types follow Salesforce's
 * Object Reference; `External_Id__c`, `Lifecycle_Stage__c`, `Contact_Email__c` and `GCLID__c` are custom fields an org would add.
 */

export type SfFieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'email'
  | 'phone'
  | 'url'
  | 'picklist'
  | 'multipicklist'
  | 'boolean'
  | 'double'
  | 'currency'
  | 'percent'
  | 'int'
  | 'date'
  | 'datetime'
  | 'reference';

export interface SfField {
  name: string;
  label: string;
  type: SfFieldType;
  createable: boolean;
  updateable: boolean;
  nillable: boolean;
  unique: boolean;
  externalId: boolean;
  /** Required on create: not nillable, createable, and no default. */
  required: boolean;
  length: number;
  picklistValues: string[];
  restrictedPicklist: boolean;
  referenceTo: string[];
}

export interface SfObject {
  name: string;
  label: string;
  keyPrefix: string;
  fields: SfField[];
}

type FieldSpec = Partial<Omit<SfField, 'name' | 'type'>> & { name: string; type: SfFieldType };

function field(spec: FieldSpec): SfField {
  const readOnly = spec.type === 'id';
  return {
    label: spec.name.replace(/__c$/, '').replace(/_/g, ' '),
    createable: !readOnly,
    updateable: !readOnly,
    nillable: !readOnly && spec.type !== 'boolean',
    unique: false,
    externalId: false,
    required: false,
    length: ['string', 'email', 'phone', 'url', 'picklist'].includes(spec.type)
      ? 255
      : spec.type === 'textarea'
        ? 32_000
        : 0,
    picklistValues: [],
    restrictedPicklist: false,
    referenceTo: [],
    ...spec,
    ...(spec.required === true ? { nillable: false } : {}),
  };
}

/** Fields every object has, maintained by the platform. */
function systemFields(): SfField[] {
  const audit = { createable: false, updateable: false, nillable: false };
  return [
    field({ name: 'Id', type: 'id', label: 'Record ID', nillable: false }),
    field({ name: 'IsDeleted', type: 'boolean', label: 'Deleted', ...audit }),
    field({ name: 'CreatedDate', type: 'datetime', label: 'Created Date', ...audit }),
    field({ name: 'LastModifiedDate', type: 'datetime', label: 'Last Modified Date', ...audit }),
    field({ name: 'SystemModstamp', type: 'datetime', label: 'System Modstamp', ...audit }),
  ];
}

/** Set on a record deleted by a merge to the survivor's id (Lead, Contact and Account only). */
function masterRecordId(object: string): SfField {
  return field({
    name: 'MasterRecordId',
    type: 'reference',
    label: 'Master Record ID',
    referenceTo: [object],
    createable: false,
    updateable: false,
  });
}

const externalId = field({
  name: 'External_Id__c',
  type: 'string',
  label: 'External ID',
  unique: true,
  externalId: true,
});

const leadSource = field({
  name: 'LeadSource',
  type: 'picklist',
  label: 'Lead Source',
  picklistValues: ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'],
});

export const SCHEMA: readonly SfObject[] = [
  {
    name: 'Contact',
    label: 'Contact',
    keyPrefix: '003',
    fields: [
      ...systemFields(),
      masterRecordId('Contact'),
      field({ name: 'FirstName', type: 'string', label: 'First Name', length: 40 }),
      field({ name: 'LastName', type: 'string', label: 'Last Name', length: 80, required: true }),
      field({ name: 'Email', type: 'email', label: 'Email', length: 80 }),
      field({ name: 'Phone', type: 'phone', label: 'Business Phone', length: 40 }),
      field({ name: 'Title', type: 'string', label: 'Title', length: 128 }),
      field({ name: 'Description', type: 'textarea', label: 'Contact Description' }),
      field({ name: 'Birthdate', type: 'date', label: 'Birthdate' }),
      field({ name: 'HasOptedOutOfEmail', type: 'boolean', label: 'Email Opt Out' }),
      field({
        name: 'AccountId',
        type: 'reference',
        label: 'Account ID',
        referenceTo: ['Account'],
      }),
      leadSource,
      field({
        name: 'Lifecycle_Stage__c',
        type: 'picklist',
        label: 'Lifecycle Stage',
        picklistValues: ['Subscriber', 'Lead', 'MQL', 'SQL', 'Customer'],
        restrictedPicklist: true,
      }),
      field({
        name: 'Interests__c',
        type: 'multipicklist',
        label: 'Interests',
        picklistValues: ['Analytics', 'Automation', 'CRM', 'Ads'],
      }),
      field({ name: 'Score__c', type: 'double', label: 'Score' }),
      externalId,
    ],
  },
  {
    name: 'Lead',
    label: 'Lead',
    keyPrefix: '00Q',
    fields: [
      ...systemFields(),
      masterRecordId('Lead'),
      field({ name: 'FirstName', type: 'string', label: 'First Name', length: 40 }),
      field({ name: 'LastName', type: 'string', label: 'Last Name', length: 80, required: true }),
      field({ name: 'Company', type: 'string', label: 'Company', required: true }),
      field({ name: 'Email', type: 'email', label: 'Email', length: 80 }),
      field({ name: 'Phone', type: 'phone', label: 'Phone', length: 40 }),
      field({ name: 'Website', type: 'url', label: 'Website' }),
      field({
        name: 'Status',
        type: 'picklist',
        label: 'Status',
        picklistValues: [
          'Open - Not Contacted',
          'Working - Contacted',
          'Closed - Converted',
          'Closed - Not Converted',
        ],
        restrictedPicklist: true,
      }),
      leadSource,
      field({ name: 'AnnualRevenue', type: 'currency', label: 'Annual Revenue' }),
      field({ name: 'NumberOfEmployees', type: 'int', label: 'Employees' }),
      field({
        name: 'IsConverted',
        type: 'boolean',
        label: 'Converted',
        createable: false,
        updateable: false,
      }),
      field({
        name: 'ConvertedContactId',
        type: 'reference',
        label: 'Converted Contact ID',
        referenceTo: ['Contact'],
        createable: false,
        updateable: false,
      }),
      externalId,
    ],
  },
  {
    name: 'Account',
    label: 'Account',
    keyPrefix: '001',
    fields: [
      ...systemFields(),
      masterRecordId('Account'),
      field({ name: 'Name', type: 'string', label: 'Account Name', required: true }),
      field({ name: 'Website', type: 'url', label: 'Website' }),
      field({ name: 'Phone', type: 'phone', label: 'Account Phone', length: 40 }),
      field({
        name: 'Industry',
        type: 'picklist',
        label: 'Industry',
        picklistValues: ['Agriculture', 'Banking', 'Education', 'Retail', 'Technology'],
      }),
      field({ name: 'AnnualRevenue', type: 'currency', label: 'Annual Revenue' }),
      field({ name: 'NumberOfEmployees', type: 'int', label: 'Employees' }),
      externalId,
    ],
  },
  {
    name: 'Opportunity',
    label: 'Opportunity',
    keyPrefix: '006',
    fields: [
      ...systemFields(),
      field({ name: 'Name', type: 'string', label: 'Name', length: 120, required: true }),
      field({
        name: 'StageName',
        type: 'picklist',
        label: 'Stage',
        required: true,
        picklistValues: ['Prospecting', 'Qualification', 'Proposal', 'Closed Won', 'Closed Lost'],
        restrictedPicklist: true,
      }),
      field({ name: 'CloseDate', type: 'date', label: 'Close Date', required: true }),
      field({ name: 'Amount', type: 'currency', label: 'Amount' }),
      field({ name: 'Probability', type: 'percent', label: 'Probability (%)' }),
      // A custom field as orgs add for ad platforms: the primary contact's email (a formula in
      // most orgs; writable here).
      field({ name: 'Contact_Email__c', type: 'email', label: 'Contact Email' }),
      // The Google click id a web-to-lead form stores on the lead, carried to the opportunity.
      field({ name: 'GCLID__c', type: 'string', label: 'GCLID', length: 255 }),
      field({
        name: 'AccountId',
        type: 'reference',
        label: 'Account ID',
        referenceTo: ['Account'],
      }),
      externalId,
    ],
  },
  {
    name: 'Campaign',
    label: 'Campaign',
    keyPrefix: '701',
    fields: [
      ...systemFields(),
      field({ name: 'Name', type: 'string', label: 'Name', length: 80, required: true }),
      field({
        name: 'Status',
        type: 'picklist',
        label: 'Status',
        picklistValues: ['Planned', 'In Progress', 'Completed', 'Aborted'],
      }),
      field({ name: 'StartDate', type: 'date', label: 'Start Date' }),
      field({ name: 'IsActive', type: 'boolean', label: 'Active' }),
    ],
  },
  {
    name: 'CampaignMember',
    label: 'Campaign Member',
    keyPrefix: '00v',
    fields: [
      ...systemFields(),
      field({
        name: 'CampaignId',
        type: 'reference',
        label: 'Campaign ID',
        required: true,
        updateable: false,
        referenceTo: ['Campaign'],
      }),
      field({
        name: 'ContactId',
        type: 'reference',
        label: 'Contact ID',
        updateable: false,
        referenceTo: ['Contact'],
      }),
      field({
        name: 'LeadId',
        type: 'reference',
        label: 'Lead ID',
        updateable: false,
        referenceTo: ['Lead'],
      }),
      field({
        name: 'Status',
        type: 'picklist',
        label: 'Status',
        picklistValues: ['Sent', 'Responded'],
      }),
    ],
  },
];

export function findObject(name: string): SfObject | undefined {
  const lower = name.toLowerCase();
  return SCHEMA.find((object) => object.name.toLowerCase() === lower);
}

/** SOQL and the REST API compare field names case-insensitively. */
export function findField(object: SfObject, name: string): SfField | undefined {
  const lower = name.toLowerCase();
  return object.fields.find((candidate) => candidate.name.toLowerCase() === lower);
}

/** The `/sobjects/{Object}/describe` body (the attributes Syncline reads, as Salesforce names them). */
export function describeBody(object: SfObject, version: string): Record<string, unknown> {
  const base = `/services/data/v${version}/sobjects/${object.name}`;
  return {
    name: object.name,
    label: object.label,
    keyPrefix: object.keyPrefix,
    createable: true,
    updateable: true,
    deletable: true,
    queryable: true,
    replicateable: true,
    urls: { sobject: base, describe: `${base}/describe`, rowTemplate: `${base}/{ID}` },
    fields: object.fields.map((candidate) => ({
      name: candidate.name,
      label: candidate.label,
      type: candidate.type,
      length: candidate.length,
      createable: candidate.createable,
      updateable: candidate.updateable,
      nillable: candidate.nillable,
      defaultedOnCreate: candidate.type === 'boolean' || candidate.type === 'id',
      unique: candidate.unique,
      externalId: candidate.externalId,
      idLookup: candidate.type === 'id' || candidate.externalId || candidate.type === 'email',
      picklistValues: candidate.picklistValues.map((value, index) => ({
        active: true,
        defaultValue: index === 0 && candidate.name === 'Status' && object.name === 'Lead',
        label: value,
        validFor: null,
        value,
      })),
      restrictedPicklist: candidate.restrictedPicklist,
      referenceTo: candidate.referenceTo,
      relationshipName: candidate.type === 'reference' ? candidate.name.replace(/Id$/, '') : null,
    })),
  };
}
