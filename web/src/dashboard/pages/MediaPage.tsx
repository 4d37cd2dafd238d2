import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import {
  DeleteMediaDocument,
  MediaListDocument,
  type MediaItemFragment,
  type MediaKind,
  type MediaSection,
} from '../../generated/graphql';
import { errorMessage } from '../../lib/errors';
import { request } from '../../lib/graphql';
import { t } from '../../lib/i18n';
import { KINDS, presetForSection, SECTIONS } from '../../lib/media';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ListStatus } from '../components/ListStatus';
import { Notice } from '../components/Notice';
import { PageHeading } from '../components/PageHeading';
import { StorageBar } from '../components/StorageBar';
import { MoreButton } from '../components/MoreButton';
import { useLang } from '../hooks';
import { CropDialog } from '../media/CropDialog';
import { MediaGrid, mediaName } from '../media/MediaGrid';
import { SECTION_LABEL, UploadPanel } from '../media/UploadPanel';
import { useCropPresets } from '../media/useCropPresets';
import { useMediaQueue } from '../media/uploads';
import { usePagedList } from '../paged';

export const PAGE_SIZE = 24;

interface CropTarget {
  media: MediaItemFragment;
  preset: string | null;
}

/** `/dashboard/media/`: storage, uploads, the library with filters, cropping, deleting. */
export function MediaPage() {
  const lang = useLang();
  const [section, setSection] = useState<MediaSection | ''>('');
  const [kind, setKind] = useState<MediaKind | ''>('');
  const list = usePagedList(
    async (after) =>
      (
        await request(MediaListDocument, {
          first: PAGE_SIZE,
          after,
          section: section === '' ? null : section,
          kind: kind === '' ? null : kind,
        })
      ).mediaList,
    [section, kind],
  );
  const { presets, loadPresets } = useCropPresets();
  const [cropping, setCropping] = useState<CropTarget | null>(null);
  const cropQueue = useRef<CropTarget[]>([]);
  /** Opened by an upload (not a button): focus returns to that item's crop button. */
  const cropFallback = useRef<HTMLElement | null>(null);
  const [deleting, setDeleting] = useState<MediaItemFragment | null>(null);
  const [deleted, setDeleted] = useState<string | null>(null);
  const libraryHeading = useRef<HTMLHeadingElement>(null);
  const filters = useRef({ section, kind });
  filters.current = { section, kind };

  /** Opens the crop dialog, or queues it behind the one open now. */
  const openCrop = (target: CropTarget) => {
    setCropping((current) => {
      if (current) {
        cropQueue.current.push(target);
        return current;
      }
      return target;
    });
  };

  const closeCrop = () => {
    const closing = cropping?.media.id;
    cropFallback.current =
      (closing ? document.querySelector<HTMLElement>(`[data-media-id="${closing}"] [data-action="crop"]`) : null) ?? libraryHeading.current;
    setCropping(cropQueue.current.shift() ?? null);
  };

  const matches = (media: MediaItemFragment) =>
    (filters.current.section === '' || media.section === filters.current.section) &&
    (filters.current.kind === '' || media.kind === filters.current.kind);

  const { queue, uploads } = useMediaQueue((media, item) => {
    // New items go first (the list is newest first); the same bytes again return
    // an item that may be listed already.
    if (matches(media)) list.add(media);
    if (media.kind === 'IMAGE') {
      void loadPresets().then(
        (found) => openCrop({ media, preset: presetForSection(found, item.options.section)?.name ?? null }),
        () => openCrop({ media, preset: null }),
      );
    }
  });

  useEffect(() => {
    void loadPresets().catch(() => undefined);
  }, []);

  const known = useMemo(() => new Set(list.items?.map((m) => m.id) ?? []), [list.items]);

  const remove = async (media: MediaItemFragment) => {
    await request(DeleteMediaDocument, { id: media.id });
    list.remove(media.id);
    setDeleted(mediaName(media));
  };

  return (
    <>
      <PageHeading title={t('media.title')}>
        <p class="lead">{t('media.intro')}</p>
      </PageHeading>
      <div class="media-layout">
        <StorageBar />
        <UploadPanel queue={queue} items={uploads} known={known} />
        <section class="card section library" aria-labelledby="library-title">
          <div class="library-head">
            <h2 id="library-title" ref={libraryHeading} tabIndex={-1}>
              {t('media.library')}
            </h2>
            <div class="filters" role="group" aria-label={t('media.filters')}>
              <label class="filter">
                <span class="field-label">{t('media.filterSection')}</span>
                <select class="input" value={section} onChange={(e) => setSection(e.currentTarget.value as MediaSection | '')}>
                  <option value="">{t('media.all')}</option>
                  {SECTIONS.map((s) => (
                    <option key={s} value={s}>
                      {t(SECTION_LABEL[s])}
                    </option>
                  ))}
                </select>
              </label>
              <label class="filter">
                <span class="field-label">{t('media.filterKind')}</span>
                <select class="input" value={kind} onChange={(e) => setKind(e.currentTarget.value as MediaKind | '')}>
                  <option value="">{t('media.all')}</option>
                  {KINDS.map((k) => (
                    <option key={k} value={k}>
                      {t(k === 'VIDEO' ? 'media.kind.VIDEO' : 'media.kind.IMAGE')}
                    </option>
                  ))}
                </select>
              </label>
            </div>
          </div>
          {deleted && (
            <Notice kind="success">
              {t('media.deleted', { name: deleted })}
            </Notice>
          )}
          <ListStatus list={list} />
          {list.items && (
            <>
              <p class="muted library-count" role="status">
                {list.total === 0
                  ? section === '' && kind === ''
                    ? t('media.empty')
                    : t('media.emptyFiltered')
                  : t('media.count', { shown: list.items.length, total: list.total })}
              </p>
              <MediaGrid
                items={list.items}
                onCrop={(media) => {
                  setDeleted(null);
                  void loadPresets().then(
                    (found) => openCrop({ media, preset: presetForSection(found, media.section)?.name ?? null }),
                    () => openCrop({ media, preset: null }),
                  );
                }}
                onDelete={(media) => {
                  setDeleted(null);
                  setDeleting(media);
                }}
              />
              <MoreButton list={list} />
              {list.items.length > 0 && list.error !== null && !list.busy && <Notice kind="error">{errorMessage(list.error, lang)}</Notice>}
            </>
          )}
        </section>
      </div>
      <CropDialog
        media={cropping?.media ?? null}
        presets={presets}
        initialPreset={cropping?.preset ?? null}
        onClose={closeCrop}
        onCropped={list.update}
        fallbackFocus={() => cropFallback.current}
      />
      <ConfirmDialog
        open={deleting !== null}
        title={t('media.deleteTitle')}
        text={deleting ? t('media.deleteText', { name: mediaName(deleting) }) : ''}
        confirmLabel={t('media.deleteConfirm')}
        busyLabel={t('media.deleting')}
        onConfirm={async () => {
          if (!deleting) return;
          await remove(deleting);
        }}
        onClose={() => setDeleting(null)}
        // The item and its button are gone: focus goes to the library's heading.
        fallbackFocus={() => libraryHeading.current}
      />
    </>
  );
}
