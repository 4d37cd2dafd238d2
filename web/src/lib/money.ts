/**
 * Prices: typed in lira, sent and received in kuruş as decimal strings (the API's
 * BigInt), never through floating point (pure: unit-tested).
 */
import type { Lang } from './i18n';

/** The dearest price the server accepts: 10,000,000 ₺. */
export const MAX_PRICE_KURUS = 1_000_000_000n;

/** The dearest shipping or cash-on-delivery fee the server accepts: 1,000,000 ₺. */
export const MAX_FEE_KURUS = 100_000_000n;

export type PriceProblem = 'empty' | 'invalid' | 'negative' | 'decimals' | 'tooLarge';

export type ParsedPrice = { ok: true; kurus: string } | { ok: false; problem: PriceProblem };

/** Digits in groups of three after the first one to three ("1", "1.299", "10.000.000"). */
function grouped(text: string, separator: string): string | null {
  const groups = text.split(separator);
  const [first, ...rest] = groups;
  if (first === undefined || !/^\d{1,3}$/.test(first) || rest.some((g) => !/^\d{3}$/.test(g))) return null;
  return groups.join('');
}

/**
 * A price as people write it in Turkish or English ("1.299,90", "1299,90", "1299.90",
 * "1,299.90", "₺ 1.299", "1299 TL") in kuruş. With both separators the last one marks
 * the kuruş; a lone separator always does, so "1.299" and "1,299" are refused as having
 * three decimals rather than guessed to be thousands (a factor of 1000 either way).
 * Amounts above `max` kuruş (by default the dearest price) are refused as too large.
 */
export function parseLira(input: string, max: bigint = MAX_PRICE_KURUS): ParsedPrice {
  const text = input
    .replace(/[\s\u00a0\u202f]/g, '')
    .replace(/^₺|₺$|TL$/gi, '');
  if (text === '') return { ok: false, problem: 'empty' };
  if (/^[-−]/.test(text)) return { ok: false, problem: 'negative' };
  if (!/^[\d.,]+$/.test(text) || !/^\d/.test(text)) return { ok: false, problem: 'invalid' };

  const lastDot = text.lastIndexOf('.');
  const lastComma = text.lastIndexOf(',');
  const dots = text.split('.').length - 1;
  const commas = text.split(',').length - 1;
  let whole: string | null;
  let fraction = '';
  if (dots > 0 && commas > 0) {
    const decimal = lastDot > lastComma ? '.' : ',';
    const group = decimal === '.' ? ',' : '.';
    const at = Math.max(lastDot, lastComma);
    if (text.split(decimal).length - 1 > 1) return { ok: false, problem: 'invalid' };
    whole = grouped(text.slice(0, at), group);
    fraction = text.slice(at + 1);
  } else if (dots > 1 || commas > 1) {
    whole = grouped(text, dots > 1 ? '.' : ',');
  } else if (dots === 1 || commas === 1) {
    const at = Math.max(lastDot, lastComma);
    whole = text.slice(0, at);
    fraction = text.slice(at + 1);
  } else {
    whole = text;
  }
  if (whole === null || !/^\d+$/.test(whole) || !/^\d*$/.test(fraction)) return { ok: false, problem: 'invalid' };
  if (fraction.length > 2) return { ok: false, problem: 'decimals' };
  const kurus = BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0'));
  if (kurus > max) return { ok: false, problem: 'tooLarge' };
  return { ok: true, kurus: kurus.toString() };
}

function split(kurus: string): { negative: boolean; whole: string; cents: string } {
  const value = BigInt(kurus);
  const negative = value < 0n;
  const abs = negative ? -value : value;
  return { negative, whole: (abs / 100n).toString(), cents: (abs % 100n).toString().padStart(2, '0') };
}

function group(digits: string, separator: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, separator);
}

/** "1.299,90 ₺" in Turkish, "₺1,299.90" in English (as the server's `Money.formatted`). */
export function formatKurus(kurus: string, lang: Lang): string {
  const { negative, whole, cents } = split(kurus);
  const sign = negative ? '-' : '';
  return lang === 'en' ? `${sign}₺${group(whole, ',')}.${cents}` : `${sign}${group(whole, '.')},${cents} ₺`;
}

/** A price for an input to edit: "1299,90" in Turkish, "1299.90" in English; whole lira bare. */
export function kurusInputValue(kurus: string, lang: Lang): string {
  const { negative, whole, cents } = split(kurus);
  const sign = negative ? '-' : '';
  return cents === '00' ? `${sign}${whole}` : `${sign}${whole}${lang === 'en' ? '.' : ','}${cents}`;
}
