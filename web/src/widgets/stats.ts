/**
 * `<vitrin-stats>`: the business's live numbers on any site, with one tag:
 *
 *   <script type="module" src="https://vitrin.example/widgets/stats.js"></script>
 *   <vitrin-stats></vitrin-stats>
 *
 * Attributes: `endpoint` (the GraphQL URL; default: the script's origin + /graphql),
 * `show` (e.g. "completedJobs,yearsOfExperience"), `lang` ("en" for English; Turkish
 * otherwise). A web component with shadow DOM and constructed stylesheets: no framework
 * on the host page and nothing inline, so it works under a strict CSP. Numbers arrive
 * over a websocket subscription (HTTP polling when that fails) and count up when they
 * change; the visit is recorded once per day per browser.
 */
import { CountUp } from '../lib/countup';
import { feedFor, fetchGraphql, type FeedState } from './feed';
import { RecordVisitDocument } from '../generated/widget/graphql';
import {
  formatStat,
  LABELS,
  parseLang,
  parseShow,
  recordVisitOnce,
  resolveEndpoints,
  TITLES,
  type Endpoints,
  type StatKey,
  type WidgetLang,
  type WidgetStats,
} from './logic';

const CSS = `
:host {
  display: block;
  --vitrin-accent: #0f5c6e;
  --vitrin-text: #1d2433;
  --vitrin-muted: #5b6578;
  --vitrin-surface: #ffffff;
  --vitrin-border: #dde1e8;
  color: var(--vitrin-text);
  font: 400 1rem/1.4 system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif;
}
:host([hidden]) { display: none; }
.root { margin: 0; }
.grid {
  display: grid;
  grid-template-columns: repeat(auto-fit, minmax(9.5rem, 1fr));
  gap: 0.75rem;
  margin: 0;
}
.item {
  display: flex;
  flex-direction: column-reverse;
  justify-content: flex-end;
  padding: 1rem 0.75rem;
  text-align: center;
  background: var(--vitrin-surface);
  border: 1px solid var(--vitrin-border);
  border-radius: 12px;
}
.value {
  display: block;
  margin: 0;
  color: var(--vitrin-accent);
  font-size: 2rem;
  font-weight: 700;
  line-height: 1.15;
  font-variant-numeric: tabular-nums;
}
.label { display: block; margin-top: 0.3rem; color: var(--vitrin-muted); font-size: 0.9rem; }
.sr {
  position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; border: 0;
}
`;

let sheet: CSSStyleSheet | null = null;
function styles(): CSSStyleSheet[] {
  try {
    if (!sheet) {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
    }
    return [sheet];
  } catch {
    return []; // No constructed stylesheets here: the numbers still show, unstyled.
  }
}

function reducedMotion(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
}

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/** One visit per page load and API, however many widgets the page has. */
const visits = new Set<string>();
function recordVisit(endpoints: Endpoints): void {
  if (visits.has(endpoints.http)) return;
  visits.add(endpoints.http);
  void recordVisitOnce(storage(), new Date(), (visitorId) => fetchGraphql(endpoints.http, RecordVisitDocument.toString(), { visitorId }));
}

interface Cell {
  visible: HTMLElement;
  spoken: HTMLElement;
  counter: CountUp;
}

export class VitrinStats extends HTMLElement {
  static observedAttributes = ['endpoint', 'show', 'lang'];

  private cells = new Map<StatKey, Cell>();
  private language: WidgetLang = 'tr';
  private stop: (() => void) | null = null;
  private endpointsKey = '';
  private latest: WidgetStats | null = null;

  connectedCallback(): void {
    const root = this.shadowRoot ?? this.attachShadow({ mode: 'open' });
    root.adoptedStyleSheets = styles();
    this.render();
    this.connectFeed();
  }

  disconnectedCallback(): void {
    this.stop?.();
    this.stop = null;
    this.endpointsKey = '';
    for (const cell of this.cells.values()) cell.counter.stop();
  }

  attributeChangedCallback(name: string, previous: string | null, next: string | null): void {
    if (!this.isConnected || previous === next) return;
    if (name === 'endpoint') this.connectFeed();
    else this.render();
  }

  private endpoints(): Endpoints {
    return resolveEndpoints(this.getAttribute('endpoint'), import.meta.url, document.baseURI);
  }

  private connectFeed(): void {
    const endpoints = this.endpoints();
    if (endpoints.ws === this.endpointsKey && this.stop) return;
    this.stop?.();
    this.endpointsKey = endpoints.ws;
    this.setState('connecting');
    this.stop = feedFor(endpoints).subscribe((stats, state) => {
      this.setState(state);
      if (stats) this.show(stats);
    });
    recordVisit(endpoints);
  }

  private setState(state: FeedState): void {
    this.setAttribute('data-state', state);
  }

  /** Builds the list for the current `show` and `lang`, keeping the numbers shown. */
  private render(): void {
    const root = this.shadowRoot;
    if (!root) return;
    const inherited = this.parentElement?.closest('[lang]')?.getAttribute('lang') ?? document.documentElement.lang;
    this.language = parseLang(this.getAttribute('lang'), inherited);
    const keys = parseShow(this.getAttribute('show'));
    const previous = new Map([...this.cells].map(([k, c]) => [k, c.counter.value]));
    for (const cell of this.cells.values()) cell.counter.stop();
    this.cells.clear();

    const section = document.createElement('section');
    section.className = 'root';
    section.setAttribute('part', 'root');
    section.lang = this.language;
    section.setAttribute('aria-label', TITLES[this.language]);
    const list = document.createElement('dl');
    list.className = 'grid';
    list.setAttribute('part', 'list');
    for (const key of keys) {
      const item = document.createElement('div');
      item.className = 'item';
      item.setAttribute('part', 'item');
      item.dataset.stat = key;
      // The number first on screen, the label first for screen readers (dt before dd).
      const label = document.createElement('dt');
      label.className = 'label';
      label.setAttribute('part', 'label');
      label.textContent = LABELS[this.language][key];
      const value = document.createElement('dd');
      value.className = 'value';
      value.setAttribute('part', 'value');
      const visible = document.createElement('span');
      visible.setAttribute('aria-hidden', 'true');
      visible.textContent = '—';
      const spoken = document.createElement('span');
      spoken.className = 'sr';
      value.append(visible, spoken);
      // The label first for reading order (dt before dd); CSS puts the number on top.
      item.append(label, value);
      list.append(item);
      const decimals = key === 'satisfactionPercent' ? 1 : 0;
      const counter = new CountUp((n) => (visible.textContent = formatStat(key, n, this.language)), { decimals, duration: 1200, reducedMotion });
      this.cells.set(key, { visible, spoken, counter });
      const shown = previous.get(key);
      if (shown !== undefined && shown !== null) counter.set(shown, shown);
      if (this.latest) spoken.textContent = formatStat(key, this.latest[key], this.language);
    }
    section.append(list);
    root.replaceChildren(section);
  }

  private show(stats: WidgetStats): void {
    this.latest = stats;
    for (const [key, cell] of this.cells) {
      const value = stats[key];
      cell.spoken.textContent = formatStat(key, value, this.language);
      cell.counter.set(value);
    }
  }
}

if (!customElements.get('vitrin-stats')) customElements.define('vitrin-stats', VitrinStats);
