import type { MediaItemFragment } from '../../generated/graphql';
import { formatBytes } from '../../lib/bytes';
import { formatDateTime } from '../../lib/format';
import { t } from '../../lib/i18n';
import { formatDimensions, formatDuration, groupVariants, thumbnailUrl } from '../../lib/media';
import { Button } from '../components/Button';
import { useLang } from '../hooks';
import { presetLabel } from './presets';
import { SECTION_LABEL } from './UploadPanel';

interface MediaGridProps {
  items: readonly MediaItemFragment[];
  onCrop(media: MediaItemFragment): void;
  onDelete(media: MediaItemFragment): void;
}

/** A name for an item in button labels: its alt text, else its kind and number. */
export function mediaName(media: MediaItemFragment): string {
  const alt = media.alt?.trim();
  if (alt) return alt;
  return t(media.kind === 'VIDEO' ? 'media.videoNumber' : 'media.imageNumber', { id: media.id });
}

/** The library: a thumbnail (a variant when there is one) and the facts of each item. */
export function MediaGrid({ items, onCrop, onDelete }: MediaGridProps) {
  const lang = useLang();
  return (
    <ul class="media-grid">
      {items.map((media) => {
        const name = mediaName(media);
        const presets = [...new Set(groupVariants(media.variants).map((g) => g.preset))];
        return (
          <li key={media.id} class="media-card card" data-media-id={media.id} data-kind={media.kind}>
            <div class="media-thumb">
              {media.kind === 'VIDEO' ? (
                <>
                  <video src={media.url} preload="metadata" muted playsInline aria-label={name} />
                  <span class="media-duration" aria-hidden="true">
                    ▶ {formatDuration(media.durationSeconds)}
                  </span>
                </>
              ) : (
                <img src={thumbnailUrl(media)} alt={media.alt ?? ''} loading="lazy" decoding="async" width={media.width} height={media.height} />
              )}
            </div>
            <div class="media-info">
              <p class="media-name">{name}</p>
              <p class="media-meta muted">
                <span class="badge">{t(media.kind === 'VIDEO' ? 'media.kind.VIDEO' : 'media.kind.IMAGE')}</span>{' '}
                {t(SECTION_LABEL[media.section])} · {formatDimensions(media.width, media.height, lang)} · {formatBytes(media.bytes, lang)}
                {media.kind === 'VIDEO' && media.durationSeconds !== null && (
                  <> · {t('media.duration', { duration: formatDuration(media.durationSeconds) })}</>
                )}
              </p>
              <p class="media-meta muted">
                {media.kind === 'IMAGE' &&
                  (presets.length > 0 ? t('media.croppedFor', { presets: presets.map(presetLabel).join(', ') }) : t('media.notCropped'))}
                {media.kind === 'IMAGE' && <br />}
                <time dateTime={media.createdAt}>{formatDateTime(media.createdAt, lang)}</time>
              </p>
              <div class="media-actions">
                {media.kind === 'IMAGE' && (
                  <Button
                    variant="secondary"
                    class="btn-small"
                    aria-haspopup="dialog"
                    aria-label={`${t('media.crop')}: ${name}`}
                    data-action="crop"
                    onClick={() => onCrop(media)}
                  >
                    {t('media.crop')}
                  </Button>
                )}
                <Button
                  variant="ghost"
                  class="btn-small btn-danger-text"
                  aria-haspopup="dialog"
                  aria-label={`${t('media.delete')}: ${name}`}
                  data-action="delete"
                  onClick={() => onDelete(media)}
                >
                  {t('media.delete')}
                </Button>
              </div>
            </div>
          </li>
        );
      })}
    </ul>
  );
}
