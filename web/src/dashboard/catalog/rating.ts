/** A product's rating as the product list shows it (pure: unit-tested). */
import { formatNumber, INTL_LOCALE } from '../../lib/format';
import type { Lang } from '../../lib/i18n';

export interface Rating {
  average: number;
  count: number;
}

/** "4,0" / "4.0": always one decimal, so that a column of averages lines up. */
export function formatAverage(average: number, lang: Lang): string {
  return new Intl.NumberFormat(INTL_LOCALE[lang], { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(average);
}

/** "4,3 ★ (12)" in Turkish, "4.3 ★ (1,234)" in English; null without reviews, whose average of 0 means nothing. */
export function formatRating(rating: Rating, lang: Lang): string | null {
  if (rating.count <= 0) return null;
  return `${formatAverage(rating.average, lang)} ★ (${formatNumber(rating.count, lang)})`;
}
