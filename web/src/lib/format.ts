/** Formatting helpers shared by the dashboard's pages (pure: unit-tested). */
import type { Lang } from './i18n';

/** The business time zone: dates are shown as the owner lives them. */
export const TIME_ZONE = 'Europe/Istanbul';

/** The Intl locale of each dashboard language. */
export const INTL_LOCALE: Record<Lang, string> = { tr: 'tr-TR', en: 'en-GB' };

/** "1.234,5" in Turkish, "1,234.5" in English (at most `maximumFractionDigits` decimals; Intl's default is 3). */
export function formatNumber(value: number, lang: Lang, maximumFractionDigits?: number): string {
  return new Intl.NumberFormat(INTL_LOCALE[lang], maximumFractionDigits === undefined ? {} : { maximumFractionDigits }).format(value);
}

/** Whole minutes to wait for a `retryAfter` in seconds, rounded up, at least one. */
export function retryMinutes(retryAfterSeconds: number): number {
  if (!Number.isFinite(retryAfterSeconds) || retryAfterSeconds <= 0) return 1;
  return Math.max(1, Math.ceil(retryAfterSeconds / 60));
}

/** "15 dakika" / "15 minutes" / "1 minute". */
export function formatMinutes(minutes: number, lang: Lang): string {
  const n = new Intl.NumberFormat(INTL_LOCALE[lang]).format(minutes);
  if (lang === 'en') return minutes === 1 ? `${n} minute` : `${n} minutes`;
  return `${n} dakika`;
}

/** The wait before retrying a throttled action, in minutes. */
export function formatWait(retryAfterSeconds: number, lang: Lang): string {
  return formatMinutes(retryMinutes(retryAfterSeconds), lang);
}

/** A timestamp (RFC 3339) as a long date and time in Istanbul; the input itself when unparsable. */
export function formatDateTime(iso: string, lang: Lang): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(INTL_LOCALE[lang], {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: TIME_ZONE,
  }).format(date);
}

/** What to call a user: the name, or the e-mail address while the name is empty. */
export function displayName(user: { name: string; email: string }): string {
  const name = user.name.trim();
  return name === '' ? user.email : name;
}

/** One or two letters for an avatar: "Ayşe Yılmaz" → "AY", "owner@example.com" → "O". */
export function initials(text: string, lang: Lang = 'tr'): string {
  const locale = INTL_LOCALE[lang];
  const source = text.includes('@') ? (text.split('@')[0] ?? '') : text;
  const words = source
    .split(/[\s._-]+/u)
    .map((w) => w.trim())
    .filter((w) => w !== '');
  if (text.includes('@')) words.splice(1);
  const letters = words
    .slice(0, 2)
    .map((w) => [...w][0] ?? '')
    .join('');
  return letters === '' ? '?' : letters.toLocaleUpperCase(locale);
}

/** Length as the server counts it (Unicode scalar values, like Rust's `chars()`). */
export function charCount(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/**
 * A date the provider wrote itself: "2026-11-26" as a calendar day ("26 Kasım 2026"),
 * a full timestamp like formatDateTime, anything else as it is.
 */
export function formatProviderDate(value: string, lang: Lang): string {
  const day = value.match(/^(\d{4})-(\d{2})-(\d{2})$/);
  if (day) {
    const date = new Date(Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3]), 12));
    return new Intl.DateTimeFormat(INTL_LOCALE[lang], { dateStyle: 'long', timeZone: 'UTC' }).format(date);
  }
  return formatDateTime(value, lang);
}
