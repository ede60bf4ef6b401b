/**
 * The one pagination helper (like Nango's paginate.service): a connector declares how an endpoint
 * pages — by cursor, by next link, or by offset — and iterates; nobody hand-rolls a do/while.
 */
import { ConnectorError } from './errors';

export type Paging<TBody, TCursor = string> =
  | {
      type: 'cursor';
      /** Parameter that carries the cursor (HubSpot `after`); only set for string or number cursors. */
      cursorParam?: string;
      limitParam?: string;
      /** The cursor of the next page, or undefined on the last page. */
      nextCursor: (body: TBody) => TCursor | undefined;
    }
  | {
      type: 'link';
      limitParam?: string;
      /** The next page's URL (Salesforce `nextRecordsUrl`, or `nextLinkFromHeader`), or undefined. */
      nextUrl: (body: TBody, headers: Headers | undefined) => string | undefined;
    }
  | {
      type: 'offset';
      offsetParam: string;
      limitParam: string;
      /** Total number of items, where the vendor says; paging otherwise stops at a short page. */
      total?: (body: TBody) => number | undefined;
    };

/** Where a page starts; what a connector stores in its checkpoint to resume. */
export type PagePosition<TCursor = string> =
  | { type: 'cursor'; cursor: TCursor }
  | { type: 'link'; url: string }
  | { type: 'offset'; offset: number };

export interface PageRequest<TCursor = string> {
  /** Parameters for this page, named as the paging declares; put them in the query or the body. */
  params: Record<string, string | number>;
  /** Where this page starts; undefined for the first page of a fresh read. */
  position: PagePosition<TCursor> | undefined;
  limit: number;
}

export interface PaginateOptions<TBody, TItem, TCursor = string> {
  paging: Paging<TBody, TCursor>;
  pageSize: number;
  fetchPage: (request: PageRequest<TCursor>) => Promise<{ body: TBody; headers?: Headers }>;
  items: (body: TBody) => TItem[];
  /** Resume here instead of at the first page. */
  start?: PagePosition<TCursor>;
  signal?: AbortSignal;
}

export interface Page<TItem, TBody, TCursor = string> {
  items: TItem[];
  body: TBody;
  /** The next page's position; undefined after the last page. */
  next: PagePosition<TCursor> | undefined;
}

/** The `rel="next"` URL of an RFC 8288 Link header. */
export function nextLinkFromHeader(headers: Headers | undefined): string | undefined {
  const link = headers?.get('link');
  if (link === null || link === undefined) return undefined;
  for (const part of link.split(',')) {
    const match = /<([^>]*)>\s*;(.*)$/.exec(part.trim());
    if (match?.[1] !== undefined && /\brel="?next"?/i.test(match[2])) return match[1];
  }
  return undefined;
}

function paramsFor<TBody, TCursor>(
  paging: Paging<TBody, TCursor>,
  position: PagePosition<TCursor> | undefined,
  limit: number,
): Record<string, string | number> {
  const params: Record<string, string | number> = {};
  switch (paging.type) {
    case 'cursor':
      if (paging.limitParam !== undefined) params[paging.limitParam] = limit;
      if (paging.cursorParam !== undefined && position?.type === 'cursor') {
        const { cursor } = position;
        if (typeof cursor === 'string' || typeof cursor === 'number')
          params[paging.cursorParam] = cursor;
      }
      return params;
    case 'link':
      if (paging.limitParam !== undefined && position === undefined)
        params[paging.limitParam] = limit;
      return params;
    case 'offset':
      params[paging.limitParam] = limit;
      params[paging.offsetParam] = position?.type === 'offset' ? position.offset : 0;
      return params;
    default: {
      const unreachable: never = paging;
      return unreachable;
    }
  }
}

function nextPosition<TBody, TCursor>(
  paging: Paging<TBody, TCursor>,
  position: PagePosition<TCursor> | undefined,
  response: { body: TBody; headers?: Headers },
  itemCount: number,
  limit: number,
): PagePosition<TCursor> | undefined {
  switch (paging.type) {
    case 'cursor': {
      const cursor = paging.nextCursor(response.body);
      return cursor === undefined ? undefined : { type: 'cursor', cursor };
    }
    case 'link': {
      const url = paging.nextUrl(response.body, response.headers);
      return url === undefined || url === '' ? undefined : { type: 'link', url };
    }
    case 'offset': {
      const offset = (position?.type === 'offset' ? position.offset : 0) + itemCount;
      const total = paging.total?.(response.body);
      if (itemCount === 0 || (total !== undefined ? offset >= total : itemCount < limit))
        return undefined;
      return { type: 'offset', offset };
    }
    default: {
      const unreachable: never = paging;
      return unreachable;
    }
  }
}

/** Pages in order until the vendor says there are no more. */
export async function* paginate<TBody, TItem, TCursor = string>(
  options: PaginateOptions<TBody, TItem, TCursor>,
): AsyncGenerator<Page<TItem, TBody, TCursor>> {
  const { paging, pageSize } = options;
  let position = options.start;
  for (;;) {
    if (options.signal?.aborted === true)
      throw new ConnectorError('cancelled', 'pagination was cancelled');
    const params = paramsFor(paging, position, pageSize);
    const response = await options.fetchPage({ params, position, limit: pageSize });
    const items = options.items(response.body);
    const next = nextPosition(paging, position, response, items.length, pageSize);
    // A vendor that hands back the cursor it was given would loop forever.
    if (
      next !== undefined &&
      position !== undefined &&
      JSON.stringify(next) === JSON.stringify(position)
    ) {
      throw new ConnectorError(
        'unknown',
        `pagination did not advance past ${JSON.stringify(position)}`,
      );
    }
    yield { items, body: response.body, next };
    if (next === undefined) return;
    position = next;
  }
}
