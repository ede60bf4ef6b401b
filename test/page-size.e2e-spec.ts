/**
 * SYNCLINE_PAGE_SIZE: the records a run reads, writes and commits at a time. The run's API calls
 * show it: the source read in pages of that size.
 */
import { randomUUID } from 'node:crypto';
import { memoryBackendNamed } from '../connectors/memory';
import { startTestApp, type TestApp } from './support/app';
import { createMemoryContactsSync, runSyncNow } from './support/api-helpers';

async function runWith(env: NodeJS.ProcessEnv): Promise<{ left: number; right: number }> {
  const app: TestApp = await startTestApp(env);
  try {
    const stores = { left: `ps-left-${randomUUID()}`, right: `ps-right-${randomUUID()}` };
    memoryBackendNamed(stores.left).seed(
      'contacts',
      Array.from({ length: 250 }, (_, index) => ({
        fields: { email: `p${String(index)}@example.com`, firstname: 'P' },
      })),
    );
    const syncId = await createMemoryContactsSync(app, stores, {
      name: 'Paged contacts',
      direction: 'left_to_right',
    });
    const run = await runSyncNow(app, syncId);
    expect(run.counters).toMatchObject({ read: 250, created: 250 });
    expect(memoryBackendNamed(stores.right).all('Contact')).toHaveLength(250);
    return run.counters.apiCalls;
  } finally {
    await app.stop();
  }
}

describe('SYNCLINE_PAGE_SIZE', () => {
  it('reads the source a page of that many records at a time', async () => {
    // 250 records: one page by default (500); three pages of 100 (100, 100, 50).
    const byDefault = await runWith({});
    const small = await runWith({ SYNCLINE_PAGE_SIZE: '100' });
    expect(small.left).toBe(byDefault.left + 2);
  });
});
