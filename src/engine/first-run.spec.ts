import { describeMatch, firstRunWait } from './first-run';
import { previewSync } from './preview';
import { contactSync, createEngineHarness } from './testing/harness.test-kit';

describe('the first run guard', () => {
  function seeded() {
    const h = createEngineHarness();
    h.left.seed('contacts', [
      { id: 'c1', fields: { email: 'ann@example.com', firstName: 'Ann' } },
      { id: 'c2', fields: { email: 'bob@example.com', firstName: 'Bob' } },
      { id: 'c3', fields: { email: 'cyd@example.com', firstName: 'Cyd' } },
      { id: 'c4', fields: { email: 'dee@example.com', firstName: 'Dee' } },
    ]);
    h.right.seed('leads', [
      { id: 'l1', fields: { email: 'ANN@example.com', first_name: 'Ann' } },
      { id: 'l2', fields: { email: 'zed@example.com', first_name: 'Zed' } },
    ]);
    return h;
  }

  it('estimates the match per source side in a preview', async () => {
    const h = seeded();
    const preview = await previewSync({
      definition: contactSync(),
      left: h.leftConnector,
      right: h.rightConnector,
      store: h.store,
    });
    expect(preview.matching).toEqual({
      left: { considered: 4, linked: 0, matched: 1, created: 3, ambiguous: 0 },
      right: { considered: 2, linked: 0, matched: 1, created: 1, ambiguous: 0 },
    });
    expect(describeMatch('left', preview.matching.left)).toBe(
      '1 of 4 left records match a right record (25%); 3 would be created on the right',
    );
    expect(describeMatch('right', preview.matching.right)).toBe(
      '1 of 2 right records match a left record (50%); 1 would be created on the left',
    );
  });

  it('waits when a side would create more than the share without a match, and writes nothing', async () => {
    const h = seeded();
    const options = {
      definition: contactSync(),
      left: h.leftConnector,
      right: h.rightConnector,
      store: h.store,
    };
    const reason = await firstRunWait({ ...options, maxUnmatched: 0.5 });
    expect(reason).toBe(
      'The first run waits for confirmation: on a sample, 1 of 4 left records match a right record (25%); 3 would be created on the right (more than 50% without a match). Check the match rule (field, normaliser), then confirm the first run.',
    );
    // The right side's 50% is not more than 50%; at 75% neither side is over.
    expect(await firstRunWait({ ...options, maxUnmatched: 0.75 })).toBeUndefined();
    expect(h.writes()).toBe(0);
    expect(h.store.commits).toBe(0);
  });

  it('does not wait for a sync that only updates, nor for empty sources', async () => {
    const h = seeded();
    const updateOnly = contactSync({
      direction: 'left_to_right',
      right: { object: 'leads', writeMode: 'update' },
    });
    expect(
      await firstRunWait({
        definition: updateOnly,
        left: h.leftConnector,
        right: h.rightConnector,
        store: h.store,
        maxUnmatched: 0,
      }),
    ).toBeUndefined();
    const empty = createEngineHarness();
    expect(
      await firstRunWait({
        definition: contactSync(),
        left: empty.leftConnector,
        right: empty.rightConnector,
        store: empty.store,
        maxUnmatched: 0,
      }),
    ).toBeUndefined();
  });
});
