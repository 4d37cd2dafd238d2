import { describe, expect, it } from 'vitest';
import { barPercent, formatPercent, usageLevel } from '../../src/lib/meter';

describe('usageLevel', () => {
  it('turns amber at 80 % and red at 95 %', () => {
    expect(usageLevel(0)).toBe('normal');
    expect(usageLevel(79.9)).toBe('normal');
    expect(usageLevel(80)).toBe('warning');
    expect(usageLevel(94.9)).toBe('warning');
    expect(usageLevel(95)).toBe('danger');
    expect(usageLevel(100)).toBe('danger');
    expect(usageLevel(140)).toBe('danger');
  });

  it('treats nonsense as normal', () => {
    expect(usageLevel(Number.NaN)).toBe('normal');
  });
});

describe('barPercent', () => {
  it('fills the bar between 0 and 100', () => {
    expect(barPercent(-3)).toBe(0);
    expect(barPercent(42.5)).toBe(42.5);
    expect(barPercent(130)).toBe(100);
    expect(barPercent(Number.NaN)).toBe(0);
  });
});

describe('formatPercent', () => {
  it('writes percentages the Turkish way (sign first) and the English way', () => {
    expect(formatPercent(87.5, 'tr')).toBe('%87,5');
    expect(formatPercent(0, 'tr')).toBe('%0');
    expect(formatPercent(87.5, 'en')).toBe('87.5%');
  });
});
