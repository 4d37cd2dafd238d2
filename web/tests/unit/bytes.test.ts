import { describe, expect, it } from 'vitest';
import { bytesToNumber, formatBytes, parseBytes } from '../../src/lib/bytes';

describe('parseBytes', () => {
  it('reads BigInt decimal strings exactly, beyond 2^53', () => {
    expect(parseBytes('0')).toBe(0n);
    expect(parseBytes('25000000000')).toBe(25_000_000_000n);
    expect(parseBytes('9007199254740993')).toBe(9007199254740993n); // 2^53 + 1
    expect(parseBytes('123456789012345678901234567890')).toBe(123456789012345678901234567890n);
    expect(parseBytes(1500)).toBe(1500n);
    expect(parseBytes(12n)).toBe(12n);
  });

  it('gives null, never throws, for what is not a whole number', () => {
    for (const value of ['', '1.5', '12 MB', 'abc', null, undefined, {}, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(parseBytes(value)).toBeNull();
    }
  });

  it('converts to a number for arithmetic', () => {
    expect(bytesToNumber('3503174')).toBe(3503174);
    expect(bytesToNumber('x')).toBeNull();
  });
});

describe('formatBytes', () => {
  it('uses decimal units with Turkish number formatting', () => {
    expect(formatBytes('2500000000', 'tr')).toBe('2,5 GB');
    expect(formatBytes('1519157', 'tr')).toBe('1,5 MB');
    expect(formatBytes('15728640', 'tr')).toBe('15,7 MB');
    expect(formatBytes('249197', 'tr')).toBe('249 kB');
    expect(formatBytes('1000', 'tr')).toBe('1 kB');
    expect(formatBytes('25000000000', 'tr')).toBe('25 GB');
    expect(formatBytes('512', 'tr')).toBe('512 bayt');
    expect(formatBytes('0', 'tr')).toBe('0 bayt');
  });

  it('writes English with a decimal point', () => {
    expect(formatBytes('2500000000', 'en')).toBe('2.5 GB');
    expect(formatBytes('1', 'en')).toBe('1 byte');
    expect(formatBytes('999', 'en')).toBe('999 bytes');
    expect(formatBytes('123456789', 'en')).toBe('123 MB');
  });

  it('rounds up to the next unit rather than writing 1.000 kB', () => {
    expect(formatBytes('999960', 'tr')).toBe('1 MB');
    expect(formatBytes('999499', 'tr')).toBe('999 kB');
  });

  it('handles huge values without throwing (exactness is not needed to display)', () => {
    expect(formatBytes('9007199254740993', 'tr')).toBe('9 PB');
    expect(formatBytes('123456789012345678901234567890', 'en')).toMatch(/ EB$/);
    expect(formatBytes('-2500000000', 'tr')).toBe('-2,5 GB');
  });

  it('shows a dash for values that are not byte counts', () => {
    expect(formatBytes(null, 'tr')).toBe('—');
    expect(formatBytes('bozuk', 'en')).toBe('—');
  });
});
