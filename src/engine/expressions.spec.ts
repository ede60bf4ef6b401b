import {
  compileBounded,
  DEFAULT_EXPRESSION_BOUNDS,
  isBoundError,
  jsonataMessage,
  setExpressionBounds,
} from './expressions';

/** The longest the event loop went without running a 10 ms timer during `work`. */
async function longestStall(work: () => Promise<unknown>): Promise<number> {
  let last = performance.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 10);
  try {
    await work().catch(() => undefined);
  } finally {
    clearInterval(timer);
  }
  return Math.max(longest, performance.now() - last);
}

describe('bounded JSONata', () => {
  afterEach(() => {
    setExpressionBounds(DEFAULT_EXPRESSION_BOUNDS);
  });

  it.each([
    // A tail call: JSONata runs it as a loop, so time, not depth, stops it.
    ['endless recursion', '($f := function($x){ $f($x) }; $f(1))', 'D1012'],
    ['deep recursion', '($f := function($x){ 1 + $f($x) }; $f(1))', 'D1011'],
    ['a million-item map', '$join([1..1000000].("xxxxxxxxxx"))', 'D2015'],
    ['a string doubled past every bound', '($f := function($s){ $f($s & $s) }; $f("x"))', 'SIZE'],
    ['nine million items', '$count([1..3000].([1..3000]))', 'D2015'],
    ['a long loop', '($f := function($n){ $n > 0 ? $f($n - 1) : 0 }; [1..2000].$f(400))', 'D1012'],
  ])(
    'stops %s with a bound error, and the event loop keeps turning',
    async (_name, expression, code) => {
      // A bound other than time must be the one that stops it, however loaded the machine: time
      // is then given far more than the bound needs.
      if (code !== 'D1012')
        setExpressionBounds({ ...DEFAULT_EXPRESSION_BOUNDS, timeoutMs: 60_000 });
      const bounded = compileBounded(expression);
      let failure: unknown;
      const stall = await longestStall(async () => {
        try {
          await bounded.evaluate({ value: 'x', record: {} });
        } catch (error) {
          failure = error;
          throw error;
        }
      });
      expect(isBoundError(failure)).toBe(true);
      expect((failure as { code: string }).code).toBe(code);
      // Timers kept running: nothing held the loop for long (a second is the liveness bound).
      expect(stall).toBeLessThan(500);
    },
  );

  it('evaluates ordinary expressions as before', async () => {
    const bounded = compileBounded('$uppercase(value) & " " & record.city');
    await expect(bounded.evaluate({ value: 'ann', record: { city: 'Paris' } })).resolves.toBe(
      'ANN Paris',
    );
  });

  it('says where a parse error is, with its message and code', () => {
    let error: unknown;
    try {
      compileBounded('$uppercase(value');
    } catch (caught) {
      error = caught;
    }
    expect(jsonataMessage(error)).toBe(
      'Expected ")" before end of expression (at position 16) [S0203]',
    );
  });

  it('takes its time bound from the settings', async () => {
    setExpressionBounds({ timeoutMs: 50 });
    const bounded = compileBounded(
      '($f := function($n){ $n > 0 ? $f($n - 1) : 0 }; [1..100000].$f(100))',
    );
    await expect(bounded.evaluate({})).rejects.toMatchObject({ code: 'D1012' });
  });
});
