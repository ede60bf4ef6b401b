/**
 * What a one-way sync sends about a person: their identifiers, normalised and hashed by the
 * destination's rules, and their consent signals.
 */
import type {
  ConnectorRecord,
  ConsentRule,
  ConsentState,
  Identifiers,
  IdentifierRule,
} from '../../connectors/sdk/contract';
import { prepareIdentifiers } from '../../connectors/sdk/normalize';
import { IDENTIFIER_TYPES } from '../sync-definition/schema';
import type { AnySyncDefinition } from './definition';
import { toFieldValue, valueToText } from './values';

/** The record's identifiers, read from the fields the definition names, as the record holds them. */
export function rawIdentifiers(
  definition: AnySyncDefinition,
  record: ConnectorRecord,
): Identifiers {
  const raw: Identifiers = {};
  for (const type of IDENTIFIER_TYPES) {
    const field = definition.identifiers?.[type];
    if (field === undefined) continue;
    const text = valueToText(record.fields[field]);
    if (text.trim() !== '') raw[type] = text;
  }
  return raw;
}

/**
 * The identifiers as the destination takes them, normalised and hashed by its rules: only this
 * form is ever kept (ledgers) or sent; the raw values stay in the record that was read.
 */
export function preparedIdentifiers(
  destination: { identifiers: readonly IdentifierRule[]; defaultCountry?: string },
  definition: AnySyncDefinition,
  record: ConnectorRecord,
): Identifiers {
  const { defaultCountry } = destination;
  return prepareIdentifiers(
    destination.identifiers,
    rawIdentifiers(definition, record),
    defaultCountry === undefined ? {} : { defaultCountry },
  );
}

const GRANTED = new Set(['true', 'granted', 'yes', 'y', '1']);
const DENIED = new Set(['false', 'denied', 'no', 'n', '0']);

/** A consent signal as a source field holds it. */
export function consentState(value: unknown): ConsentState {
  const text = valueToText(toFieldValue(value) ?? null)
    .trim()
    .toLowerCase();
  if (GRANTED.has(text)) return 'granted';
  if (DENIED.has(text)) return 'denied';
  return 'unspecified';
}

/**
 * The consent signals the destination takes, read from the fields the definition names, and the
 * required ones the person has not granted (when any, nothing of theirs is sent).
 */
export function consentOf(
  destination: { consent?: readonly ConsentRule[] },
  definition: AnySyncDefinition,
  record: ConnectorRecord,
): { consent: Record<string, ConsentState>; missing: string[] } {
  const consent: Record<string, ConsentState> = {};
  const missing: string[] = [];
  for (const rule of destination.consent ?? []) {
    const field = definition.consent?.[rule.name];
    const state = field === undefined ? 'unspecified' : consentState(record.fields[field]);
    consent[rule.name] = state;
    if (rule.required && state !== 'granted') missing.push(rule.name);
  }
  return { consent, missing };
}

/** Consent signals the definition maps that the destination does not take. */
export function consentProblems(
  definition: AnySyncDefinition,
  destination: { kind: string; consent?: readonly ConsentRule[] },
): Array<{ path: string; problem: string }> {
  const taken = (destination.consent ?? []).map((rule) => rule.name);
  return Object.keys(definition.consent ?? {})
    .filter((name) => !taken.includes(name))
    .map((name) => ({
      path: `consent.${name}`,
      problem: `${destination.kind} connections take no consent signal ${name} (they take: ${taken.join(', ') || 'none'})`,
    }));
}
