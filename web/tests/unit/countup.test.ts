import { describe, expect, it } from 'vitest';
import { countUpSteps, countUpValue, CountUp, easeOutCubic, type Scheduler } from '../../src/lib/countup';

describe('countUpValue', () => {
  it('starts at the old value, ends exactly on the new one', () => {
    expect(countUpValue(10, 110, 0, 1000)).toBe(10);
    expect(countUpValue(10, 110, 1000, 1000)).toBe(110);
    expect(countUpValue(10, 110, 5000, 1000)).toBe(110);
  });

  it('eases out: most of the way early, settling at the end', () => {
    expect(easeOutCubic(0.5)).toBeCloseTo(0.875);
    expect(countUpValue(0, 100, 500, 1000)).toBe(88);
    expect(countUpValue(0, 100, 900, 1000)).toBe(100);
  });

  it('counts down too, and keeps decimals (satisfaction: one)', () => {
    expect(countUpValue(100, 0, 500, 1000)).toBe(13);
    expect(countUpValue(90, 96.5, 250, 1000, 1)).toBe(93.8);
  });

  it('jumps when there is nothing to animate', () => {
    expect(countUpValue(5, 5, 10, 1000)).toBe(5);
    expect(countUpValue(0, 7, 10, 0)).toBe(7);
  });
});

describe('countUpSteps', () => {
  it('moves monotonically to the target in frame-sized steps without overshooting', () => {
    const steps = countUpSteps(0, 250, 1000);
    expect(steps[steps.length - 1]).toBe(250);
    for (let i = 1; i < steps.length; i++) expect(steps[i]!).toBeGreaterThan(steps[i - 1]!);
    expect(Math.max(...steps)).toBe(250);
    expect(steps.length).toBeGreaterThan(20);
    expect(steps.length).toBeLessThanOrEqual(61);
  });

  it('takes one step per whole number at most for small changes', () => {
    expect(countUpSteps(41, 42, 900)).toEqual([42]);
    expect(countUpSteps(3, 1, 900)).toEqual([2, 1]);
  });
});

describe('CountUp', () => {
  function fakeScheduler() {
    let now = 0;
    let queued: Array<() => void> = [];
    const scheduler: Scheduler = {
      now: () => now,
      frame: (cb) => {
        queued.push(cb);
        return queued.length;
      },
      cancel: () => {
        queued = [];
      },
    };
    const advance = (ms: number) => {
      now += ms;
      const run = queued;
      queued = [];
      for (const cb of run) cb();
    };
    return { scheduler, advance, pending: () => queued.length };
  }

  it('renders each frame’s value and stops on the target', () => {
    const { scheduler, advance, pending } = fakeScheduler();
    const shown: number[] = [];
    const counter = new CountUp((n) => shown.push(n), { duration: 100, scheduler });
    counter.set(50);
    expect(shown).toEqual([0]);
    advance(50);
    advance(50);
    expect(shown[shown.length - 1]).toBe(50);
    expect(pending()).toBe(0);
    expect(counter.value).toBe(50);
  });

  it('continues from what is shown when the target changes mid-way', () => {
    const { scheduler, advance } = fakeScheduler();
    const shown: number[] = [];
    const counter = new CountUp((n) => shown.push(n), { duration: 100, scheduler });
    counter.set(100);
    advance(50);
    const midway = counter.value!;
    expect(midway).toBeGreaterThan(0);
    counter.set(10);
    expect(shown[shown.length - 1]).toBe(midway);
    advance(100);
    expect(counter.value).toBe(10);
  });

  it('jumps straight to the value when motion is reduced', () => {
    const { scheduler, pending } = fakeScheduler();
    const shown: number[] = [];
    const counter = new CountUp((n) => shown.push(n), { scheduler, reducedMotion: () => true });
    counter.set(1234);
    expect(shown).toEqual([1234]);
    expect(pending()).toBe(0);
  });
});
