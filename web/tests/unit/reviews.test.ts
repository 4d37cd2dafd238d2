import { describe, expect, it } from 'vitest';
import type { ReviewStatus } from '../../src/generated/graphql';
import { approveAction, belongsIn, changesAfter, sectionVariables, type Filter } from '../../src/dashboard/stats/reviews';

const review = (status: ReviewStatus, flagged = false) => ({ status, flagged });

describe('sectionVariables', () => {
  it('asks for the reported reviews of any status, whatever the filter', () => {
    expect(sectionVariables('reported', 'PENDING')).toEqual({ status: null, flagged: true });
    expect(sectionVariables('reported', 'ALL')).toEqual({ status: null, flagged: true });
  });

  it('leaves the reported ones out of the queue, so that none shows twice', () => {
    expect(sectionVariables('queue', 'PENDING')).toEqual({ status: 'PENDING', flagged: false });
    expect(sectionVariables('queue', 'ALL')).toEqual({ status: null, flagged: false });
  });
});

describe('belongsIn', () => {
  it('puts a reported review on top only, whatever its status', () => {
    for (const filter of ['PENDING', 'APPROVED', 'ALL'] as Filter[]) {
      expect(belongsIn('reported', review('APPROVED', true), filter)).toBe(true);
      expect(belongsIn('queue', review('APPROVED', true), filter)).toBe(false);
    }
  });

  it('puts the others in the queue when the filter shows their status', () => {
    expect(belongsIn('reported', review('PENDING'), 'PENDING')).toBe(false);
    expect(belongsIn('queue', review('PENDING'), 'PENDING')).toBe(true);
    expect(belongsIn('queue', review('APPROVED'), 'PENDING')).toBe(false);
    expect(belongsIn('queue', review('REJECTED'), 'ALL')).toBe(true);
  });
});

describe('changesAfter', () => {
  it('takes an approved review out of the pending queue', () => {
    expect(changesAfter(review('APPROVED'), 'PENDING', { reported: false, queue: true })).toEqual({ reported: 'none', queue: 'remove' });
  });

  it('changes a review in place while the filter still shows it', () => {
    expect(changesAfter(review('REJECTED'), 'ALL', { reported: false, queue: true })).toEqual({ reported: 'none', queue: 'update' });
  });

  it('moves a reported review that was kept or rejected down to the queue, reloaded for its place', () => {
    expect(changesAfter(review('APPROVED'), 'APPROVED', { reported: true, queue: false })).toEqual({ reported: 'remove', queue: 'reload' });
    expect(changesAfter(review('REJECTED'), 'ALL', { reported: true, queue: false })).toEqual({ reported: 'remove', queue: 'reload' });
  });

  it('leaves the queue alone when its filter does not show the moderated review', () => {
    expect(changesAfter(review('APPROVED'), 'PENDING', { reported: true, queue: false })).toEqual({ reported: 'remove', queue: 'none' });
    expect(changesAfter(review('REJECTED'), 'APPROVED', { reported: false, queue: false })).toEqual({ reported: 'none', queue: 'none' });
  });

  it('keeps a review that is still reported on top', () => {
    expect(changesAfter(review('APPROVED', true), 'ALL', { reported: true, queue: false })).toEqual({ reported: 'update', queue: 'none' });
    expect(changesAfter(review('APPROVED', true), 'ALL', { reported: false, queue: true })).toEqual({ reported: 'reload', queue: 'remove' });
  });
});

describe('approveAction', () => {
  it('approves what is not approved yet', () => {
    expect(approveAction(review('PENDING'))).toBe('approve');
    expect(approveAction(review('REJECTED'))).toBe('approve');
    expect(approveAction(review('PENDING', true))).toBe('approve');
  });

  it('keeps a reported approved review published (clearing its reports), and offers nothing for an unreported one', () => {
    expect(approveAction(review('APPROVED', true))).toBe('keep');
    expect(approveAction(review('APPROVED'))).toBeNull();
  });
});
