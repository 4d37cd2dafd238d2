import Cropper from 'cropperjs';
import 'cropperjs/dist/cropper.css';
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { CropMediaDocument, type MediaItemFragment } from '../../generated/graphql';
import { formatBytes } from '../../lib/bytes';
import { fitCropRect, isValidCrop, outputSize, scaleRect, type Aspect, type Rect } from '../../lib/crop';
import { ApiError, errorMessage } from '../../lib/errors';
import { request } from '../../lib/graphql';
import { t } from '../../lib/i18n';
import { formatDimensions, groupVariants } from '../../lib/media';
import { Button } from '../components/Button';
import { Dialog } from '../components/Dialog';
import { Notice } from '../components/Notice';
import { useAction, useLang } from '../hooks';
import { presetLabel, sizeLabel, type CropPresetInfo } from './presets';

interface CropDialogProps {
  /** The image to crop; the dialog is open while this is set. */
  media: MediaItemFragment | null;
  presets: readonly CropPresetInfo[];
  /** The preset to start with (the upload's section's); null offers the choice. */
  initialPreset: string | null;
  onClose(): void;
  onCropped(media: MediaItemFragment): void;
  fallbackFocus?: () => HTMLElement | null;
}

/**
 * Crops an image for a preset with Cropper.js: the box keeps the preset's ratio, the
 * image can be zoomed but not rotated, and the box stays inside the image. The
 * rectangle is sent in the original's pixels. Keyboard: arrows move the box (Shift:
 * faster), + and − zoom, Enter saves, Escape closes.
 */
export function CropDialog({ media, presets, initialPreset, onClose, onCropped, fallbackFocus }: CropDialogProps) {
  useLang();
  return (
    <Dialog open={media !== null} wide title={t('crop.title')} onClose={onClose} fallbackFocus={fallbackFocus}>
      {media && <CropBody key={media.id} media={media} presets={presets} initialPreset={initialPreset} onCropped={onCropped} onClose={onClose} />}
    </Dialog>
  );
}

interface Outcome {
  preset: string;
  count: number;
  usedDefault: boolean;
}

function CropBody({ media: initial, presets, initialPreset, onCropped, onClose }: Omit<CropDialogProps, 'media' | 'fallbackFocus'> & { media: MediaItemFragment }) {
  const lang = useLang();
  const [media, setMedia] = useState(initial);
  const [presetName, setPresetName] = useState<string | null>(
    initialPreset && presets.some((p) => p.name === initialPreset) ? initialPreset : null,
  );
  const [rect, setRect] = useState<Rect | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const image = useRef<HTMLImageElement>(null);
  const cropper = useRef<Cropper | null>(null);
  const helpId = useId();
  const readoutId = useId();
  const preset = presets.find((p) => p.name === presetName) ?? null;
  const aspect: Aspect | null = preset ? { width: preset.aspectWidth, height: preset.aspectHeight } : null;
  const original = { width: media.width, height: media.height };

  /** The rectangle Cropper shows, fitted for the server (whole original pixels, inside, ratio kept). */
  const measure = (): Rect | null => {
    const c = cropper.current;
    if (!c || !aspect) return null;
    const natural = c.getImageData();
    if (!natural.naturalWidth) return null;
    return fitCropRect(c.getData(), aspect, original, { width: natural.naturalWidth, height: natural.naturalHeight });
  };

  useEffect(() => {
    const img = image.current;
    if (!img || !aspect) return;
    setRect(null);
    const instance = new Cropper(img, {
      viewMode: 1,
      aspectRatio: aspect.width / aspect.height,
      autoCropArea: 1,
      rotatable: false,
      scalable: false,
      zoomable: true,
      zoomOnWheel: true,
      movable: true,
      // The original is already upright, and only its rectangle is needed (no canvas
      // export): no EXIF fetch, no cross-origin cache-busting.
      checkOrientation: false,
      checkCrossOrigin: false,
      toggleDragModeOnDblclick: false,
      responsive: true,
      // A window resize keeps the chosen rectangle.
      restore: true,
      ready() {
        // A re-crop starts where the last crop of this preset was.
        const last = media.variants.find((v) => v.preset === presetName)?.crop;
        if (last) {
          const data = instance.getImageData();
          instance.setData(scaleRect(last, original, { width: data.naturalWidth, height: data.naturalHeight }));
        }
        setRect(measure());
      },
      crop() {
        setRect(measure());
      },
    });
    cropper.current = instance;
    return () => {
      instance.destroy();
      cropper.current = null;
    };
  }, [presetName]);

  const crop = useAction(async (useDefault: boolean): Promise<Outcome> => {
    if (!preset || !aspect) throw new Error('no preset');
    let sent: Rect | null = null;
    if (!useDefault) {
      sent = measure();
      if (!sent || !isValidCrop(sent, aspect, original)) throw new ApiError('BAD_USER_INPUT', 'The crop rectangle is outside the image.');
    }
    const { cropMedia } = await request(CropMediaDocument, { id: media.id, preset: preset.name, rect: sent });
    setMedia(cropMedia);
    onCropped(cropMedia);
    const produced = cropMedia.variants.filter((v) => v.preset === preset.name);
    if (useDefault) {
      // Show where the centred default went.
      const c = cropper.current;
      const at = produced[0]?.crop;
      if (c && at) {
        const data = c.getImageData();
        c.setData(scaleRect(at, original, { width: data.naturalWidth, height: data.naturalHeight }));
      }
    }
    return { preset: preset.name, count: groupVariants(produced).length, usedDefault: useDefault };
  });

  const save = async (useDefault: boolean) => {
    if (crop.busy) return;
    setOutcome(null);
    const result = await crop.run(useDefault);
    if (result) setOutcome(result);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    const c = cropper.current;
    if (!c) return;
    const box = c.getCropBoxData();
    const canvas = c.getCanvasData();
    const step = Math.max(1, canvas.width * (event.shiftKey ? 0.1 : 0.01));
    switch (event.key) {
      case 'ArrowLeft':
        c.setCropBoxData({ left: box.left - step });
        break;
      case 'ArrowRight':
        c.setCropBoxData({ left: box.left + step });
        break;
      case 'ArrowUp':
        c.setCropBoxData({ top: box.top - step });
        break;
      case 'ArrowDown':
        c.setCropBoxData({ top: box.top + step });
        break;
      case '+':
      case '=':
        c.zoom(0.1);
        break;
      case '-':
      case '_':
        c.zoom(-0.1);
        break;
      case 'Enter':
        void save(false);
        break;
      default:
        return;
    }
    event.preventDefault();
  };

  const cropped = groupVariants(media.variants);
  const croppedPresets = [...new Set(cropped.map((g) => g.preset))];

  return (
    <div class="crop">
      <fieldset class="fieldset crop-presets">
        <legend class="field-label">{t('crop.preset')}</legend>
        {initialPreset === null && presetName === null && <p class="muted">{t('crop.choosePreset')}</p>}
        <div class="choices">
          {presets.map((p) => (
            <label class="choice" key={p.name}>
              <input
                type="radio"
                name={`preset-${media.id}`}
                value={p.name}
                checked={presetName === p.name}
                disabled={crop.busy}
                onChange={() => {
                  setPresetName(p.name);
                  setOutcome(null);
                  crop.reset();
                }}
              />
              <span>
                {presetLabel(p.name)} <span class="muted">({p.aspectWidth}:{p.aspectHeight})</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>

      {preset && (
        <>
          <div
            class="crop-stage"
            tabIndex={0}
            role="group"
            aria-roledescription={t('crop.stageRole')}
            aria-label={t('crop.stageLabel', { preset: presetLabel(preset.name) })}
            aria-describedby={`${helpId} ${readoutId}`}
            onKeyDown={onKeyDown}
          >
            <img ref={image} src={media.url} alt={media.alt ?? ''} class="crop-image" />
          </div>
          <p id={helpId} class="field-hint crop-help">
            {t('crop.help')}
          </p>
          <p id={readoutId} class="crop-readout" aria-live="polite">
            {rect
              ? t('crop.readout', {
                  size: formatDimensions(rect.width, rect.height, lang),
                  x: rect.x,
                  y: rect.y,
                  preset: presetLabel(preset.name),
                })
              : t('app.loading')}
          </p>
          <p class="muted crop-sizes">
            {t('crop.produces', {
              sizes: preset.sizes
                .map((s) => {
                  const out = rect ? outputSize(s, rect) : s;
                  return `${sizeLabel(s.name)} ${formatDimensions(out.width, out.height, lang)}`;
                })
                .join(', '),
            })}
          </p>
        </>
      )}

      {crop.error !== null && (
        <Notice kind="error" focus>
          {errorMessage(crop.error, lang)}
        </Notice>
      )}
      {outcome && crop.state.status === 'done' && (
        <Notice kind="success">
          {t(outcome.usedDefault ? 'crop.doneDefault' : 'crop.done', { preset: presetLabel(outcome.preset), count: outcome.count })}
        </Notice>
      )}

      <div class="form-actions">
        <Button disabled={!preset || !rect} busy={crop.busy} busyText={t('crop.saving')} onClick={() => void save(false)}>
          {t('crop.save')}
        </Button>
        <Button variant="secondary" disabled={!preset || crop.busy} onClick={() => void save(true)}>
          {t('crop.useDefault')}
        </Button>
        <Button variant="ghost" disabled={crop.busy} onClick={onClose}>
          {t('common.close')}
        </Button>
      </div>

      {croppedPresets.length > 0 && (
        <section class="variants" aria-labelledby={`${helpId}-variants`}>
          <h3 id={`${helpId}-variants`}>{t('crop.variantsTitle')}</h3>
          {croppedPresets.map((name) => (
            <div class="variant-preset" key={name} data-preset={name}>
              <h4>
                {presetLabel(name)}
                {(() => {
                  const at = cropped.find((g) => g.preset === name)?.formats[0]?.crop;
                  return at ? <span class="muted"> · {t('crop.from', { size: formatDimensions(at.width, at.height, lang), x: at.x, y: at.y })}</span> : null;
                })()}
              </h4>
              <ul class="variant-list">
                {cropped
                  .filter((g) => g.preset === name)
                  .map((g) => {
                    const shown = g.formats.find((f) => f.format === 'WEBP') ?? g.formats[0];
                    return (
                      <li key={`${g.preset}/${g.size}`} class="variant">
                        <figure>
                          {shown && <img src={shown.url} alt={t('crop.variantAlt', { preset: presetLabel(g.preset), size: sizeLabel(g.size) })} width={g.width} height={g.height} loading="lazy" decoding="async" />}
                          <figcaption>
                            <strong>{sizeLabel(g.size)}</strong> · {formatDimensions(g.width, g.height, lang)}
                            <br />
                            {g.formats.map((f, i) => (
                              <span key={f.format}>
                                {i > 0 && ' · '}
                                <a href={f.url} target="_blank" rel="noopener noreferrer">
                                  {f.format}
                                </a>{' '}
                                {f.bytes === null ? t('crop.onDemand') : formatBytes(f.bytes, lang)}
                              </span>
                            ))}
                          </figcaption>
                        </figure>
                      </li>
                    );
                  })}
              </ul>
            </div>
          ))}
        </section>
      )}
    </div>
  );
}
