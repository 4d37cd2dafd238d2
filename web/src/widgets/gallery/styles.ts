/**
 * The gallery's styles, as constructed stylesheets (nothing inline: fine under
 * `style-src 'self'`): one for its shadow root, and PhotoSwipe's plus ours for the
 * modal, which lives in document.body and so is styled from the document.
 *
 * Colours, radii, focus ring and fonts are the dashboard's tokens (src/styles/main.css);
 * a host page can theme them with the --vitrin-* custom properties.
 */

export const GALLERY_CSS = `
:host {
  display: block;
  position: relative;
  --vitrin-accent: #0f5c6e;
  --vitrin-accent-soft: #e3f1f4;
  --vitrin-text: #1d2433;
  --vitrin-muted: #5b6578;
  --vitrin-surface: #ffffff;
  --vitrin-bg: #f5f6f8;
  --vitrin-border: #dde1e8;
  --vitrin-focus: #1a73e8;
  --vitrin-radius: 10px;
  --vitrin-radius-small: 6px;
  --vitrin-shadow: 0 1px 2px rgb(16 24 40 / 6%), 0 1px 3px rgb(16 24 40 / 10%);
  --vitrin-thumb-size: 4.5rem;
  color: var(--vitrin-text);
  font: 400 1rem/1.5 system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', 'Noto Sans', 'Liberation Sans', Arial, sans-serif;
}
:host([hidden]) { display: none; }
*, *::before, *::after { box-sizing: border-box; }
.gallery { position: relative; display: flex; flex-direction: column; gap: 0.75rem; margin: 0; }
.stage {
  position: relative;
  width: 100%;
  aspect-ratio: 1 / 1;
  overflow: hidden;
  background: var(--vitrin-surface);
  border: 1px solid var(--vitrin-border);
  border-radius: var(--vitrin-radius);
}
.open {
  display: block;
  width: 100%;
  height: 100%;
  margin: 0;
  padding: 0;
  border: 0;
  border-radius: inherit;
  background: none;
  color: inherit;
  font: inherit;
  cursor: zoom-in;
}
.open:focus-visible, .expand:focus-visible, .thumb:focus-visible {
  outline: 3px solid var(--vitrin-focus);
  outline-offset: 2px;
}
.open:focus-visible { outline-offset: -3px; }
.stage picture { display: contents; }
.stage img, .stage video {
  display: block;
  width: 100%;
  height: 100%;
  object-fit: contain;
}
.stage video { background: #000; }
.expand {
  position: absolute;
  top: 0.5rem;
  right: 0.5rem;
  display: inline-flex;
  align-items: center;
  gap: 0.35rem;
  padding: 0.35rem 0.7rem;
  border: 1px solid var(--vitrin-border);
  border-radius: var(--vitrin-radius-small);
  background: var(--vitrin-surface);
  color: var(--vitrin-text);
  font: inherit;
  font-size: 0.875rem;
  cursor: pointer;
  box-shadow: var(--vitrin-shadow);
}
.expand:hover { border-color: var(--vitrin-accent); color: var(--vitrin-accent); }
.lens {
  position: absolute;
  top: 0;
  left: 0;
  display: none;
  pointer-events: none;
  background: rgb(255 255 255 / 35%);
  border: 1px solid var(--vitrin-accent);
  box-shadow: 0 0 0 1px rgb(255 255 255 / 70%);
}
.lens.on { display: block; }
.pane {
  position: absolute;
  top: 0;
  left: 0;
  z-index: 20;
  display: none;
  pointer-events: none;
  overflow: hidden;
  background-color: var(--vitrin-surface);
  background-repeat: no-repeat;
  border: 1px solid var(--vitrin-border);
  border-radius: var(--vitrin-radius);
  box-shadow: 0 8px 24px rgb(16 24 40 / 18%);
}
.pane.on { display: block; }
.thumbs {
  display: flex;
  gap: 0.5rem;
  margin: 0;
  padding: 3px;
  list-style: none;
  overflow-x: auto;
  scrollbar-width: thin;
}
/* Up to about seven fit beside each other (they shrink a little); more scroll. */
.thumbs li { flex: 0 1 var(--vitrin-thumb-size); min-width: 3.25rem; }
.thumb {
  position: relative;
  display: block;
  width: 100%;
  aspect-ratio: 1 / 1;
  margin: 0;
  padding: 0;
  overflow: hidden;
  border: 1px solid var(--vitrin-border);
  border-radius: var(--vitrin-radius-small);
  background: var(--vitrin-surface);
  color: var(--vitrin-muted);
  font: inherit;
  cursor: pointer;
}
.thumb:hover { border-color: var(--vitrin-accent); }
.thumb[aria-current='true'] {
  border-color: var(--vitrin-accent);
  box-shadow: inset 0 0 0 2px var(--vitrin-accent);
}
.thumb[aria-current='true']::after {
  content: '';
  position: absolute;
  left: 0;
  right: 0;
  bottom: 0;
  height: 4px;
  background: var(--vitrin-accent);
}
.thumb picture { display: contents; }
.thumb img { display: block; width: 100%; height: 100%; object-fit: contain; }
.thumb.video:not(.has-poster) { background: var(--vitrin-bg); }
/* A poster is rarely square: it fills the thumbnail, cut at the sides, never stretched. */
.thumb.video img { object-fit: cover; }
.play {
  position: absolute;
  top: 50%;
  left: 50%;
  display: grid;
  place-items: center;
  width: 2rem;
  height: 2rem;
  margin: -1rem 0 0 -1rem;
  border-radius: 50%;
  background: rgb(29 36 51 / 72%);
  color: #fff;
  font-size: 0.85rem;
  line-height: 1;
  pointer-events: none;
}
.placeholder {
  display: grid;
  place-items: center;
  width: 100%;
  aspect-ratio: 1 / 1;
  margin: 0;
  padding: 1rem;
  color: var(--vitrin-muted);
  background: var(--vitrin-bg);
  border: 1px dashed var(--vitrin-border);
  border-radius: var(--vitrin-radius);
  text-align: center;
}
.placeholder-mark { display: block; font-size: 2.5rem; line-height: 1; opacity: 0.6; }
.sr {
  position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; border: 0;
}
@media (prefers-reduced-motion: no-preference) {
  .thumb, .expand { transition: border-color 120ms ease, box-shadow 120ms ease; }
}
`;

/** Ours, next to PhotoSwipe's own stylesheet, for the modal (class names pswp__vitrin-…). */
export const MODAL_CSS = `
.pswp { --pswp-bg: #0b0f17; }
.pswp__vitrin-video { display: block; background: #000; object-fit: contain; }
.pswp__button:focus-visible, .pswp__vitrin-video:focus-visible {
  outline: 3px solid #1a73e8;
  outline-offset: -3px;
}
`;

let shadowSheet: CSSStyleSheet | null = null;

/** The shadow root's stylesheet (none where constructed stylesheets are missing). */
export function shadowStyles(): CSSStyleSheet[] {
  try {
    if (!shadowSheet) {
      shadowSheet = new CSSStyleSheet();
      shadowSheet.replaceSync(GALLERY_CSS);
    }
    return [shadowSheet];
  } catch {
    return [];
  }
}

/** Whether this browser can style the document from script without inline styles. */
export function canAdoptOnDocument(): boolean {
  try {
    return 'adoptedStyleSheets' in Document.prototype && typeof CSSStyleSheet.prototype.replaceSync === 'function';
  } catch {
    return false;
  }
}

let modalSheet: CSSStyleSheet | null = null;

/**
 * Adds the modal's stylesheet (PhotoSwipe's + ours) to the document, once. A
 * constructed stylesheet is not an inline style: it needs nothing from the page's CSP,
 * also on other sites that embed the gallery.
 */
export function adoptModalStyles(pswpCss: string): boolean {
  if (!canAdoptOnDocument()) return false;
  try {
    if (!modalSheet) {
      modalSheet = new CSSStyleSheet();
      modalSheet.replaceSync(`${pswpCss}\n${MODAL_CSS}`);
    }
    if (!document.adoptedStyleSheets.includes(modalSheet)) {
      document.adoptedStyleSheets = [...document.adoptedStyleSheets, modalSheet];
    }
    return true;
  } catch {
    return false;
  }
}
