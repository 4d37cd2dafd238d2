/**
 * Byte counts from the API. `BigInt` values arrive as decimal strings (exact beyond
 * 2^53); they are parsed with the platform's BigInt so nothing throws, and shown in
 * decimal units (kB, MB, GB, TB: powers of 1000, as the server's own messages count)
 * with the language's number formatting: "2,5 GB" in Turkish, "2.5 GB" in English.
 */
import { INTL_LOCALE } from './format';
import type { Lang } from './i18n';

const UNITS = ['kB', 'MB', 'GB', 'TB', 'PB', 'EB'] as const;
const THOUSAND = BigInt(1000);

/** A byte count as a BigInt, or null when `value` is not a whole number. */
export function parseBytes(value: unknown): bigint | null {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? BigInt(Math.trunc(value)) : null;
  if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) return BigInt(value.trim());
  return null;
}

/** The count as a (possibly rounded) number, for arithmetic that need not be exact. */
export function bytesToNumber(value: unknown): number | null {
  const parsed = parseBytes(value);
  return parsed === null ? null : Number(parsed);
}

/** "512 bayt", "1,5 kB", "15,7 MB", "2,5 GB"; "—" when the value is not a byte count. */
export function formatBytes(value: unknown, lang: Lang): string {
  const bytes = parseBytes(value);
  if (bytes === null) return '—';
  const negative = bytes < BigInt(0);
  const magnitude = negative ? -bytes : bytes;
  const locale = INTL_LOCALE[lang];
  if (magnitude < THOUSAND) {
    const n = new Intl.NumberFormat(locale).format(Number(bytes));
    return lang === 'tr' ? `${n} bayt` : `${n} ${magnitude === BigInt(1) ? 'byte' : 'bytes'}`;
  }
  // The unit: the largest power of 1000 not above the value (found exactly, in BigInt).
  let unit = 0;
  let divisor = THOUSAND;
  while (unit < UNITS.length - 1 && magnitude >= divisor * THOUSAND) {
    divisor *= THOUSAND;
    unit += 1;
  }
  // Whole units exactly, the remainder as a fraction: precise enough for one decimal.
  const whole = magnitude / divisor;
  const fraction = Number(magnitude % divisor) / Number(divisor);
  let scaled = Number(whole) + fraction;
  let digits = scaled >= 100 ? 0 : 1;
  // 999.96 kB rounds to "1.000 kB": say "1 MB" instead.
  if (Number(scaled.toFixed(digits)) >= 1000 && unit < UNITS.length - 1) {
    scaled /= 1000;
    unit += 1;
    digits = 1;
  }
  const n = new Intl.NumberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(
    negative ? -scaled : scaled,
  );
  return `${n} ${UNITS[unit]}`;
}
