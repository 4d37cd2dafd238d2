/**
 * Count-up animation: a number moves from its old value to its new one with an
 * ease-out curve, in steps shown one per animation frame. Pure stepping (unit-tested)
 * plus a small driver on requestAnimationFrame.
 */

/** Ease-out cubic: fast at first, settling gently. */
export function easeOutCubic(t: number): number {
  const clamped = Math.min(1, Math.max(0, t));
  return 1 - (1 - clamped) ** 3;
}

/** The value shown `elapsed` ms into a count from `from` to `to` lasting `duration` ms. */
export function countUpValue(from: number, to: number, elapsed: number, duration: number, decimals = 0): number {
  if (duration <= 0 || elapsed >= duration || from === to) return to;
  const raw = from + (to - from) * easeOutCubic(elapsed / duration);
  const factor = 10 ** decimals;
  const rounded = Math.round(raw * factor) / factor;
  // Never overshoot the target because of rounding.
  return to >= from ? Math.min(rounded, to) : Math.max(rounded, to);
}

/** Every value shown, one per frame of `frameMs`, ending exactly on `to`. */
export function countUpSteps(from: number, to: number, duration: number, frameMs = 1000 / 60, decimals = 0): number[] {
  const steps: number[] = [];
  for (let elapsed = frameMs; ; elapsed += frameMs) {
    const value = countUpValue(from, to, elapsed, duration, decimals);
    if (value !== (steps.length > 0 ? steps[steps.length - 1] : from)) steps.push(value);
    if (elapsed >= duration) break;
  }
  if (steps[steps.length - 1] !== to) steps.push(to);
  return steps;
}

export interface Scheduler {
  now(): number;
  frame(callback: () => void): number;
  cancel(handle: number): void;
}

const browserScheduler: Scheduler = {
  now: () => performance.now(),
  frame: (callback) => requestAnimationFrame(() => callback()),
  cancel: (handle) => cancelAnimationFrame(handle),
};

/**
 * Animates one number: `set(to)` counts from what is shown now to `to`, calling
 * `render` with each value. A new target mid-way continues from the value shown.
 */
export class CountUp {
  private shown: number | null = null;
  private handle: number | null = null;

  constructor(
    private readonly render: (value: number) => void,
    private readonly options: { duration?: number; decimals?: number; scheduler?: Scheduler; reducedMotion?: () => boolean } = {},
  ) {}

  get value(): number | null {
    return this.shown;
  }

  set(to: number, from?: number): void {
    const scheduler = this.options.scheduler ?? browserScheduler;
    const decimals = this.options.decimals ?? 0;
    const duration = this.options.duration ?? 900;
    if (this.handle !== null) scheduler.cancel(this.handle);
    this.handle = null;
    const start = from ?? this.shown ?? 0;
    if (start === to || this.options.reducedMotion?.()) {
      this.shown = to;
      this.render(to);
      return;
    }
    const began = scheduler.now();
    const step = () => {
      const value = countUpValue(start, to, scheduler.now() - began, duration, decimals);
      this.shown = value;
      this.render(value);
      this.handle = value === to ? null : scheduler.frame(step);
    };
    step();
  }

  stop(): void {
    if (this.handle !== null) (this.options.scheduler ?? browserScheduler).cancel(this.handle);
    this.handle = null;
  }
}
