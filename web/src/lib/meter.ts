import { INTL_LOCALE } from './format';
import type { Lang } from './i18n';

/** Storage usage levels: the bar turns amber at 80 % and red at 95 %. */
export const WARNING_PERCENT = 80;
export const DANGER_PERCENT = 95;

export type UsageLevel = 'normal' | 'warning' | 'danger';

export function usageLevel(percent: number): UsageLevel {
  if (!Number.isFinite(percent)) return 'normal';
  if (percent >= DANGER_PERCENT) return 'danger';
  if (percent >= WARNING_PERCENT) return 'warning';
  return 'normal';
}

/** The bar's filled share, 0–100 (a budget can be overrun: the bar stops full). */
export function barPercent(percent: number): number {
  if (!Number.isFinite(percent) || percent <= 0) return 0;
  return Math.min(100, percent);
}

/** A percentage with one decimal in the language: "%87,5" / "87.5%". */
export function formatPercent(percent: number, lang: Lang): string {
  const value = Number.isFinite(percent) ? percent : 0;
  return new Intl.NumberFormat(INTL_LOCALE[lang], {
    style: 'percent',
    maximumFractionDigits: 1,
    minimumFractionDigits: 0,
  }).format(value / 100);
}
