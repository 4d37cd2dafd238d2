/**
 * The moderation queue's logic: its two lists and what a moderator's action changes in
 * each (pure: unit-tested).
 */
import type { ReviewItemFragment, ReviewStatus } from '../../generated/graphql';

export type Review = ReviewItemFragment;

/** The status the queue shows; ALL shows every status. */
export type Filter = ReviewStatus | 'ALL';

/**
 * The reported reviews of any status come first, in a list of their own; the queue
 * holds the rest, so that a review shows once and each list counts only its own.
 */
export type Section = 'reported' | 'queue';

export const SECTIONS: readonly Section[] = ['reported', 'queue'];

/** What a section's `Reviews` query asks for (paging aside). */
export function sectionVariables(section: Section, filter: Filter): { status: ReviewStatus | null; flagged: boolean } {
  if (section === 'reported') return { status: null, flagged: true };
  return { status: filter === 'ALL' ? null : filter, flagged: false };
}

/** Whether a review, as it is now, belongs in `section`. */
export function belongsIn(section: Section, review: Pick<Review, 'status' | 'flagged'>, filter: Filter): boolean {
  if (section === 'reported') return review.flagged;
  return !review.flagged && (filter === 'ALL' || review.status === filter);
}

/** What a section does with a review an action changed. */
export type SectionChange = 'none' | 'update' | 'remove' | 'reload';

/**
 * The change in each section after moderating a review (approving or rejecting clears
 * its reports, so a reported review moves down to the queue). `listed` tells which
 * sections show it now.
 */
export function changesAfter(
  review: Pick<Review, 'status' | 'flagged'>,
  filter: Filter,
  listed: Readonly<Record<Section, boolean>>,
): Record<Section, SectionChange> {
  const change = (section: Section): SectionChange => {
    if (!belongsIn(section, review, filter)) return listed[section] ? 'remove' : 'none';
    // Its place among the others (newest first) is known to the server only, as it
    // may fall on a page not loaded yet.
    return listed[section] ? 'update' : 'reload';
  };
  return { reported: change('reported'), queue: change('queue') };
}

/** The approve button of a review: approving an approved one again keeps it published and clears its reports. */
export type ApproveAction = 'approve' | 'keep' | null;

export function approveAction(review: Pick<Review, 'status' | 'flagged'>): ApproveAction {
  if (review.status !== 'APPROVED') return 'approve';
  return review.flagged ? 'keep' : null;
}
