import { describe, expect, it } from 'vitest';
import { draftOf, istanbulYear, settingsChanges, type Settings } from '../../src/dashboard/stats/settings';

const saved: Settings = {
  completedJobsBase: 0,
  happyCustomersBase: 0,
  contactMessagesBase: 0,
  foundedYear: 2010,
  happyThreshold: 4,
  autoApproveReviews: false,
  countReviewsAsJobs: true,
  countVisitsAsJobs: true,
};

describe('settingsChanges', () => {
  it('sends only what changed', () => {
    expect(settingsChanges(saved, draftOf(saved), 2026)).toEqual({ ok: true, input: {} });
    const draft = { ...draftOf(saved), completedJobsBase: '120', countVisitsAsJobs: false, happyThreshold: '4' };
    expect(settingsChanges(saved, draft, 2026)).toEqual({ ok: true, input: { completedJobsBase: 120, countVisitsAsJobs: false } });
  });

  it('explains the first problem, on its field', () => {
    expect(settingsChanges(saved, { ...draftOf(saved), happyCustomersBase: 'çok' }, 2026)).toEqual({ ok: false, problem: { field: 'happyCustomersBase', key: 'settings.needNumber' } });
    expect(settingsChanges(saved, { ...draftOf(saved), completedJobsBase: '-1' }, 2026)).toMatchObject({ ok: false, problem: { field: 'completedJobsBase', key: 'error.baseRange' } });
    expect(settingsChanges(saved, { ...draftOf(saved), foundedYear: '2030' }, 2026)).toEqual({
      ok: false,
      problem: { field: 'foundedYear', key: 'error.foundedYearRange', min: 1800, max: 2026 },
    });
    expect(settingsChanges(saved, { ...draftOf(saved), happyThreshold: '6' }, 2026)).toMatchObject({ ok: false, problem: { field: 'happyThreshold' } });
    expect(settingsChanges(saved, { ...draftOf(saved), foundedYear: '1999.5' }, 2026)).toMatchObject({ ok: false, problem: { key: 'settings.needNumber' } });
  });

  it('knows the year in Istanbul', () => {
    expect(istanbulYear(new Date('2026-12-31T21:30:00Z'))).toBe(2027);
    expect(istanbulYear(new Date('2026-12-31T20:30:00Z'))).toBe(2026);
  });
});
