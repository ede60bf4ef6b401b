import type { Checkpoint } from '../../connectors/sdk/contract';

/**
 * Reading ahead: the next page of a read is asked for as soon as the current one is handed out,
 * so the vendor's answer travels while the engine plans, writes and commits the current page
 * (DESIGN.md, "Performance targets": Node otherwise waits on one or the other in turn). One page
 * ahead at most, so memory stays bounded by two pages.
 *
 * Safe for the cursor: a page is still processed and committed in order, and the read continues
 * from the connector's own position, which no write of the current page can move (a record the
 * run writes on the side being read gets a newer stamp, and comes back later or in the next run,
 * where its snapshot shows it unchanged).
 */
export async function* readAhead<T>(pages: AsyncIterable<T>): AsyncGenerator<T> {
  const iterator = pages[Symbol.asyncIterator]();
  let next = iterator.next();
  // Marked as handled at once: a failure of the page read ahead is thrown when it is reached.
  next.catch(() => undefined);
  let finished = false;
  try {
    for (;;) {
      const result = await next;
      if (result.done === true) {
        finished = true;
        return;
      }
      next = iterator.next();
      next.catch(() => undefined);
      yield result.value;
    }
  } finally {
    // Stopped before the end (cancelled, or the page failed): let the read in flight settle, then
    // close the read as a for-await loop would have.
    if (!finished) {
      await next.catch(() => undefined);
      await iterator.return?.();
    }
  }
}

/**
 * Pages of at least `size` records (the last may hold fewer): consecutive pages of a read joined,
 * each with the checkpoint of its last part. A vendor whose pages are smaller than the run's page
 * (HubSpot lists 100 records a page) then costs the other side one write call per run page, not
 * one per vendor page. Memory stays bounded by the run's page and one vendor page.
 */
export async function* gathered<R>(
  pages: AsyncIterable<{ records: R[]; checkpoint: Checkpoint }>,
  size: number,
): AsyncGenerator<{ records: R[]; checkpoint: Checkpoint }> {
  let records: R[] = [];
  let checkpoint: Checkpoint | undefined;
  for await (const page of pages) {
    records = records.length === 0 ? page.records : [...records, ...page.records];
    checkpoint = page.checkpoint;
    if (records.length >= size) {
      yield { records, checkpoint };
      records = [];
      checkpoint = undefined;
    }
  }
  if (checkpoint !== undefined) yield { records, checkpoint };
}
