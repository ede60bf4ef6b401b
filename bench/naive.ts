/**
 * The naive baseline: what a Zap or a hand-written script does for each record of the left side,
 * one at a time: look the person up on the right by email (one call), then update the record
 * found or create one (one call, one record). No state, no batching, no comparison with what was
 * there. Run on a sample, against the same vendors (same IPC round trip per call as the engine),
 * after the engine's runs, so the values it writes are those already there.
 */
import { performance } from 'node:perf_hooks';
import type { Fields, RecordConnector } from '../connectors/sdk/contract';
import { MAPPINGS, OBJECTS } from './data';

export interface NaiveResult {
  records: number;
  ms: number;
  calls: number;
}

/** The right side's values of a left record, through the bench's mappings (value maps applied). */
function rightFieldsOf(left: Fields): Fields {
  const fields: Fields = {};
  for (const mapping of MAPPINGS) {
    const value = left[mapping.left] ?? null;
    let mapped = value;
    for (const step of mapping.transforms?.leftToRight ?? [])
      if (step.kind === 'value_map' && typeof mapped === 'string')
        mapped = step.map[mapped] ?? mapped;
    fields[mapping.right] = mapped;
  }
  return fields;
}

export async function naiveBaseline(
  left: RecordConnector,
  right: RecordConnector,
  sample: number,
): Promise<NaiveResult> {
  const fields = MAPPINGS.map((mapping) => mapping.left);
  const rightFields = MAPPINGS.map((mapping) => mapping.right);
  const result: NaiveResult = { records: 0, ms: 0, calls: 0 };
  const started = performance.now();
  for await (const page of left.read({ object: OBJECTS.left, fields, pageSize: 100 })) {
    result.calls++;
    for (const record of page.records) {
      if (result.records >= sample) break;
      const email = record.fields['email'];
      if (typeof email !== 'string') continue;
      const found = await right.lookup({
        object: OBJECTS.right,
        field: 'email',
        values: [email],
        fields: rightFields,
      });
      const target = found.at(0);
      const values = rightFieldsOf(record.fields);
      await right.write(
        target === undefined
          ? { object: OBJECTS.right, mode: 'create', operations: [{ fields: values }] }
          : {
              object: OBJECTS.right,
              mode: 'update',
              operations: [{ id: target.id, fields: values }],
            },
      );
      result.calls += 2;
      result.records++;
    }
    if (result.records >= sample) break;
  }
  result.ms = performance.now() - started;
  return result;
}
