/**
 * `<vitrin-stats>`: live statistics counters for any site, in one tag. Phase 1 ships a
 * placeholder so that the build and the server's /widgets/ route are in place; phase 2
 * fills it with counters over the GraphQL subscription (src/lib/ws.ts).
 */
const TEXT = {
  tr: 'İstatistikler yakında burada.',
  en: 'Statistics coming soon.',
} as const;

const CSS = `
:host { display: inline-block; font: 500 0.95rem/1.4 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; color: #1d2433; }
.box { padding: 0.75rem 1rem; border: 1px solid #dde1e8; border-radius: 10px; background: #fff; }
`;

export class VitrinStats extends HTMLElement {
  connectedCallback(): void {
    const root = this.shadowRoot ?? this.attachShadow({ mode: 'open' });
    // A constructed stylesheet, not a <style> element: allowed under a strict style-src.
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
    root.adoptedStyleSheets = [sheet];
    const lang = (this.getAttribute('lang') ?? document.documentElement.lang).startsWith('en') ? 'en' : 'tr';
    const box = document.createElement('div');
    box.className = 'box';
    box.setAttribute('part', 'box');
    box.textContent = TEXT[lang];
    root.replaceChildren(box);
  }
}

if (!customElements.get('vitrin-stats')) customElements.define('vitrin-stats', VitrinStats);
