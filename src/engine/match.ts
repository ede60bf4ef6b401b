/**
 * Matching (DESIGN.md step 4): records without a link are matched on the other side by the match
 * rule's normalised key, in one lookup per page. Two candidates are an ambiguous match, never a guess.
 */
import type { RecordConnector, ConnectorRecord } from '../../connectors/sdk/contract';
import { type Side, otherSide } from './definition';
import type { CompiledSync } from './compile';
import type { SyncStore } from './ports';
import { lookupValues, normalizeKey } from './normalizers';
import { fieldOf } from './values';

export type MatchOutcome =
  | { kind: 'matched'; other: ConnectorRecord }
  | { kind: 'none'; key: string }
  | { kind: 'no_key' }
  | { kind: 'ambiguous'; message: string };

export interface MatchContext {
  sync: CompiledSync;
  connectors: Record<Side, RecordConnector>;
  store: Pick<SyncStore, 'findLinks'>;
}

/** One outcome per record, in order. */
export async function matchRecords(
  context: MatchContext,
  side: Side,
  records: readonly ConnectorRecord[],
): Promise<MatchOutcome[]> {
  const { sync } = context;
  const { match } = sync.definition;
  const other = otherSide(side);
  const keys = records.map((record) =>
    normalizeKey(fieldOf(record.fields, match[side]), match.normalizer),
  );
  const values = new Set<string>();
  for (const record of records)
    for (const value of lookupValues(fieldOf(record.fields, match[side]), match.normalizer))
      values.add(value);

  const byKey = new Map<string, ConnectorRecord[]>();
  const linkedTo = new Map<string, string>();
  if (values.size > 0) {
    const found = await context.connectors[other].lookup({
      object: sync.definition[other].object,
      field: match[other],
      values: [...values],
      fields: sync.readFields[other],
    });
    const seen = new Set<string>();
    for (const candidate of found) {
      if (seen.has(candidate.id)) continue;
      seen.add(candidate.id);
      const key = normalizeKey(fieldOf(candidate.fields, match[other]), match.normalizer);
      if (key === null) continue;
      const group = byKey.get(key);
      if (group === undefined) byKey.set(key, [candidate]);
      else group.push(candidate);
    }
    if (seen.size > 0) {
      const links = await context.store.findLinks(sync.definition.id, other, [...seen]);
      for (const link of links)
        linkedTo.set(
          other === 'left' ? link.leftId : link.rightId,
          side === 'left' ? link.leftId : link.rightId,
        );
    }
  }

  const claimed = new Map<string, string>();
  return records.map((record, index): MatchOutcome => {
    const key = keys[index] ?? null;
    if (key === null) return { kind: 'no_key' };
    const first = claimed.get(key);
    if (first !== undefined) {
      return {
        kind: 'ambiguous',
        message: `${side} records ${first} and ${record.id} share the match key "${key}"`,
      };
    }
    claimed.set(key, record.id);
    const candidates = byKey.get(key) ?? [];
    const only = candidates[0] as ConnectorRecord | undefined;
    if (only === undefined) return { kind: 'none', key };
    if (candidates.length > 1) {
      const ids = candidates.map((candidate) => candidate.id).join(', ');
      return {
        kind: 'ambiguous',
        message: `${String(candidates.length)} ${other} records match "${key}": ${ids}`,
      };
    }
    const owner = linkedTo.get(only.id);
    if (owner !== undefined) {
      return {
        kind: 'ambiguous',
        message: `${other} record ${only.id} matches "${key}" but is already linked to ${side} record ${owner}`,
      };
    }
    return { kind: 'matched', other: only };
  });
}
