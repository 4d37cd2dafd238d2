/**
 * `<vitrin-gallery>`: a product's pictures and video, as on a shop's product page.
 *
 *   <script type="module" src="https://vitrin.example/widgets/gallery.js"></script>
 *   <vitrin-gallery product="kupa" lang="tr">
 *     <script type="application/json">{"name":"Kupa","slides":[…]}</script>
 *     <figure>…the first picture, and links to the others (for browsers without script)…</figure>
 *   </vitrin-gallery>
 *
 * The main picture sits in a box of fixed proportions (nothing moves while it loads,
 * nothing is stretched), WebP first with JPEG behind it, 1000 px or 2000 px wide as the
 * screen needs. Thumbnails below switch it (click, or arrow keys then Enter/Space).
 * With a mouse, hovering the picture shows a lens on it and the 2000 px picture under
 * the lens in a pane beside it. A click opens the full-screen gallery (PhotoSwipe),
 * video included. Without the JSON it asks the `product` query of the API (attribute
 * `api`, default the script's origin); no usable slide shows "Görsel yok" / "No image".
 *
 * Shadow DOM with constructed stylesheets; positions and sizes are set through the
 * CSSOM: nothing inline, so it works under a strict CSP. Events (bubbling, composed):
 * `vitrin-gallery-change` ({ index, total, kind }), `vitrin-gallery-open` and
 * `vitrin-gallery-close` ({ index }).
 */
import type PhotoSwipe from 'photoswipe';
import type { Bounds } from 'photoswipe';
import { EMPTY_GALLERY, galleryFromAnswer, galleryRequest, graphqlUrl, parseGalleryJson, type GalleryData, type ImageSlide, type Slide } from './gallery/data';
import { browserTookWebp, cssUrl, fileUrl, mainSources, sizesFor, thumbSources, type Format } from './gallery/images';
import { thumbKeyTarget } from './gallery/keys';
import { galleryLang, LABELS, type GalleryLabels, type GalleryLang } from './gallery/labels';
import { containRect, lensView, placePane } from './gallery/lens';
import { modalStylesReady, openModal } from './gallery/modal';
import { shadowStyles } from './gallery/styles';

/** Zoom on hover only where there is a real pointer that hovers (not on touch screens). */
function canHover(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(hover: hover) and (pointer: fine)').matches;
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, attributes: Record<string, string> = {}): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (className) el.className = className;
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
  return el;
}

/** A `<picture>`: the WebP `<source>` (when there is one) and the JPEG `<img>`. */
function picture(sources: { webp: string | null; jpeg: string }, img: Record<string, string>, sizes?: string): { picture: HTMLPictureElement; img: HTMLImageElement } {
  const pic = element('picture');
  if (sources.webp) {
    const source = element('source', undefined, { type: 'image/webp' });
    // sizes before srcset (Safari picks on srcset).
    if (sizes) source.sizes = sizes;
    source.srcset = sources.webp;
    pic.append(source);
  }
  const image = element('img');
  image.decoding = 'async';
  image.draggable = false;
  for (const [name, value] of Object.entries(img)) if (name !== 'src') image.setAttribute(name, value);
  if (sizes) image.sizes = sizes;
  image.srcset = sources.jpeg;
  if (img.src) image.src = img.src;
  pic.append(image);
  return { picture: pic, img: image };
}

interface Parts {
  gallery: HTMLElement;
  stage: HTMLElement;
  lens: HTMLElement;
  pane: HTMLElement;
  thumbs: HTMLButtonElement[];
  live: HTMLElement;
  /** The control on the stage that opens the modal (the picture's button, or "Büyüt" by a video). */
  opener: HTMLButtonElement | null;
  /** The main `<img>` of an image slide. */
  img: HTMLImageElement | null;
  video: HTMLVideoElement | null;
}

export class VitrinGallery extends HTMLElement {
  static observedAttributes = ['lang', 'product', 'api', 'sizes'];

  private data: GalleryData | null = null;
  private index = 0;
  private language: GalleryLang = 'tr';
  private labels: GalleryLabels = LABELS.tr;
  private parts: Parts | null = null;
  private request: AbortController | null = null;
  private modal: PhotoSwipe | null = null;
  private resize: ResizeObserver | null = null;
  /** The pane's background is for this slide and format. */
  private paneFor = '';

  /** The slide shown (0-based). */
  get currentIndex(): number {
    return this.index;
  }

  connectedCallback(): void {
    if (document.readyState === 'loading') {
      // The JSON child may not be parsed yet.
      document.addEventListener('DOMContentLoaded', () => this.isConnected && this.load(), { once: true });
    } else {
      this.load();
    }
  }

  disconnectedCallback(): void {
    this.request?.abort();
    this.request = null;
    this.resize?.disconnect();
    this.resize = null;
    this.modal?.destroy();
    this.modal = null;
  }

  attributeChangedCallback(name: string, previous: string | null, next: string | null): void {
    if (!this.isConnected || previous === next) return;
    if (name === 'lang') this.render();
    else if (name === 'sizes') this.updateSizes();
    // Another product or API: asked again (unless the page gave the JSON, or the first
    // load is still waiting for the document).
    else if (!this.jsonChild() && (this.data || this.request)) this.load();
  }

  private jsonChild(): HTMLScriptElement | null {
    return this.querySelector(':scope > script[type="application/json"]');
  }

  /** The slides from the JSON child, or else from the API. */
  private load(): void {
    const json = this.jsonChild();
    if (json) {
      this.show(parseGalleryJson(json.textContent));
      return;
    }
    const slug = this.getAttribute('product')?.trim();
    if (!slug) {
      this.show(EMPTY_GALLERY);
      return;
    }
    this.request?.abort();
    const request = new AbortController();
    this.request = request;
    // The server's fallback stays on screen until the answer is here.
    this.setAttribute('data-state', 'loading');
    fetch(graphqlUrl(this.getAttribute('api'), import.meta.url, document.baseURI), {
      method: 'POST',
      mode: 'cors',
      credentials: 'omit',
      headers: { 'Content-Type': 'application/json', Accept: 'application/graphql-response+json, application/json;q=0.9' },
      body: JSON.stringify(galleryRequest(slug)),
      signal: request.signal,
    })
      .then((response) => response.json())
      .then(
        (body: unknown) => galleryFromAnswer(body),
        () => EMPTY_GALLERY,
      )
      .then((data) => {
        if (request.signal.aborted || !this.isConnected) return;
        this.request = null;
        this.show(data);
      });
  }

  private show(data: GalleryData): void {
    this.data = data;
    this.index = 0;
    this.render();
  }

  private render(): void {
    const data = this.data;
    if (!data) return;
    const root = this.shadowRoot ?? this.attachShadow({ mode: 'open' });
    root.adoptedStyleSheets = shadowStyles();
    const inherited = this.parentElement?.closest('[lang]')?.getAttribute('lang') ?? document.documentElement.lang;
    this.language = galleryLang(this.getAttribute('lang'), inherited);
    this.labels = LABELS[this.language];
    this.resize?.disconnect();
    this.parts = null;
    this.paneFor = '';

    if (data.slides.length === 0) {
      const box = element('div', 'placeholder', { part: 'placeholder' });
      box.lang = this.language;
      const mark = element('span', 'placeholder-mark', { 'aria-hidden': 'true' });
      mark.textContent = '▧';
      const text = element('span', 'placeholder-text');
      text.textContent = this.labels.noImage;
      const inner = element('span');
      inner.append(mark, text);
      box.append(inner);
      root.replaceChildren(box);
      this.setAttribute('data-state', 'empty');
      return;
    }

    const gallery = element('div', 'gallery', { role: 'group', part: 'gallery' });
    gallery.lang = this.language;
    gallery.setAttribute('aria-label', this.labels.region(data.name));
    const stage = element('div', 'stage', { part: 'stage' });
    const first = data.slides[0]!;
    const ratio = first.kind === 'image' ? first.main : first;
    stage.style.aspectRatio = `${ratio.width} / ${ratio.height}`;
    const lens = element('div', 'lens', { 'aria-hidden': 'true' });
    const pane = element('div', 'pane', { 'aria-hidden': 'true', part: 'zoom' });
    const live = element('div', 'sr', { 'aria-live': 'polite' });
    gallery.append(stage, pane);

    const thumbs: HTMLButtonElement[] = [];
    if (data.slides.length > 1) {
      const list = element('ul', 'thumbs', { part: 'thumbnails' });
      list.setAttribute('aria-label', this.labels.thumbnails);
      data.slides.forEach((slide, i) => {
        const item = element('li');
        const button = this.thumb(slide, i, data.slides.length);
        thumbs.push(button);
        item.append(button);
        list.append(item);
      });
      list.addEventListener('keydown', (event) => this.onThumbKey(event));
      gallery.append(list);
    }
    gallery.append(live);
    root.replaceChildren(gallery);
    this.parts = { gallery, stage, lens, pane, thumbs, live, opener: null, img: null, video: null };

    stage.addEventListener('pointerenter', (e) => this.onHover(e));
    stage.addEventListener('pointermove', (e) => this.onHover(e));
    stage.addEventListener('pointerleave', () => this.hideZoom());
    stage.addEventListener('pointerdown', () => this.hideZoom());
    if (typeof ResizeObserver === 'function') {
      this.resize = new ResizeObserver(() => this.updateSizes());
      this.resize.observe(stage);
    }
    this.showSlide(this.index);
    this.setAttribute('data-state', 'ready');
  }

  private thumb(slide: Slide, i: number, total: number): HTMLButtonElement {
    const button = element('button', `thumb ${slide.kind}`, { type: 'button', part: 'thumbnail' });
    button.dataset.index = String(i);
    if (slide.kind === 'image') {
      button.setAttribute('aria-label', this.labels.image(i + 1, total));
      const { picture: pic } = picture(thumbSources(slide), {
        src: slide.thumb.jpeg,
        alt: '',
        width: String(slide.thumb.width),
        height: String(slide.thumb.height),
      });
      button.append(pic);
    } else {
      button.setAttribute('aria-label', this.labels.playVideo(i + 1, total));
      if (slide.poster) {
        button.classList.add('has-poster');
        const poster = element('img', undefined, { alt: '', src: slide.poster });
        poster.decoding = 'async';
        poster.draggable = false;
        button.append(poster);
      }
      const play = element('span', 'play', { 'aria-hidden': 'true' });
      play.textContent = '▶';
      button.append(play);
    }
    button.addEventListener('click', () => {
      this.select(i, true);
      if (slide.kind === 'video') this.parts?.video?.play().catch(() => undefined);
    });
    return button;
  }

  /** Shows slide `i` on the stage (the thumbnails follow). */
  select(i: number, announce = false): void {
    const data = this.data;
    if (!data || !this.parts || i < 0 || i >= data.slides.length || i === this.index) return;
    this.showSlide(i);
    if (announce) {
      const slide = data.slides[i]!;
      this.parts.live.textContent = this.labels.shown(i + 1, data.slides.length, slide.kind === 'image' ? slide.alt : '', slide.kind === 'video');
    }
    this.dispatchEvent(
      new CustomEvent('vitrin-gallery-change', { bubbles: true, composed: true, detail: { index: i, total: data.slides.length, kind: data.slides[i]!.kind } }),
    );
  }

  private showSlide(i: number): void {
    const parts = this.parts;
    const data = this.data;
    if (!parts || !data) return;
    const slide = data.slides[i]!;
    this.index = i;
    this.hideZoom();
    if (parts.video && !parts.video.paused) parts.video.pause();
    parts.opener = null;
    parts.img = null;
    parts.video = null;

    if (slide.kind === 'image') {
      const open = element('button', 'open', { type: 'button', part: 'open' });
      open.setAttribute('aria-label', this.labels.enlargeImage(slide.alt));
      const { picture: pic, img } = picture(
        mainSources(slide),
        { src: slide.main.jpeg, alt: slide.alt, width: String(slide.main.width), height: String(slide.main.height) },
        this.sizes(),
      );
      img.fetchPriority = 'high';
      open.append(pic);
      open.addEventListener('click', () => this.open());
      parts.stage.replaceChildren(open, parts.lens);
      parts.opener = open;
      parts.img = img;
    } else {
      const video = element('video', undefined, { width: String(slide.width), height: String(slide.height), part: 'video' });
      video.controls = true;
      video.playsInline = true;
      video.setAttribute('playsinline', '');
      video.preload = 'metadata';
      video.setAttribute('aria-label', this.labels.video(data.name));
      if (slide.poster) video.poster = slide.poster;
      const source = element('source');
      source.src = slide.src;
      source.type = slide.type;
      video.append(source);
      const expand = element('button', 'expand', { type: 'button', part: 'expand' });
      const icon = element('span', undefined, { 'aria-hidden': 'true' });
      icon.textContent = '⤢';
      const text = element('span');
      text.textContent = this.labels.enlarge;
      expand.append(icon, text);
      expand.addEventListener('click', () => this.open());
      parts.stage.replaceChildren(video, expand, parts.lens);
      parts.opener = expand;
      parts.video = video;
    }

    parts.thumbs.forEach((thumb, n) => {
      if (n === i) thumb.setAttribute('aria-current', 'true');
      else thumb.removeAttribute('aria-current');
      thumb.tabIndex = n === i ? 0 : -1;
    });
  }

  private sizes(): string {
    const width = this.parts?.stage.clientWidth;
    return sizesFor(this.getAttribute('sizes'), width || null);
  }

  /** The box got wider (or the page set `sizes`): the browser may want the larger file. */
  private updateSizes(): void {
    const img = this.parts?.img;
    if (!img) return;
    const sizes = this.sizes();
    if (img.sizes === sizes) return;
    for (const source of img.parentElement?.querySelectorAll('source') ?? []) source.sizes = sizes;
    img.sizes = sizes;
  }

  private onThumbKey(event: KeyboardEvent): void {
    const parts = this.parts;
    if (!parts) return;
    const target = event.target instanceof HTMLElement ? event.target.closest<HTMLButtonElement>('button.thumb') : null;
    if (!target) return;
    const from = parts.thumbs.indexOf(target);
    const rtl = getComputedStyle(target).direction === 'rtl';
    const to = thumbKeyTarget(event.key, from, parts.thumbs.length, rtl);
    if (to === null) return;
    event.preventDefault();
    for (const thumb of parts.thumbs) thumb.tabIndex = -1;
    const next = parts.thumbs[to]!;
    next.tabIndex = 0;
    next.focus();
  }

  // --- Hover zoom ----------------------------------------------------------------------

  private onHover(event: PointerEvent): void {
    const parts = this.parts;
    const slide = this.data?.slides[this.index];
    if (!parts || !slide || slide.kind !== 'image' || !parts.opener || this.modal || event.pointerType !== 'mouse' || !canHover()) {
      this.hideZoom();
      return;
    }
    const box = parts.opener.getBoundingClientRect();
    const content = containRect(box, slide.main);
    const pointer = { x: event.clientX - box.left, y: event.clientY - box.top };
    if (pointer.x < content.x || pointer.y < content.y || pointer.x > content.x + content.width || pointer.y > content.y + content.height) {
      this.hideZoom();
      return;
    }
    this.paneBackground(slide, parts);
    const place = placePane({ x: box.left, y: box.top, width: box.width, height: box.height }, box, document.documentElement.clientWidth);
    const origin = parts.gallery.getBoundingClientRect();
    const { pane, lens } = parts;
    pane.dataset.side = place.side;
    pane.style.left = `${box.left - origin.left + place.x}px`;
    pane.style.top = `${box.top - origin.top}px`;
    pane.style.width = `${box.width}px`;
    pane.style.height = `${box.height}px`;
    pane.classList.add('on');
    // What the pane shows is inside its border.
    const view = lensView(pointer, content, { width: pane.clientWidth, height: pane.clientHeight }, slide.zoom);
    if (!view) {
      this.hideZoom();
      return;
    }
    pane.style.backgroundSize = `${view.backgroundSize.width}px ${view.backgroundSize.height}px`;
    pane.style.backgroundPosition = `${view.backgroundPosition.x}px ${view.backgroundPosition.y}px`;
    // The lens is in the stage, whose padding box the picture's button fills.
    lens.style.width = `${view.lens.width}px`;
    lens.style.height = `${view.lens.height}px`;
    lens.style.transform = `translate(${view.lens.x}px, ${view.lens.y}px)`;
    lens.classList.toggle('on', place.side !== 'inside');
  }

  /** The pane shows the zoom file, with the main one (already loaded) under it until it arrives. */
  private paneBackground(slide: ImageSlide, parts: Parts): void {
    const format = this.format();
    const key = `${this.index}:${format}`;
    if (this.paneFor === key) return;
    this.paneFor = key;
    parts.pane.style.backgroundImage = `${cssUrl(fileUrl(slide.zoom, format))}, ${cssUrl(fileUrl(slide.main, format))}`;
  }

  private hideZoom(): void {
    this.parts?.pane.classList.remove('on');
    this.parts?.lens.classList.remove('on');
  }

  /** WebP for the pane and the modal when the browser took the main picture's WebP. */
  private format(): Format {
    const slide = this.data?.slides[this.index];
    const img = this.parts?.img;
    return slide?.kind === 'image' && img && browserTookWebp(img.currentSrc, slide, document.baseURI) ? 'webp' : 'jpeg';
  }

  // --- The modal -----------------------------------------------------------------------

  /** Opens the full-screen gallery at the slide shown. */
  open(): void {
    const data = this.data;
    if (!data || data.slides.length === 0 || this.modal) return;
    this.hideZoom();
    const slide = data.slides[this.index]!;
    if (!modalStylesReady()) {
      // No constructed stylesheets (very old browsers): the large file on its own.
      window.open(slide.kind === 'image' ? slide.zoom.jpeg : slide.src, '_blank', 'noopener');
      return;
    }
    if (this.parts?.video && !this.parts.video.paused) this.parts.video.pause();
    const index = this.index;
    this.modal = openModal({
      slides: data.slides,
      index,
      name: data.name,
      labels: this.labels,
      format: this.format(),
      bounds: (i) => this.bounds(i),
      onChange: (i) => this.select(i),
      onClosed: () => {
        this.modal = null;
        this.parts?.opener?.focus();
        this.dispatchEvent(new CustomEvent('vitrin-gallery-close', { bubbles: true, composed: true, detail: { index: this.index } }));
      },
    });
    this.dispatchEvent(new CustomEvent('vitrin-gallery-open', { bubbles: true, composed: true, detail: { index } }));
  }

  /** Where slide `i`'s picture is on screen, when it is the one shown (the modal zooms from and to it). */
  private bounds(i: number): Bounds | undefined {
    const slide = this.data?.slides[i];
    const opener = this.parts?.opener;
    if (i !== this.index || slide?.kind !== 'image' || !opener) return undefined;
    const box = opener.getBoundingClientRect();
    if (box.width === 0) return undefined;
    const content = containRect(box, slide.main);
    return { x: box.left + content.x, y: box.top + content.y, w: content.width };
  }
}

if (!customElements.get('vitrin-gallery')) customElements.define('vitrin-gallery', VitrinGallery);
