import { describe, expect, it } from 'vitest';
import { isoToLocalInput, localInputToIso } from '../../src/lib/localtime';

describe('datetime-local values in Istanbul time', () => {
  it('turns the shop’s wall-clock time into UTC and back', () => {
    expect(localInputToIso('2026-11-27T13:00')).toBe('2026-11-27T10:00:00.000Z');
    expect(isoToLocalInput('2026-11-27T10:00:00Z')).toBe('2026-11-27T13:00');
    expect(isoToLocalInput('2026-11-27T10:00:00.000Z')).toBe('2026-11-27T13:00');
  });

  it('follows a zone that changes its clocks', () => {
    expect(localInputToIso('2026-07-01T12:00', 'Europe/Berlin')).toBe('2026-07-01T10:00:00.000Z');
    expect(localInputToIso('2026-01-01T12:00', 'Europe/Berlin')).toBe('2026-01-01T11:00:00.000Z');
    expect(isoToLocalInput('2026-07-01T10:00:00Z', 'Europe/Berlin')).toBe('2026-07-01T12:00');
  });

  it('refuses what is not a date and time', () => {
    expect(localInputToIso('')).toBeNull();
    expect(localInputToIso('2026-02-30T10:00')).toBeNull();
    expect(localInputToIso('yarın')).toBeNull();
    expect(isoToLocalInput('not a date')).toBe('');
  });
});
