import { nextLinkFromHeader, paginate, type PageRequest, type PaginateOptions } from './paginate';

const items = Array.from({ length: 7 }, (_, i) => `item${i}`);

async function collect<TBody, TCursor>(
  options: PaginateOptions<TBody, string, TCursor>,
): Promise<{ pages: string[][]; requests: Array<PageRequest<TCursor>> }> {
  const requests: Array<PageRequest<TCursor>> = [];
  const pages: string[][] = [];
  for await (const page of paginate({
    ...options,
    fetchPage: (request) => {
      requests.push(request);
      return options.fetchPage(request);
    },
  })) {
    pages.push(page.items);
  }
  return { pages, requests };
}

describe('paginate', () => {
  it('follows a cursor until the vendor gives none, naming parameters as declared', async () => {
    const { pages, requests } = await collect<{ results: string[]; after?: string }, string>({
      paging: {
        type: 'cursor',
        cursorParam: 'after',
        limitParam: 'limit',
        nextCursor: (body) => body.after,
      },
      pageSize: 3,
      fetchPage: ({ params }) => {
        const start = Number(params['after'] ?? 0);
        const end = start + Number(params['limit']);
        return Promise.resolve({
          body: {
            results: items.slice(start, end),
            after: end < items.length ? String(end) : undefined,
          },
        });
      },
      items: (body) => body.results,
    });
    expect(pages).toEqual([items.slice(0, 3), items.slice(3, 6), items.slice(6)]);
    expect(requests.map((request) => request.params)).toEqual([
      { limit: 3 },
      { limit: 3, after: '3' },
      { limit: 3, after: '6' },
    ]);
  });

  it('resumes from a start position', async () => {
    const { pages } = await collect<{ results: string[]; after?: string }, string>({
      paging: { type: 'cursor', cursorParam: 'after', nextCursor: (body) => body.after },
      pageSize: 3,
      start: { type: 'cursor', cursor: '5' },
      fetchPage: ({ params }) =>
        Promise.resolve({ body: { results: items.slice(Number(params['after'])) } }),
      items: (body) => body.results,
    });
    expect(pages).toEqual([['item5', 'item6']]);
  });

  it('follows next links from the body or the Link header', async () => {
    const { pages, requests } = await collect<
      { records: string[]; nextRecordsUrl?: string },
      string
    >({
      paging: {
        type: 'link',
        limitParam: 'limit',
        nextUrl: (body, headers) => body.nextRecordsUrl ?? nextLinkFromHeader(headers),
      },
      pageSize: 4,
      fetchPage: ({ position }) => {
        if (position === undefined)
          return Promise.resolve({
            body: { records: items.slice(0, 4), nextRecordsUrl: '/query/01g-4' },
          });
        const headers = new Headers(
          position.type === 'link' && position.url === '/query/01g-4'
            ? { link: '<https://x.io/p3>; rel="next"' }
            : {},
        );
        const records =
          position.type === 'link' && position.url === '/query/01g-4'
            ? items.slice(4, 6)
            : items.slice(6);
        return Promise.resolve({ body: { records }, headers });
      },
      items: (body) => body.records,
    });
    expect(pages).toEqual([items.slice(0, 4), items.slice(4, 6), items.slice(6)]);
    expect(requests.map((request) => request.position)).toEqual([
      undefined,
      { type: 'link', url: '/query/01g-4' },
      { type: 'link', url: 'https://x.io/p3' },
    ]);
    expect(requests.map((request) => request.params)).toEqual([{ limit: 4 }, {}, {}]);
  });

  it('pages by offset until a short page, or until the total', async () => {
    const short = await collect<string[], string>({
      paging: { type: 'offset', offsetParam: 'offset', limitParam: 'count' },
      pageSize: 3,
      fetchPage: ({ params }) =>
        Promise.resolve({
          body: items.slice(
            Number(params['offset']),
            Number(params['offset']) + Number(params['count']),
          ),
        }),
      items: (body) => body,
    });
    expect(short.pages.flat()).toEqual(items);
    expect(short.requests.map((request) => request.params['offset'])).toEqual([0, 3, 6]);

    const exact = await collect<{ rows: string[]; total: number }, string>({
      paging: {
        type: 'offset',
        offsetParam: 'offset',
        limitParam: 'count',
        total: (body) => body.total,
      },
      pageSize: 3,
      fetchPage: ({ params }) =>
        Promise.resolve({
          body: {
            rows: items.slice(0, 6).slice(Number(params['offset']), Number(params['offset']) + 3),
            total: 6,
          },
        }),
      items: (body) => body.rows,
    });
    expect(exact.requests).toHaveLength(2);
    expect(exact.pages.flat()).toEqual(items.slice(0, 6));
  });

  it('refuses to loop on a cursor that does not advance', async () => {
    const pages = collect<{ results: string[] }, string>({
      paging: { type: 'cursor', cursorParam: 'after', nextCursor: () => 'same' },
      pageSize: 2,
      fetchPage: () => Promise.resolve({ body: { results: ['a'] } }),
      items: (body) => body.results,
    });
    await expect(pages).rejects.toThrow(/did not advance/);
  });

  it('stops when its signal is aborted', async () => {
    const controller = new AbortController();
    let fetched = 0;
    const iterate = async (): Promise<void> => {
      for await (const page of paginate({
        paging: { type: 'offset', offsetParam: 'o', limitParam: 'l' },
        pageSize: 1,
        signal: controller.signal,
        fetchPage: () => Promise.resolve({ body: [`p${fetched++}`] }),
        items: (body: string[]) => body,
      })) {
        if (page.items[0] === 'p1') controller.abort();
      }
    };
    await expect(iterate()).rejects.toMatchObject({ code: 'cancelled' });
    expect(fetched).toBe(2);
  });
});

describe('nextLinkFromHeader', () => {
  it('finds rel="next" among several links', () => {
    const headers = new Headers({ link: '<https://a/1>; rel="prev", <https://a/3>; rel="next"' });
    expect(nextLinkFromHeader(headers)).toBe('https://a/3');
    expect(nextLinkFromHeader(new Headers())).toBeUndefined();
  });
});
