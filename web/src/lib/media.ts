/** Media helpers shared by the library's views (pure: unit-tested). */
import { INTL_LOCALE } from './format';
import type { Lang } from './i18n';

export const SECTIONS = ['GALLERY', 'PRODUCT', 'CAROUSEL', 'OTHER'] as const;
export type Section = (typeof SECTIONS)[number];
export const KINDS = ['IMAGE', 'VIDEO'] as const;
export type Kind = (typeof KINDS)[number];

export interface VariantLike {
  preset: string;
  size: string;
  width: number;
  height: number;
  format: string;
  url: string;
}

export interface PresetLike {
  name: string;
  section: string | null;
}

/** The preset an upload to `section` opens first, if one is meant for it. */
export function presetForSection<P extends PresetLike>(presets: readonly P[], section: string | null | undefined): P | null {
  if (!section) return null;
  return presets.find((p) => p.section === section) ?? null;
}

/**
 * The picture for a thumbnail of about `target` pixels wide: a variant when there is
 * one (the smallest at least that wide, else the largest; WebP before JPEG at the same
 * size), otherwise the original.
 */
export function thumbnailUrl(media: { url: string; variants: readonly VariantLike[] }, target = 320): string {
  if (media.variants.length === 0) return media.url;
  const formatRank = (f: string) => (f === 'WEBP' ? 0 : f === 'AUTO' ? 1 : 2);
  const sorted = [...media.variants].sort((a, b) => a.width - b.width || formatRank(a.format) - formatRank(b.format));
  const bigEnough = sorted.find((v) => v.width >= target);
  return (bigEnough ?? sorted[sorted.length - 1] ?? { url: media.url }).url;
}

/** "0:03", "1:02:05". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '';
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** Variants grouped by preset and size, in the preset's order, formats side by side. */
export function groupVariants<V extends VariantLike>(variants: readonly V[], preset?: string): Array<{ preset: string; size: string; width: number; height: number; formats: V[] }> {
  const groups = new Map<string, { preset: string; size: string; width: number; height: number; formats: V[] }>();
  for (const v of variants) {
    if (preset !== undefined && v.preset !== preset) continue;
    const key = `${v.preset}/${v.size}`;
    const group = groups.get(key) ?? { preset: v.preset, size: v.size, width: v.width, height: v.height, formats: [] };
    group.formats.push(v);
    groups.set(key, group);
  }
  return [...groups.values()].sort((a, b) => a.preset.localeCompare(b.preset) || b.width - a.width);
}

/** "3.000 × 2.000" in Turkish, "3,000 × 2,000" in English. */
export function formatDimensions(width: number, height: number, lang: Lang): string {
  const f = new Intl.NumberFormat(INTL_LOCALE[lang]);
  return `${f.format(width)} × ${f.format(height)}`;
}
