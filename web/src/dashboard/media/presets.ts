/** Crop presets as the dashboard names them. */
import type { CropPresetsQuery } from '../../generated/graphql';
import { t, type MessageKey } from '../../lib/i18n';

export type CropPresetInfo = CropPresetsQuery['cropPresets'][number];

const PRESET_NAMES: Record<string, MessageKey> = {
  gallery: 'preset.gallery',
  product: 'preset.product',
  carousel: 'preset.carousel',
};

const SIZE_NAMES: Record<string, MessageKey> = {
  main: 'preset.size.main',
  zoom: 'preset.size.zoom',
  thumb: 'preset.size.thumb',
};

/** "Galeri" for gallery; presets configured under other names keep their own. */
export function presetLabel(name: string): string {
  const key = PRESET_NAMES[name];
  return key ? t(key) : name;
}

export function sizeLabel(name: string): string {
  const key = SIZE_NAMES[name];
  return key ? t(key) : name;
}
