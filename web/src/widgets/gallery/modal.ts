/**
 * The full-screen gallery: PhotoSwipe 5 (swipe, arrow keys, Esc, pinch and double-tap
 * zoom, focus kept inside while open) with the video as a slide of its own
 * (`<video controls playsinline>` made in PhotoSwipe's `contentLoad` hook). PhotoSwipe
 * lives in document.body, outside the gallery's shadow root: its stylesheet is adopted
 * by the document (see styles.ts), and focus goes back to the gallery's own button
 * (PhotoSwipe would give it to the shadow host, which cannot take it).
 */
import PhotoSwipe from 'photoswipe';
import type { Bounds } from 'photoswipe';
import pswpCss from 'photoswipe/style.css?inline';
import type { Slide } from './data';
import { modalItems, type Format } from './images';
import { focusCycle, videoPointerOwner } from './keys';
import type { GalleryLabels } from './labels';
import { adoptModalStyles } from './styles';

export interface ModalOptions {
  slides: Slide[];
  index: number;
  name: string;
  labels: GalleryLabels;
  format: Format;
  /** Where the slide `index` is shown on the page (for the zoom in and out), if it is. */
  bounds(index: number): Bounds | undefined;
  /** The modal moved to another slide. */
  onChange(index: number): void;
  /** The modal is gone: where the focus goes back to. */
  onClosed(): void;
}

/** Whether the modal can be opened here (its styles need constructed stylesheets). */
export function modalStylesReady(): boolean {
  return adoptModalStyles(pswpCss);
}

function makeVideo(data: Record<string, unknown>, label: string): HTMLVideoElement {
  const video = document.createElement('video');
  video.className = 'pswp__vitrin-video';
  video.controls = true;
  video.playsInline = true;
  video.preload = 'metadata';
  video.setAttribute('playsinline', '');
  video.setAttribute('aria-label', label);
  if (typeof data.poster === 'string') video.poster = data.poster;
  const source = document.createElement('source');
  source.src = String(data.videoSrc ?? '');
  source.type = String(data.videoType ?? '');
  video.append(source);
  return video;
}

function pauseVideo(element: Element | undefined): void {
  if (element instanceof HTMLVideoElement && !element.paused) element.pause();
}

/** Opens the modal at `index`; returns the PhotoSwipe instance. */
export function openModal(options: ModalOptions): PhotoSwipe {
  const { labels } = options;
  const pswp = new PhotoSwipe({
    dataSource: modalItems(options.slides, options.format, options.name),
    index: options.index,
    bgOpacity: 0.92,
    showHideAnimationType: 'zoom',
    loop: true,
    wheelToZoom: false,
    trapFocus: true,
    returnFocus: false,
    closeTitle: labels.close,
    zoomTitle: labels.zoom,
    arrowPrevTitle: labels.previous,
    arrowNextTitle: labels.next,
    errorMsg: labels.loadError,
    indexIndicatorSep: ' / ',
  });

  // The video: our own element instead of PhotoSwipe's <img>.
  pswp.on('contentLoad', (event) => {
    const { content } = event;
    if (content.type !== 'video') return;
    event.preventDefault();
    content.element = makeVideo(content.data, labels.video(options.name)) as unknown as HTMLDivElement;
  });
  // Videos are not zoomed (their controls need the pointer); pictures are.
  pswp.addFilter('isContentZoomable', (zoomable, content) => (content.type === 'video' ? false : zoomable));
  pswp.addFilter('useContentPlaceholder', (use, content) => (content.type === 'video' ? false : use));
  // A pointer on the video's controls (a mouse anywhere on it) is the video's, not a swipe.
  pswp.on('pointerDown', (event) => {
    const target = event.originalEvent.target;
    if (!(target instanceof HTMLVideoElement)) return;
    const rect = target.getBoundingClientRect();
    if (videoPointerOwner(event.originalEvent.pointerType ?? 'mouse', event.originalEvent.clientY - rect.top, rect.height) === 'video') {
      event.preventDefault();
    }
  });
  // A video stops when its slide is left or the modal closes.
  pswp.on('contentDeactivate', ({ content }) => pauseVideo(content.element));
  pswp.on('close', () => {
    for (const video of pswp.element?.querySelectorAll('video') ?? []) pauseVideo(video);
  });
  // (PhotoSwipe's type says Bounds; undefined is what it passes when there are none: a fade.)
  // Tab goes round the dialog's controls (PhotoSwipe's own trap lets it reach the
  // browser's toolbar first): its buttons and the video of the slide shown.
  pswp.on('keydown', (event) => {
    const key = event.originalEvent;
    if (key.key !== 'Tab' || key.altKey || key.ctrlKey || key.metaKey || !pswp.element) return;
    const controls = [...pswp.element.querySelectorAll<HTMLElement>('button, .pswp__item[aria-hidden="false"] video')].filter(
      (el) => el.getClientRects().length > 0 && !(el as HTMLButtonElement).disabled && getComputedStyle(el).visibility !== 'hidden',
    );
    const next = focusCycle(controls.indexOf(document.activeElement as HTMLElement), controls.length, key.shiftKey);
    event.preventDefault();
    key.preventDefault();
    (controls[next] ?? pswp.element).focus();
  });
  pswp.addFilter('thumbBounds', (bounds, _data, index) => (options.bounds(index) ?? bounds) as Bounds);
  pswp.on('change', () => options.onChange(pswp.currIndex));
  pswp.on('destroy', () => options.onClosed());

  pswp.init();
  const root = pswp.element;
  if (root) {
    root.setAttribute('aria-modal', 'true');
    root.setAttribute('aria-label', labels.dialog(options.name));
    root.classList.add('pswp--vitrin');
  }
  return pswp;
}
