import { describe, expect, it } from 'vitest';
import { formatAverage, formatRating } from '../../src/dashboard/catalog/rating';

describe('formatAverage', () => {
  it('shows one decimal, even a zero one', () => {
    expect(formatAverage(4.3, 'tr')).toBe('4,3');
    expect(formatAverage(4.3, 'en')).toBe('4.3');
    expect(formatAverage(4, 'tr')).toBe('4,0');
    expect(formatAverage(5, 'en')).toBe('5.0');
  });
});

describe('formatRating', () => {
  it('gives the average, a star and the count', () => {
    expect(formatRating({ average: 4.3, count: 12 }, 'tr')).toBe('4,3 ★ (12)');
    expect(formatRating({ average: 4.3, count: 12 }, 'en')).toBe('4.3 ★ (12)');
    expect(formatRating({ average: 1, count: 1 }, 'en')).toBe('1.0 ★ (1)');
  });

  it('groups a large count the way the language does', () => {
    expect(formatRating({ average: 3.9, count: 1234 }, 'tr')).toBe('3,9 ★ (1.234)');
    expect(formatRating({ average: 3.9, count: 1234 }, 'en')).toBe('3.9 ★ (1,234)');
  });

  it('shows nothing for a product without reviews', () => {
    expect(formatRating({ average: 0, count: 0 }, 'tr')).toBeNull();
  });
});
