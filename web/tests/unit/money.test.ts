import { describe, expect, it } from 'vitest';
import { formatKurus, kurusInputValue, MAX_FEE_KURUS, MAX_PRICE_KURUS, parseLira } from '../../src/lib/money';

const kurus = (text: string) => {
  const parsed = parseLira(text);
  return parsed.ok ? parsed.kurus : parsed.problem;
};

describe('parseLira', () => {
  it('reads Turkish and English writing into kuruş', () => {
    expect(kurus('1.299,90')).toBe('129990');
    expect(kurus('1299,90')).toBe('129990');
    expect(kurus('1299.90')).toBe('129990');
    expect(kurus('1,299.90')).toBe('129990');
    expect(kurus('1299,9')).toBe('129990');
    expect(kurus('1299')).toBe('129900');
    expect(kurus('0,05')).toBe('5');
    expect(kurus('0')).toBe('0');
    expect(kurus('1.299.000')).toBe('129900000');
    expect(kurus('1 299,90')).toBe('129990');
  });

  it('takes the currency written around the number', () => {
    expect(kurus('₺1.299,90')).toBe('129990');
    expect(kurus('1.299,90 ₺')).toBe('129990');
    expect(kurus('1299 TL')).toBe('129900');
  });

  it('refuses negatives', () => {
    expect(kurus('-5')).toBe('negative');
    expect(kurus('−5,00')).toBe('negative');
  });

  it('refuses more than two decimals, a lone separator before three digits included', () => {
    expect(kurus('12,345')).toBe('decimals');
    expect(kurus('1.299')).toBe('decimals');
    expect(kurus('0.999')).toBe('decimals');
    expect(kurus('1.299,999')).toBe('decimals');
  });

  it('refuses more than 10,000,000 ₺, exactly', () => {
    expect(kurus('10.000.000')).toBe(MAX_PRICE_KURUS.toString());
    expect(kurus('10.000.000,00')).toBe('1000000000');
    expect(kurus('10.000.000,01')).toBe('tooLarge');
    expect(kurus('99999999999999999999999')).toBe('tooLarge');
  });

  it('takes a lower limit where a field has one (the shop’s fees: 1,000,000 ₺)', () => {
    const fee = (text: string) => {
      const parsed = parseLira(text, MAX_FEE_KURUS);
      return parsed.ok ? parsed.kurus : parsed.problem;
    };
    expect(fee('49,90')).toBe('4990');
    expect(fee('1.000.000')).toBe('100000000');
    expect(fee('1.000.000,01')).toBe('tooLarge');
    expect(kurus('1.000.000,01')).toBe('100000001');
  });

  it('refuses what is not a price', () => {
    expect(kurus('')).toBe('empty');
    expect(kurus('   ')).toBe('empty');
    expect(kurus('abc')).toBe('invalid');
    expect(kurus('12a')).toBe('invalid');
    expect(kurus(',50')).toBe('invalid');
    expect(kurus('1.2.3')).toBe('invalid');
    expect(kurus('1,2.3,4')).toBe('invalid');
    expect(kurus('1.29,90')).toBe('invalid');
    expect(kurus('1e5')).toBe('invalid');
  });
});

describe('formatKurus', () => {
  it('writes amounts as the server does', () => {
    expect(formatKurus('129990', 'tr')).toBe('1.299,90 ₺');
    expect(formatKurus('129990', 'en')).toBe('₺1,299.90');
    expect(formatKurus('5', 'tr')).toBe('0,05 ₺');
    expect(formatKurus('1000000000', 'tr')).toBe('10.000.000,00 ₺');
    expect(formatKurus('0', 'en')).toBe('₺0.00');
  });

  it('is exact beyond what a float holds', () => {
    expect(formatKurus('900719925474099312', 'en')).toBe('₺9,007,199,254,740,993.12');
  });
});

describe('kurusInputValue', () => {
  it('gives what the price field shows, and reads back the same', () => {
    expect(kurusInputValue('129990', 'tr')).toBe('1299,90');
    expect(kurusInputValue('129990', 'en')).toBe('1299.90');
    expect(kurusInputValue('129900', 'tr')).toBe('1299');
    for (const amount of ['0', '5', '129990', '1000000000']) {
      for (const lang of ['tr', 'en'] as const) expect(kurus(kurusInputValue(amount, lang))).toBe(amount);
    }
  });
});
