import { FakeClock } from './clock';
import { createFactCache } from './facts';

describe('createFactCache', () => {
  it('loads a fact once while fresh, again after its time or a clear', async () => {
    const clock = new FakeClock();
    const facts = createFactCache({ ttlMs: 1000, clock });
    let loads = 0;
    const load = (): Promise<number> => Promise.resolve(++loads);
    expect(await facts.remember('fields:Contact', load)).toBe(1);
    expect(await facts.remember('fields:Contact', load)).toBe(1);
    expect(await facts.remember('fields:Lead', load)).toBe(2);
    clock.set(clock.now().getTime() + 1000);
    expect(await facts.remember('fields:Contact', load)).toBe(3);
    facts.clear();
    expect(await facts.remember('fields:Contact', load)).toBe(4);
  });

  it('keeps no failed load: the next use tries again', async () => {
    const facts = createFactCache();
    await expect(facts.remember('x', () => Promise.reject(new Error('down')))).rejects.toThrow(
      'down',
    );
    await expect(facts.remember('x', () => Promise.resolve('up'))).resolves.toBe('up');
  });
});
