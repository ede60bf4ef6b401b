/** Links to records in a vendor's own UI (the API gives them per connection; the console uses them). */

/**
 * How to link a record to the vendor's own UI: `template` with `{object}` and `{id}` in it;
 * `objects` gives what stands for `{object}` where the UI names an object otherwise than the API
 * (absent from it: the object's API name).
 */
export interface RecordLinks {
  template: string;
  objects?: Record<string, string>;
}

/** A record's page in the vendor's UI, from a connection's links; undefined without links. */
export function recordUrl(
  links: RecordLinks | null | undefined,
  object: string,
  id: string,
): string | undefined {
  if (links === null || links === undefined) return undefined;
  const name = links.objects?.[object] ?? object;
  return links.template
    .replaceAll('{object}', encodeURIComponent(name))
    .replaceAll('{id}', encodeURIComponent(id));
}
