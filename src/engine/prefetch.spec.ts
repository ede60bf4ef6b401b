import { gathered, readAhead } from './prefetch';

describe('readAhead', () => {
  it('asks for the next page while the current one is processed, in order', async () => {
    const asked: number[] = [];
    async function* pages(): AsyncGenerator<number> {
      for (let page = 1; page <= 3; page++) {
        asked.push(page);
        await Promise.resolve();
        yield page;
      }
    }
    const seen: Array<{ page: number; askedBefore: number[] }> = [];
    for await (const page of readAhead(pages())) {
      // Give the read ahead its turn, as a page's awaits (Postgres, the vendor) do.
      await new Promise((resolve) => setImmediate(resolve));
      seen.push({ page, askedBefore: [...asked] });
    }
    expect(seen.map((entry) => entry.page)).toEqual([1, 2, 3]);
    // While page 1 was processed, page 2 was already being read.
    expect(seen[0]?.askedBefore).toEqual([1, 2]);
  });

  it('throws a failed read when its page is reached, and closes the read when stopped early', async () => {
    async function* failing(): AsyncGenerator<number> {
      yield await Promise.resolve(1);
      throw new Error('vendor down');
    }
    const got: number[] = [];
    await expect(
      (async () => {
        for await (const page of readAhead(failing())) got.push(page);
      })(),
    ).rejects.toThrow('vendor down');
    expect(got).toEqual([1]);

    let closed = false;
    async function* endless(): AsyncGenerator<number> {
      try {
        for (let page = 1; ; page++) yield await Promise.resolve(page);
      } finally {
        closed = true;
      }
    }
    for await (const page of readAhead(endless())) if (page === 2) break;
    expect(closed).toBe(true);
  });
});

describe('gathered', () => {
  async function* vendorPages(
    sizes: number[],
  ): AsyncGenerator<{ records: number[]; checkpoint: { page: number } }> {
    let next = 0;
    for (const [page, size] of sizes.entries()) {
      const records = Array.from({ length: size }, () => next++);
      yield await Promise.resolve({ records, checkpoint: { page } });
    }
  }

  it('joins small vendor pages into run pages, each with the checkpoint of its last part', async () => {
    const pages: { records: number[]; checkpoint: Record<string, unknown> }[] = [];
    for await (const page of gathered(vendorPages([2, 2, 2, 1, 3]), 4)) pages.push(page);
    expect(pages).toEqual([
      { records: [0, 1, 2, 3], checkpoint: { page: 1 } },
      { records: [4, 5, 6, 7, 8, 9], checkpoint: { page: 4 } },
    ]);
  });

  it('hands out the rest, and an empty last vendor page, with the last checkpoint', async () => {
    const pages: { records: number[]; checkpoint: Record<string, unknown> }[] = [];
    for await (const page of gathered(vendorPages([3, 0]), 5)) pages.push(page);
    expect(pages).toEqual([{ records: [0, 1, 2], checkpoint: { page: 1 } }]);
  });
});
