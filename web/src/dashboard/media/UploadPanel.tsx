import { useId, useRef, useState } from 'preact/hooks';
import type { MediaSection } from '../../generated/graphql';
import { formatBytes } from '../../lib/bytes';
import { errorMessage } from '../../lib/errors';
import { t, type MessageKey } from '../../lib/i18n';
import { SECTIONS } from '../../lib/media';
import { ACCEPT, uploadFraction, type UploadQueue } from '../../lib/upload';
import type { MediaItemFragment } from '../../generated/graphql';
import { Button } from '../components/Button';
import { useLang } from '../hooks';
import type { MediaUpload, UploadOptions } from './uploads';

export const SECTION_LABEL: Record<MediaSection, MessageKey> = {
  GALLERY: 'media.section.GALLERY',
  PRODUCT: 'media.section.PRODUCT',
  CAROUSEL: 'media.section.CAROUSEL',
  OTHER: 'media.section.OTHER',
};

interface UploadPanelProps {
  queue: UploadQueue<File, MediaItemFragment, UploadOptions>;
  items: readonly MediaUpload[];
  /** Ids already shown (an upload of the same bytes returns one of them). */
  known: ReadonlySet<string>;
}

/** Choose or drop files; each uploads on its own with a progress bar and a cancel button. */
export function UploadPanel({ queue, items, known }: UploadPanelProps) {
  useLang();
  const [section, setSection] = useState<MediaSection>('GALLERY');
  const [alt, setAlt] = useState('');
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const depth = useRef(0);
  const sectionId = useId();
  const altId = useId();
  const hintId = useId();

  const add = (files: FileList | null) => {
    if (!files || files.length === 0) return;
    queue.add([...files], { section, alt });
  };

  return (
    <section class="card section upload" aria-labelledby="upload-title">
      <h2 id="upload-title">{t('upload.title')}</h2>
      <div class="upload-options">
        <div class="field">
          <label class="field-label" for={sectionId}>
            {t('upload.section')}
          </label>
          <select id={sectionId} class="input" value={section} onChange={(e) => setSection(e.currentTarget.value as MediaSection)}>
            {SECTIONS.map((s) => (
              <option key={s} value={s}>
                {t(SECTION_LABEL[s])}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label class="field-label" for={altId}>
            {t('upload.alt')}
          </label>
          <input
            id={altId}
            class="input"
            type="text"
            maxLength={500}
            value={alt}
            aria-describedby={`${altId}-hint`}
            onInput={(e) => setAlt(e.currentTarget.value)}
          />
          <p class="field-hint" id={`${altId}-hint`}>
            {t('upload.altHint')}
          </p>
        </div>
      </div>
      <div
        class={`dropzone${dragging ? ' is-dragging' : ''}`}
        onDragEnter={(e) => {
          e.preventDefault();
          depth.current += 1;
          setDragging(true);
        }}
        onDragOver={(e) => {
          e.preventDefault();
          if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
        }}
        onDragLeave={() => {
          depth.current = Math.max(0, depth.current - 1);
          if (depth.current === 0) setDragging(false);
        }}
        onDrop={(e) => {
          e.preventDefault();
          depth.current = 0;
          setDragging(false);
          add(e.dataTransfer?.files ?? null);
        }}
      >
        <p class="dropzone-text">{t('upload.drop')}</p>
        <Button variant="secondary" aria-describedby={hintId} onClick={() => input.current?.click()}>
          {t('upload.choose')}
        </Button>
        <input
          ref={input}
          type="file"
          multiple
          accept={ACCEPT}
          hidden
          aria-label={t('upload.choose')}
          onChange={(e) => {
            add(e.currentTarget.files);
            e.currentTarget.value = '';
          }}
        />
        <p class="field-hint" id={hintId}>
          {t('upload.limits')}
        </p>
      </div>
      {items.length > 0 && (
        <>
          <UploadList queue={queue} items={items} known={known} />
          {items.some((i) => i.status === 'done' || i.status === 'error' || i.status === 'cancelled') && (
            <div class="form-actions">
              <Button variant="ghost" onClick={() => queue.clearFinished()}>
                {t('upload.clearFinished')}
              </Button>
            </div>
          )}
        </>
      )}
    </section>
  );
}

/** The files on their way (or just done), each with its own progress and buttons. */
export function UploadList({ queue, items, known }: UploadPanelProps) {
  return (
    <ul class="upload-list" aria-label={t('upload.listLabel')}>
      {items.map((item) => (
        <UploadRow key={item.id} item={item} known={known} onCancel={() => queue.cancel(item.id)} onDismiss={() => queue.dismiss(item.id)} />
      ))}
    </ul>
  );
}

/** One file's upload: progress, status, and cancelling or dismissing it. */
function UploadRow({ item, known, onCancel, onDismiss }: { item: MediaUpload; known: ReadonlySet<string>; onCancel(): void; onDismiss(): void }) {
  const lang = useLang();
  const fraction = uploadFraction(item);
  const percent = Math.round(fraction * 100);
  const running = item.status === 'uploading' || item.status === 'processing' || item.status === 'queued';
  const [wasKnown] = useState(() => known);
  const duplicate = item.status === 'done' && item.result !== null && wasKnown.has(item.result.id);
  let status: string;
  switch (item.status) {
    case 'queued':
      status = t('upload.queued');
      break;
    case 'uploading':
      status = t('upload.uploading', { percent, sent: formatBytes(item.loaded, lang), size: formatBytes(item.total, lang) });
      break;
    case 'processing':
      status = t('upload.processing');
      break;
    case 'done':
      status = duplicate ? t('upload.duplicate') : t('upload.done');
      break;
    case 'cancelled':
      status = t('upload.cancelled');
      break;
    case 'error':
      status = errorMessage(item.error, lang);
      break;
  }
  return (
    <li class={`upload-item upload-${item.status}`} data-status={item.status} data-file={item.name}>
      <div class="upload-item-head">
        <span class="upload-name">{item.name}</span>
        <span class="upload-size muted">{formatBytes(item.size, lang)}</span>
      </div>
      {item.status !== 'error' && item.status !== 'cancelled' && (
        <progress class="upload-progress" max={100} value={item.status === 'queued' ? 0 : percent} aria-label={t('upload.progressLabel', { name: item.name })} />
      )}
      <div class="upload-item-foot">
        {item.status === 'error' ? (
          <p class="upload-status text-error" role="alert">
            {status}
          </p>
        ) : (
          <p class="upload-status" role={item.status === 'done' || item.status === 'cancelled' ? 'status' : undefined}>
            {(item.status === 'uploading' || item.status === 'processing') && <span class="spinner" aria-hidden="true" />} {status}
          </p>
        )}
        {running ? (
          <Button variant="ghost" class="btn-small" onClick={onCancel} aria-label={t('upload.cancelLabel', { name: item.name })}>
            {t('upload.cancel')}
          </Button>
        ) : (
          <Button variant="ghost" class="btn-small" onClick={onDismiss} aria-label={t('upload.dismissLabel', { name: item.name })}>
            {t('upload.dismiss')}
          </Button>
        )}
      </div>
    </li>
  );
}
