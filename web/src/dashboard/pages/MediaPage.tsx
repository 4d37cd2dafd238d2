import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import {
  CropPresetsDocument,
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
import { Button } from '../components/Button';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Notice } from '../components/Notice';
import { PageHeading } from '../components/PageHeading';
import { StorageBar } from '../components/StorageBar';
import { useAction, useLang } from '../hooks';
import { CropDialog } from '../media/CropDialog';
import { MediaGrid, mediaName } from '../media/MediaGrid';
import type { CropPresetInfo } from '../media/presets';
import { SECTION_LABEL, UploadPanel } from '../media/UploadPanel';
import { createMediaQueue, type MediaUpload } from '../media/uploads';

export const PAGE_SIZE = 24;

interface Listing {
  items: MediaItemFragment[];
  total: number;
  endCursor: string | null;
  hasNextPage: boolean;
}

interface CropTarget {
  media: MediaItemFragment;
  preset: string | null;
}

/** `/dashboard/media/`: storage, uploads, the library with filters, cropping, deleting. */
export function MediaPage() {
  const lang = useLang();
  const [section, setSection] = useState<MediaSection | ''>('');
  const [kind, setKind] = useState<MediaKind | ''>('');
  const [listing, setListing] = useState<Listing | null>(null);
  const loadSeq = useRef(0);
  const [presets, setPresets] = useState<CropPresetInfo[]>([]);
  const presetsRef = useRef<CropPresetInfo[] | null>(null);
  const [uploads, setUploads] = useState<readonly MediaUpload[]>([]);
  const [cropping, setCropping] = useState<CropTarget | null>(null);
  const cropQueue = useRef<CropTarget[]>([]);
  /** Opened by an upload (not a button): focus returns to that item's crop button. */
  const cropFallback = useRef<HTMLElement | null>(null);
  const [deleting, setDeleting] = useState<MediaItemFragment | null>(null);
  const [deleted, setDeleted] = useState<string | null>(null);
  const libraryHeading = useRef<HTMLHeadingElement>(null);
  const filters = useRef({ section, kind });
  filters.current = { section, kind };

  const loadPresets = async (): Promise<CropPresetInfo[]> => {
    if (presetsRef.current) return presetsRef.current;
    const { cropPresets } = await request(CropPresetsDocument, {});
    presetsRef.current = cropPresets;
    setPresets(cropPresets);
    return cropPresets;
  };

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

  const replace = (media: MediaItemFragment) =>
    setListing((l) => (l ? { ...l, items: l.items.map((m) => (m.id === media.id ? media : m)) } : l));

  const queue = useMemo(
    () =>
      createMediaQueue((media, item) => {
        // New items go first (the list is newest first); the same bytes again return
        // an item that may be listed already.
        setListing((l) => {
          if (!l || !matches(media)) return l;
          if (l.items.some((m) => m.id === media.id)) return { ...l, items: l.items.map((m) => (m.id === media.id ? media : m)) };
          return { ...l, items: [media, ...l.items], total: l.total + 1 };
        });
        if (media.kind === 'IMAGE') {
          void loadPresets().then(
            (list) => openCrop({ media, preset: presetForSection(list, item.options.section)?.name ?? null }),
            () => openCrop({ media, preset: null }),
          );
        }
      }),
    [],
  );

  useEffect(() => {
    const off = queue.subscribe((items) => setUploads(items));
    return () => {
      off();
      queue.cancelAll();
    };
  }, [queue]);

  useEffect(() => {
    void loadPresets().catch(() => undefined);
  }, []);

  const load = useAction(async (after: string | null) => {
    const seq = ++loadSeq.current;
    const vars = {
      first: PAGE_SIZE,
      after,
      section: section === '' ? null : section,
      kind: kind === '' ? null : kind,
    };
    const { mediaList } = await request(MediaListDocument, vars);
    // A later load (another filter) wins over this one.
    if (seq !== loadSeq.current) return mediaList.totalCount;
    const page = mediaList.edges.map((e) => e.node);
    setListing((l) => {
      const items = after && l ? [...l.items, ...page.filter((p) => !l.items.some((m) => m.id === p.id))] : page;
      return { items, total: mediaList.totalCount, endCursor: mediaList.pageInfo.endCursor, hasNextPage: mediaList.pageInfo.hasNextPage };
    });
    return mediaList.totalCount;
  });

  useEffect(() => {
    setListing(null);
    void load.run(null);
  }, [section, kind]);

  const known = useMemo(() => new Set(listing?.items.map((m) => m.id) ?? []), [listing]);

  const remove = async (media: MediaItemFragment) => {
    await request(DeleteMediaDocument, { id: media.id });
    setListing((l) => (l ? { ...l, items: l.items.filter((m) => m.id !== media.id), total: Math.max(0, l.total - 1) } : l));
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
          {listing === null && load.busy && (
            <p class="loading-line" role="status">
              <span class="spinner" aria-hidden="true" /> {t('app.loading')}
            </p>
          )}
          {listing === null && !load.busy && load.error !== null && (
            <Notice kind="error">
              {errorMessage(load.error, lang)}{' '}
              <Button variant="secondary" class="btn-small" onClick={() => void load.run(null)}>
                {t('confirm.retry')}
              </Button>
            </Notice>
          )}
          {listing && (
            <>
              <p class="muted library-count" role="status">
                {listing.total === 0
                  ? section === '' && kind === ''
                    ? t('media.empty')
                    : t('media.emptyFiltered')
                  : t('media.count', { shown: listing.items.length, total: listing.total })}
              </p>
              <MediaGrid
                items={listing.items}
                onCrop={(media) => {
                  setDeleted(null);
                  void loadPresets().then(
                    (list) => openCrop({ media, preset: presetForSection(list, media.section)?.name ?? null }),
                    () => openCrop({ media, preset: null }),
                  );
                }}
                onDelete={(media) => {
                  setDeleted(null);
                  setDeleting(media);
                }}
              />
              {listing.hasNextPage && (
                <div class="form-actions">
                  <Button variant="secondary" busy={load.busy} busyText={t('app.loading')} onClick={() => void load.run(listing.endCursor)}>
                    {t('media.more')}
                  </Button>
                </div>
              )}
              {listing.items.length > 0 && load.error !== null && !load.busy && <Notice kind="error">{errorMessage(load.error, lang)}</Notice>}
            </>
          )}
        </section>
      </div>
      <CropDialog
        media={cropping?.media ?? null}
        presets={presets}
        initialPreset={cropping?.preset ?? null}
        onClose={closeCrop}
        onCropped={replace}
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
