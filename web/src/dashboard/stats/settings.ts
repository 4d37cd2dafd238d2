/** The statistics settings form's logic (pure: unit-tested). */
import type { StatSettingsFieldsFragment, StatSettingsInput } from '../../generated/graphql';

export type Settings = StatSettingsFieldsFragment;

/** What the form holds: numbers as typed. */
export interface SettingsDraft {
  completedJobsBase: string;
  happyCustomersBase: string;
  contactMessagesBase: string;
  foundedYear: string;
  happyThreshold: string;
  autoApproveReviews: boolean;
  countReviewsAsJobs: boolean;
  countVisitsAsJobs: boolean;
}

export const BASE_MAX = 1_000_000_000;
export const FOUNDED_MIN = 1800;

export type NumberField = 'completedJobsBase' | 'happyCustomersBase' | 'contactMessagesBase' | 'foundedYear' | 'happyThreshold';

export function draftOf(settings: Settings): SettingsDraft {
  return {
    completedJobsBase: String(settings.completedJobsBase),
    happyCustomersBase: String(settings.happyCustomersBase),
    contactMessagesBase: String(settings.contactMessagesBase),
    foundedYear: String(settings.foundedYear),
    happyThreshold: String(settings.happyThreshold),
    autoApproveReviews: settings.autoApproveReviews,
    countReviewsAsJobs: settings.countReviewsAsJobs,
    countVisitsAsJobs: settings.countVisitsAsJobs,
  };
}

export type SettingsProblem =
  | { field: NumberField; key: 'settings.needNumber' }
  | { field: NumberField; key: 'error.baseRange' }
  | { field: 'foundedYear'; key: 'error.foundedYearRange'; min: number; max: number }
  | { field: 'happyThreshold'; key: 'error.thresholdRange' };

function whole(text: string): number | null {
  const trimmed = text.trim();
  return /^-?\d+$/.test(trimmed) ? Number(trimmed) : null;
}

/**
 * The changes to send (only what differs from `saved`), or the first problem. An
 * empty input means "nothing to change" (the API's fields are all optional).
 */
export function settingsChanges(
  saved: Settings,
  draft: SettingsDraft,
  thisYear: number,
): { ok: true; input: StatSettingsInput } | { ok: false; problem: SettingsProblem } {
  const input: StatSettingsInput = {};
  for (const field of ['completedJobsBase', 'happyCustomersBase', 'contactMessagesBase'] as const) {
    const value = whole(draft[field]);
    if (value === null) return { ok: false, problem: { field, key: 'settings.needNumber' } };
    if (value < 0 || value > BASE_MAX) return { ok: false, problem: { field, key: 'error.baseRange' } };
    if (value !== saved[field]) input[field] = value;
  }
  const year = whole(draft.foundedYear);
  if (year === null) return { ok: false, problem: { field: 'foundedYear', key: 'settings.needNumber' } };
  if (year < FOUNDED_MIN || year > thisYear) {
    return { ok: false, problem: { field: 'foundedYear', key: 'error.foundedYearRange', min: FOUNDED_MIN, max: thisYear } };
  }
  if (year !== saved.foundedYear) input.foundedYear = year;
  const threshold = whole(draft.happyThreshold);
  if (threshold === null || threshold < 1 || threshold > 5) return { ok: false, problem: { field: 'happyThreshold', key: 'error.thresholdRange' } };
  if (threshold !== saved.happyThreshold) input.happyThreshold = threshold;
  for (const field of ['autoApproveReviews', 'countReviewsAsJobs', 'countVisitsAsJobs'] as const) {
    if (draft[field] !== saved[field]) input[field] = draft[field];
  }
  return { ok: true, input };
}

/** The calendar year in Istanbul (the server's "this year"). */
export function istanbulYear(now: Date = new Date()): number {
  return Number(new Intl.DateTimeFormat('en', { timeZone: 'Europe/Istanbul', year: 'numeric' }).format(now));
}
