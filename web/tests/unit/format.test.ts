import { describe, expect, it } from 'vitest';
import { charCount, displayName, formatDateTime, formatMinutes, formatNumber, formatProviderDate, formatWait, initials, retryMinutes } from '../../src/lib/format';

describe('retryMinutes', () => {
  it('rounds the wait up to whole minutes', () => {
    expect(retryMinutes(1)).toBe(1);
    expect(retryMinutes(60)).toBe(1);
    expect(retryMinutes(61)).toBe(2);
    expect(retryMinutes(899)).toBe(15);
    expect(retryMinutes(900)).toBe(15);
  });

  it('never says zero minutes, even for odd input', () => {
    expect(retryMinutes(0)).toBe(1);
    expect(retryMinutes(-5)).toBe(1);
    expect(retryMinutes(Number.NaN)).toBe(1);
  });
});

describe('formatMinutes / formatWait', () => {
  it('speaks Turkish without a plural suffix', () => {
    expect(formatMinutes(1, 'tr')).toBe('1 dakika');
    expect(formatMinutes(15, 'tr')).toBe('15 dakika');
  });

  it('speaks English with singular and plural', () => {
    expect(formatMinutes(1, 'en')).toBe('1 minute');
    expect(formatMinutes(2, 'en')).toBe('2 minutes');
  });

  it('turns retryAfter seconds into words', () => {
    expect(formatWait(840, 'tr')).toBe('14 dakika');
    expect(formatWait(30, 'en')).toBe('1 minute');
  });
});

describe('formatDateTime', () => {
  it('shows the time in Istanbul (UTC+3), in the language chosen', () => {
    expect(formatDateTime('2024-01-15T10:00:00Z', 'tr')).toBe('15 Ocak 2024 13:00');
    expect(formatDateTime('2024-07-01T21:30:00+00:00', 'en')).toMatch(/2 July 2024.*00:30/);
  });

  it('gives unparsable input back as it is', () => {
    expect(formatDateTime('yesterday', 'tr')).toBe('yesterday');
  });
});

describe('displayName / initials', () => {
  it('falls back to the e-mail address while the name is empty', () => {
    expect(displayName({ name: '  ', email: 'owner@example.com' })).toBe('owner@example.com');
    expect(displayName({ name: ' Ayşe Yılmaz ', email: 'a@example.com' })).toBe('Ayşe Yılmaz');
  });

  it('takes up to two letters, upper-cased the Turkish way', () => {
    expect(initials('Ayşe Yılmaz')).toBe('AY');
    expect(initials('ismail çelik')).toBe('İÇ');
    expect(initials('ismail çelik', 'en')).toBe('IÇ');
    expect(initials('Ali Veli Deli')).toBe('AV');
    expect(initials('owner@example.com')).toBe('O');
    expect(initials('')).toBe('?');
  });
});

describe('charCount', () => {
  it('counts characters as the server does (code points, not UTF-16 units)', () => {
    expect(charCount('parola')).toBe(6);
    expect(charCount('çığ')).toBe(3);
    expect(charCount('🔒🔒')).toBe(2);
    expect('🔒🔒'.length).toBe(4);
  });
});

describe('formatProviderDate', () => {
  it('shows a provider’s calendar day as a day, a timestamp as date and time', () => {
    expect(formatProviderDate('2026-11-26', 'tr')).toBe('26 Kasım 2026');
    expect(formatProviderDate('2026-11-26', 'en')).toBe('26 November 2026');
    expect(formatProviderDate('2026-11-26T09:30:00Z', 'tr')).toBe('26 Kasım 2026 12:30');
    expect(formatProviderDate('dün', 'tr')).toBe('dün');
  });
});

describe('formatNumber', () => {
  it('writes numbers the language’s way, with at most the decimals asked for', () => {
    expect(formatNumber(1234, 'tr')).toBe('1.234');
    expect(formatNumber(1234, 'en')).toBe('1,234');
    expect(formatNumber(4.567, 'tr', 2)).toBe('4,57');
    expect(formatNumber(4.567, 'en', 2)).toBe('4.57');
  });
});
