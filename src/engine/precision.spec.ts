import { laterSide, tieNote } from './precision';

describe('laterSide', () => {
  it('compares exact stamps at millisecond precision', () => {
    expect(laterSide('2024-03-01T10:00:00.300Z', '2024-03-01T10:00:00.299Z')).toBe('left');
    expect(laterSide('2024-03-01T10:00:00.300Z', '2024-03-01T10:00:00.301Z')).toBe('right');
    expect(laterSide('2024-03-01T10:00:00.300Z', '2024-03-01T10:00:00.300Z')).toBe('tie');
  });

  it('calls stamps within the same coarser unit a tie', () => {
    // A whole-second side's .900 change reads .000; the millisecond side's is .300.
    expect(laterSide('2024-03-01T10:00:00.300Z', '2024-03-01T10:00:00.000Z', 1000)).toBe('tie');
    expect(laterSide('2024-03-01T10:00:00.999Z', '2024-03-01T10:00:00.000Z', 1000)).toBe('tie');
    expect(laterSide('2024-03-01T10:00:01.000Z', '2024-03-01T10:00:00.000Z', 1000)).toBe('left');
    expect(laterSide('2024-03-01T09:59:59.999Z', '2024-03-01T10:00:00.000Z', 1000)).toBe('right');
  });

  it('calls an unreadable stamp a tie rather than guessing', () => {
    expect(laterSide('not a date', '2024-03-01T10:00:00.000Z', 1000)).toBe('tie');
  });

  it('says in the note which fields tied, at which precision, and who decided', () => {
    expect(tieNote('jobtitle ↔ Title', 1000, 'right')).toMatch(
      /jobtitle ↔ Title within the same 1 s .* tie-breaker \(right\)/,
    );
    expect(tieNote('a ↔ b', 10, 'left')).toMatch(/within the same 10 ms/);
  });
});
