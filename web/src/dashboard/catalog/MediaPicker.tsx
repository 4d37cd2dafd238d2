import { useEffect, useRef, useState } from 'preact/hooks';
import type { MediaItemFragment, MediaKind } from '../../generated/graphql';
import { t } from '../../lib/i18n';
import { formatDuration, presetForSection, thumbnailUrl } from '../../lib/media';
import { addWithin, MAX_IMAGES, MAX_VIDEOS, moveBy, move, replaceItem, slotsLeft } from '../../lib/productMedia';
import { Button } from '../components/Button';
import { Notice } from '../components/Notice';
import { useLang } from '../hooks';
import { CropDialog } from '../media/CropDialog';
import { mediaName } from '../media/MediaGrid';
import { UploadList } from '../media/UploadPanel';
import { useMediaQueue, type MediaUpload } from '../media/uploads';
import { useCropPresets } from '../media/useCropPresets';
import { LibraryDialog } from './LibraryDialog';

export interface PickedMedia {
  images: MediaItemFragment[];
  video: MediaItemFragment | null;
}

interface MediaPickerProps {
  value: PickedMedia;
  onChange(next: PickedMedia): void;
  /** Why saving the media failed, if it did. */
  error: string | null;
  /** Told whether uploads are still on their way (saving then would lose them). */
  onUploading(uploading: boolean): void;
}

const IMAGE_ACCEPT = 'image/jpeg,image/png,image/webp,.jpg,.jpeg,.png,.webp';
const VIDEO_ACCEPT = 'video/mp4,video/webm,.mp4,.webm';

const running = (u: MediaUpload) => u.status === 'queued' || u.status === 'uploading' || u.status === 'processing';
const isVideoFile = (u: { type: string }) => u.type.startsWith('video/');

/**
 * The product's pictures (in order) and video: chosen from the library or uploaded on
 * the spot (pictures then open the crop step on the product preset), reordered by drag
 * and drop or with the move buttons, within the limits. Nothing is saved here: the form
 * saves the whole choice with one `setProductMedia`.
 */
export function MediaPicker({ value, onChange, error, onUploading }: MediaPickerProps) {
  useLang();
  const [library, setLibrary] = useState<MediaKind | null>(null);
  const { presets, loadPresets } = useCropPresets();
  const [cropping, setCropping] = useState<MediaItemFragment | null>(null);
  const cropQueue = useRef<MediaItemFragment[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  /** The picture being dragged: a ref decides (events come before a re-render), state styles. */
  const dragged = useRef<string | null>(null);
  const [dragging, setDragging] = useState<string | null>(null);
  const [over, setOver] = useState<string | null>(null);
  /** The control to focus once a move has re-rendered the list. */
  const refocus = useRef<{ id: string; action: 'up' | 'down' } | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const imageInput = useRef<HTMLInputElement>(null);
  const videoInput = useRef<HTMLInputElement>(null);
  // Uploads finish between renders: they build on the latest choice, not the one they saw.
  const current = useRef(value);
  current.current = value;
  const changeRef = useRef(onChange);
  changeRef.current = onChange;
  const apply = (next: PickedMedia) => {
    current.current = next;
    changeRef.current(next);
  };

  const openCrop = (media: MediaItemFragment) =>
    setCropping((open) => {
      if (open) {
        cropQueue.current.push(media);
        return open;
      }
      return media;
    });

  const closeCrop = () => {
    setCropping(null);
    const next = cropQueue.current.shift();
    // The dialog has to render closed before it can open again on the next picture.
    if (next) window.setTimeout(() => openCrop(next), 0);
  };

  const addImages = (items: MediaItemFragment[]): boolean => {
    const { list, refused } = addWithin(current.current.images, items, MAX_IMAGES);
    apply({ ...current.current, images: list });
    if (refused > 0) setMessage(t('picker.imagesFull', { max: MAX_IMAGES, count: refused }));
    return refused === 0;
  };

  const setVideo = (media: MediaItemFragment): boolean => {
    if (current.current.video && current.current.video.id !== media.id) {
      setMessage(t('picker.videoFull'));
      return false;
    }
    apply({ ...current.current, video: media });
    return true;
  };

  const { queue, uploads } = useMediaQueue((media) => {
    if (media.kind === 'VIDEO') {
      if (setVideo(media)) setMessage(t('picker.videoAdded', { name: mediaName(media) }));
      return;
    }
    if (!addImages([media])) return;
    setMessage(t('picker.imageAdded', { name: mediaName(media) }));
    void loadPresets().then(
      (found) => (presetForSection(found, 'PRODUCT') ? openCrop(media) : undefined),
      () => undefined,
    );
  });

  const { images, video } = value;
  const pendingImages = uploads.filter((u) => running(u) && !isVideoFile(u)).length;
  const pendingVideos = uploads.filter((u) => running(u) && isVideoFile(u)).length;
  const imageRoom = slotsLeft(images.length, MAX_IMAGES, pendingImages);
  const uploading = pendingImages + pendingVideos > 0;
  useEffect(() => onUploading(uploading), [uploading]);
  const videoRoom = slotsLeft(video ? 1 : 0, MAX_VIDEOS, pendingVideos);

  useEffect(() => {
    const target = refocus.current;
    if (!target) return;
    refocus.current = null;
    const row = document.querySelector(`.picked-list [data-media-id="${target.id}"]`);
    const wanted = row?.querySelector<HTMLButtonElement>(`[data-action="${target.action}"]`);
    const other = row?.querySelector<HTMLButtonElement>(`[data-action="${target.action === 'up' ? 'down' : 'up'}"]`);
    (wanted && !wanted.disabled ? wanted : other)?.focus();
  });

  const upload = (files: FileList | null, kind: MediaKind) => {
    if (!files || files.length === 0) return;
    const room = kind === 'VIDEO' ? videoRoom : imageRoom;
    const taken = [...files].slice(0, room);
    if (files.length > taken.length) {
      setMessage(t(kind === 'VIDEO' ? 'picker.videoFull' : 'picker.imagesFull', { max: MAX_IMAGES, count: files.length - taken.length }));
    } else {
      setMessage(null);
    }
    // No alt text: the storefront then says "<product> – Görsel 2", which tells pictures apart.
    queue.add(taken, { section: 'PRODUCT', alt: '' });
  };

  const moved = (id: string, index: number) => {
    const media = current.current.images.find((m) => m.id === id);
    if (media) setMessage(t('picker.moved', { name: mediaName(media), position: index + 1 }));
  };

  const moveStep = (id: string, step: -1 | 1) => {
    const list = moveBy(images, id, step);
    refocus.current = { id, action: step < 0 ? 'up' : 'down' };
    apply({ ...current.current, images: list });
    moved(id, list.findIndex((m) => m.id === id));
  };

  const endDrag = () => {
    dragged.current = null;
    setDragging(null);
    setOver(null);
  };

  const drop = (targetId: string) => {
    const from = images.findIndex((m) => m.id === dragged.current);
    const to = images.findIndex((m) => m.id === targetId);
    endDrag();
    if (from < 0 || to < 0 || from === to) return;
    const id = images[from]!.id;
    apply({ ...current.current, images: move(images, from, to) });
    moved(id, to);
  };

  const remove = (media: MediaItemFragment) => {
    const next =
      media.kind === 'VIDEO' ? { ...current.current, video: null } : { ...current.current, images: current.current.images.filter((m) => m.id !== media.id) };
    apply(next);
    setMessage(t('picker.removed', { name: mediaName(media) }));
    heading.current?.focus();
  };

  const taken = new Set([...images.map((m) => m.id), ...(video ? [video.id] : [])]);
  const shownUploads = uploads.filter((u) => u.status !== 'done');

  return (
    <section class="card section media-picker" aria-labelledby="media-picker-title">
      <h2 id="media-picker-title" ref={heading} tabIndex={-1}>
        {t('picker.title')}
      </h2>
      <p class="muted">{t('picker.intro', { images: MAX_IMAGES, videos: MAX_VIDEOS })}</p>
      {error && (
        <Notice kind="error" focus>
          {error}
        </Notice>
      )}

      <div class="picker-part">
        <div class="picker-head">
          <h3>{t('picker.images')}</h3>
          <span class="limit" data-limit="images">
            {t('picker.imageCount', { count: images.length, max: MAX_IMAGES })}
          </span>
        </div>
        {images.length === 0 ? (
          <p class="muted">{t('picker.noImagesYet')}</p>
        ) : (
          <>
            <p class="field-hint">{t('picker.orderHint')}</p>
            <ol class="picked-list" aria-label={t('picker.orderLabel')}>
              {images.map((media, i) => {
                const name = mediaName(media);
                return (
                  <li
                    key={media.id}
                    class={`picked-item${dragging === media.id ? ' is-dragging' : ''}${over === media.id && dragging !== media.id ? ' is-drop-target' : ''}`}
                    data-media-id={media.id}
                    draggable
                    onDragStart={(e) => {
                      dragged.current = media.id;
                      setDragging(media.id);
                      if (e.dataTransfer) {
                        e.dataTransfer.effectAllowed = 'move';
                        e.dataTransfer.setData('text/plain', media.id);
                      }
                    }}
                    onDragOver={(e) => {
                      if (dragged.current === null) return;
                      e.preventDefault();
                      if (e.dataTransfer) e.dataTransfer.dropEffect = 'move';
                      if (over !== media.id) setOver(media.id);
                    }}
                    onDrop={(e) => {
                      e.preventDefault();
                      drop(media.id);
                    }}
                    onDragEnd={endDrag}
                  >
                    <span class="picked-handle" aria-hidden="true">
                      ⠿
                    </span>
                    <img class="picked-thumb" src={thumbnailUrl(media, 160)} alt="" width={64} height={64} draggable={false} />
                    <span class="picked-info">
                      <span class="picked-position">{i + 1}.</span> <span class="picked-name">{name}</span>
                      {i === 0 && <span class="badge badge-main">{t('picker.main')}</span>}
                    </span>
                    <span class="picked-actions">
                      <Button variant="ghost" class="btn-small" data-action="up" disabled={i === 0} aria-label={t('picker.moveUp', { name })} onClick={() => moveStep(media.id, -1)}>
                        <span aria-hidden="true">↑</span>
                      </Button>
                      <Button
                        variant="ghost"
                        class="btn-small"
                        data-action="down"
                        disabled={i === images.length - 1}
                        aria-label={t('picker.moveDown', { name })}
                        onClick={() => moveStep(media.id, 1)}
                      >
                        <span aria-hidden="true">↓</span>
                      </Button>
                      <Button
                        variant="secondary"
                        class="btn-small"
                        data-action="crop"
                        aria-haspopup="dialog"
                        aria-label={`${t('media.crop')}: ${name}`}
                        onClick={() => {
                          void loadPresets().then(
                            () => openCrop(media),
                            () => openCrop(media),
                          );
                        }}
                      >
                        {t('media.crop')}
                      </Button>
                      <Button variant="ghost" class="btn-small btn-danger-text" data-action="remove" aria-label={t('picker.removeLabel', { name })} onClick={() => remove(media)}>
                        {t('picker.remove')}
                      </Button>
                    </span>
                  </li>
                );
              })}
            </ol>
          </>
        )}
        <div class="form-actions">
          <Button variant="secondary" aria-haspopup="dialog" disabled={imageRoom === 0} onClick={() => setLibrary('IMAGE')}>
            {t('picker.fromLibraryImages')}
          </Button>
          <Button variant="secondary" disabled={imageRoom === 0} onClick={() => imageInput.current?.click()}>
            {t('picker.uploadImages')}
          </Button>
          <input
            ref={imageInput}
            type="file"
            multiple
            accept={IMAGE_ACCEPT}
            hidden
            aria-label={t('picker.uploadImages')}
            data-kind="IMAGE"
            onChange={(e) => {
              upload(e.currentTarget.files, 'IMAGE');
              e.currentTarget.value = '';
            }}
          />
        </div>
        {imageRoom === 0 && images.length >= MAX_IMAGES && <p class="field-hint">{t('picker.imagesAtLimit', { max: MAX_IMAGES })}</p>}
      </div>

      <div class="picker-part">
        <div class="picker-head">
          <h3>{t('picker.video')}</h3>
          <span class="limit" data-limit="video">
            {t('picker.videoCount', { count: video ? 1 : 0, max: MAX_VIDEOS })}
          </span>
        </div>
        {video ? (
          <div class="picked-item picked-video" data-media-id={video.id}>
            <video class="picked-thumb" src={video.url} preload="metadata" muted playsInline aria-hidden="true" />
            <span class="picked-info">
              <span class="picked-name">{mediaName(video)}</span>
              {video.durationSeconds !== null && <span class="muted"> · {formatDuration(video.durationSeconds)}</span>}
            </span>
            <span class="picked-actions">
              <Button variant="ghost" class="btn-small btn-danger-text" data-action="remove" aria-label={t('picker.removeLabel', { name: mediaName(video) })} onClick={() => remove(video)}>
                {t('picker.remove')}
              </Button>
            </span>
          </div>
        ) : (
          <p class="muted">{t('picker.noVideoYet')}</p>
        )}
        <div class="form-actions">
          <Button variant="secondary" aria-haspopup="dialog" disabled={videoRoom === 0} onClick={() => setLibrary('VIDEO')}>
            {t('picker.fromLibraryVideo')}
          </Button>
          <Button variant="secondary" disabled={videoRoom === 0} onClick={() => videoInput.current?.click()}>
            {t('picker.uploadVideo')}
          </Button>
          <input
            ref={videoInput}
            type="file"
            accept={VIDEO_ACCEPT}
            hidden
            aria-label={t('picker.uploadVideo')}
            data-kind="VIDEO"
            onChange={(e) => {
              upload(e.currentTarget.files, 'VIDEO');
              e.currentTarget.value = '';
            }}
          />
        </div>
      </div>

      <p class="sr-status" role="status">
        {message}
      </p>
      {shownUploads.length > 0 && <UploadList queue={queue} items={shownUploads} known={taken} />}

      <LibraryDialog
        kind={library}
        room={library === 'VIDEO' ? videoRoom : imageRoom}
        taken={taken}
        onPick={(items) => {
          if (library === 'VIDEO') {
            const [first] = items;
            if (first && setVideo(first)) setMessage(t('picker.videoAdded', { name: mediaName(first) }));
          } else if (addImages(items)) {
            setMessage(t('picker.imagesAdded', { count: items.length }));
          }
        }}
        onClose={() => setLibrary(null)}
      />
      <CropDialog
        media={cropping}
        presets={presets}
        initialPreset={presetForSection(presets, 'PRODUCT')?.name ?? null}
        onClose={closeCrop}
        onCropped={(media) => apply({ ...current.current, images: replaceItem(current.current.images, media) })}
        fallbackFocus={() => heading.current}
      />
    </section>
  );
}
