/** The server's crop presets, for the screens that open the crop dialog. */
import { useCallback, useRef, useState } from 'preact/hooks';
import { CropPresetsDocument } from '../../generated/graphql';
import { request } from '../../lib/graphql';
import type { CropPresetInfo } from './presets';

export interface CropPresets {
  /** Empty until loaded. */
  presets: CropPresetInfo[];
  /** The presets, asked for once (a request under way is shared; a failed one is asked again). */
  loadPresets(): Promise<CropPresetInfo[]>;
}

export function useCropPresets(): CropPresets {
  const [presets, setPresets] = useState<CropPresetInfo[]>([]);
  const pending = useRef<Promise<CropPresetInfo[]> | null>(null);
  // Stable: upload queues, made once, keep the function of the first render.
  const loadPresets = useCallback((): Promise<CropPresetInfo[]> => {
    pending.current ??= request(CropPresetsDocument, {}).then(
      ({ cropPresets }) => {
        setPresets(cropPresets);
        return cropPresets;
      },
      (error: unknown) => {
        pending.current = null;
        throw error;
      },
    );
    return pending.current;
  }, []);
  return { presets, loadPresets };
}
