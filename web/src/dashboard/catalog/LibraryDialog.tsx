import { useState } from 'preact/hooks';
import { MediaListDocument, type MediaItemFragment, type MediaKind } from '../../generated/graphql';
import { errorMessage } from '../../lib/errors';
import { request } from '../../lib/graphql';
import { t } from '../../lib/i18n';
import { formatDuration, thumbnailUrl } from '../../lib/media';
import { Button } from '../components/Button';
import { Dialog } from '../components/Dialog';
import { LoadingLine } from '../components/LoadingLine';
import { MoreButton } from '../components/MoreButton';
import { Notice } from '../components/Notice';
import { useLang } from '../hooks';
import { mediaName } from '../media/MediaGrid';
import { usePagedList } from '../paged';

export const LIBRARY_PAGE = 12;

interface LibraryDialogProps {
  /** The kind to choose; the dialog is open while this is set. */
  kind: MediaKind | null;
  /** How many may be chosen (the room left on the product). */
  room: number;
  /** Ids already on the product (shown, not choosable). */
  taken: ReadonlySet<string>;
  onPick(items: MediaItemFragment[]): void;
  onClose(): void;
}

/** Chooses pictures or a video from the media library, newest first, within the room left. */
export function LibraryDialog({ kind, room, taken, onPick, onClose }: LibraryDialogProps) {
  useLang();
  return (
    <Dialog open={kind !== null} wide title={t(kind === 'VIDEO' ? 'picker.libraryVideoTitle' : 'picker.libraryImagesTitle')} onClose={onClose}>
      {kind && <LibraryBody kind={kind} room={room} taken={taken} onPick={onPick} onClose={onClose} />}
    </Dialog>
  );
}

function LibraryBody({ kind, room, taken, onPick, onClose }: Omit<LibraryDialogProps, 'kind'> & { kind: MediaKind }) {
  const lang = useLang();
  const [chosen, setChosen] = useState<MediaItemFragment[]>([]);
  const list = usePagedList(async (after) => (await request(MediaListDocument, { kind, first: LIBRARY_PAGE, after })).mediaList, [kind]);
  const full = chosen.length >= room;

  const toggle = (media: MediaItemFragment, on: boolean) =>
    setChosen((current) => (on ? [...current, media] : current.filter((m) => m.id !== media.id)));

  return (
    <div class="library-pick">
      <p class="muted" role="status">
        {t('picker.chooseUpTo', { room, chosen: chosen.length })}
      </p>
      {list.items === null && list.busy && <LoadingLine status={false} />}
      {list.error !== null && <Notice kind="error">{errorMessage(list.error, lang)}</Notice>}
      {list.items && list.items.length === 0 && <p class="muted">{t(kind === 'VIDEO' ? 'picker.noVideos' : 'picker.noImages')}</p>}
      {list.items && list.items.length > 0 && (
        <ul class="pick-grid">
          {list.items.map((media) => {
            const on = chosen.some((m) => m.id === media.id);
            const already = taken.has(media.id);
            const name = mediaName(media);
            return (
              <li key={media.id} class={`pick-card${on || already ? ' is-chosen' : ''}`} data-media-id={media.id}>
                <label class="pick-label">
                  <span class="pick-thumb">
                    {media.kind === 'VIDEO' ? (
                      <video src={media.url} preload="metadata" muted playsInline aria-hidden="true" />
                    ) : (
                      <img src={thumbnailUrl(media, 160)} alt="" loading="lazy" decoding="async" />
                    )}
                  </span>
                  <span class="pick-name">
                    <input
                      type="checkbox"
                      checked={on || already}
                      disabled={already || (full && !on)}
                      onChange={(e) => toggle(media, e.currentTarget.checked)}
                    />
                    <span>
                      {name}
                      {media.kind === 'VIDEO' && media.durationSeconds !== null && <span class="muted"> · {formatDuration(media.durationSeconds)}</span>}
                      {already && <span class="muted"> · {t('picker.onProduct')}</span>}
                    </span>
                  </span>
                </label>
              </li>
            );
          })}
        </ul>
      )}
      <MoreButton list={list} />
      <div class="form-actions">
        <Button
          disabled={chosen.length === 0}
          onClick={() => {
            onPick(chosen);
            onClose();
          }}
        >
          {t('picker.addChosen', { count: chosen.length })}
        </Button>
        <Button variant="ghost" onClick={onClose}>
          {t('common.cancel')}
        </Button>
      </div>
    </div>
  );
}
