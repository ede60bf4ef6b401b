/**
 * Runs a parsed SOQL query over the org's store: field checks as Salesforce makes them
 * (INVALID_FIELD for unknown columns or a literal of the wrong type, INVALID_TYPE for an unknown
 * object), case-insensitive string comparison, and ORDER BY with Salesforce's null ordering.
 */
import { toId18 } from '../../ids';
import { type SfField, type SfObject, findField, findObject } from '../describe';
import type { OrgStore, SfRecord, SfValue } from '../store';
import type { Condition, Literal, SoqlQuery } from './parse';

/** A query Salesforce parses but refuses (its `errorCode` goes in the 400 answer). */
export class SoqlRejection extends Error {
  override readonly name = 'SoqlRejection';

  constructor(
    readonly errorCode: 'INVALID_FIELD' | 'INVALID_TYPE',
    message: string,
  ) {
    super(message);
  }
}

export interface QueryResult {
  object: SfObject;
  fields: SfField[];
  records: SfRecord[];
}

function column(object: SfObject, name: string): SfField {
  const field = findField(object, name);
  if (field === undefined) {
    throw new SoqlRejection(
      'INVALID_FIELD',
      `No such column '${name}' on entity '${object.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
  }
  return field;
}

type Comparable = string | number | boolean | null;

/** The literal as a value comparable with the field's, or a rejection for the wrong literal type. */
function literalFor(field: SfField, literal: Literal): Comparable {
  const wrong = (expected: string, quoted: boolean): SoqlRejection =>
    new SoqlRejection(
      'INVALID_FIELD',
      `value of filter criterion for field '${field.name}' must be of type ${expected} and should ${quoted ? '' : 'not '}be enclosed in quotes`,
    );
  if (literal.type === 'null') return null;
  switch (field.type) {
    case 'datetime':
      if (literal.type !== 'datetime') throw wrong('dateTime', false);
      return literal.ms;
    case 'date':
      if (literal.type !== 'date') throw wrong('date', false);
      return literal.value;
    case 'boolean':
      if (literal.type !== 'boolean') throw wrong('boolean', false);
      return literal.value;
    case 'double':
    case 'currency':
    case 'percent':
    case 'int':
      if (literal.type !== 'number') throw wrong('double', false);
      return literal.value;
    case 'id':
    case 'reference':
      if (literal.type !== 'string') throw wrong('id', true);
      // SOQL takes 15- and 18-character ids alike; records hold the 18-character form.
      return toId18(literal.value);
    case 'string':
    case 'textarea':
    case 'email':
    case 'phone':
    case 'url':
    case 'picklist':
    case 'multipicklist':
      if (literal.type !== 'string') throw wrong('string', true);
      return literal.value.toLowerCase();
    default: {
      const unreachable: never = field.type;
      return unreachable;
    }
  }
}

/** The record's value in the same space as `literalFor`. */
function valueFor(store: OrgStore, record: SfRecord, field: SfField): Comparable {
  switch (field.name) {
    case 'CreatedDate':
    case 'LastModifiedDate':
    case 'SystemModstamp':
      return record[field.name];
    default: {
      const value: SfValue = store.valueOf(record, field);
      if (field.type === 'datetime' && typeof value === 'string') return Date.parse(value);
      if (typeof value === 'string' && field.type !== 'id' && field.type !== 'reference')
        return value.toLowerCase();
      return value;
    }
  }
}

function compare(a: Comparable, b: Comparable): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}

function like(value: Comparable, pattern: Comparable): boolean {
  if (typeof value !== 'string' || typeof pattern !== 'string') return false;
  const regex = pattern
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/%/g, '.*')
    .replace(/_/g, '.');
  return new RegExp(`^${regex}$`, 's').test(value);
}

function matches(
  store: OrgStore,
  object: SfObject,
  record: SfRecord,
  condition: Condition,
): boolean {
  switch (condition.kind) {
    case 'and':
      return condition.items.every((item) => matches(store, object, record, item));
    case 'or':
      return condition.items.some((item) => matches(store, object, record, item));
    case 'not':
      return !matches(store, object, record, condition.item);
    case 'in': {
      const field = column(object, condition.field);
      const value = valueFor(store, record, field);
      const found = condition.values.some(
        (literal) => compare(value, literalFor(field, literal)) === 0,
      );
      return condition.negated ? !found : found;
    }
    case 'compare': {
      const field = column(object, condition.field);
      const value = valueFor(store, record, field);
      const literal = literalFor(field, condition.value);
      // SOQL comparisons with null only match for = and !=; a null field is never < or > anything.
      if ((value === null || literal === null) && !['=', '!='].includes(condition.op)) return false;
      const order = compare(value, literal);
      switch (condition.op) {
        case '=':
          return order === 0;
        case '!=':
          return order !== 0;
        case '<':
          return order < 0;
        case '<=':
          return order <= 0;
        case '>':
          return order > 0;
        case '>=':
          return order >= 0;
        case 'LIKE':
          return like(value, literal);
        default: {
          const unreachable: never = condition.op;
          return unreachable;
        }
      }
    }
    default: {
      const unreachable: never = condition;
      return unreachable;
    }
  }
}

/** Checks every field a condition names, so a bad query fails even on an empty object. */
function checkCondition(object: SfObject, condition: Condition): void {
  switch (condition.kind) {
    case 'and':
    case 'or':
      condition.items.forEach((item) => {
        checkCondition(object, item);
      });
      return;
    case 'not':
      checkCondition(object, condition.item);
      return;
    case 'in':
      condition.values.forEach((literal) => literalFor(column(object, condition.field), literal));
      return;
    case 'compare':
      literalFor(column(object, condition.field), condition.value);
      return;
    default: {
      const unreachable: never = condition;
      return unreachable;
    }
  }
}

/** Records the query selects; `queryAll` includes the recycle bin. */
export function evaluateSoql(store: OrgStore, query: SoqlQuery, queryAll: boolean): QueryResult {
  const object = findObject(query.object);
  if (object === undefined) {
    throw new SoqlRejection('INVALID_TYPE', `sObject type '${query.object}' is not supported.`);
  }
  const fields = query.fields.map((name) => column(object, name));
  const where = query.where;
  if (where !== undefined) checkCondition(object, where);
  const order = query.orderBy.map((item) => ({ ...item, field: column(object, item.field) }));
  let records = store
    .list(object.name, queryAll)
    .filter((record) => where === undefined || matches(store, object, record, where));
  if (order.length > 0) {
    records = records.sort((a, b) => {
      for (const item of order) {
        const x = valueFor(store, a, item.field);
        const y = valueFor(store, b, item.field);
        if (x === y) continue;
        if (x === null || y === null) return (x === null) === item.nullsLast ? 1 : -1;
        const result = compare(x, y);
        return item.descending ? -result : result;
      }
      return 0;
    });
  }
  if (query.limit !== undefined) records = records.slice(0, query.limit);
  return { object, fields, records };
}
