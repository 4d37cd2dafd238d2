/**
 * The `<vitrin-stats>` widget's decisions, free of the DOM (unit-tested): which numbers
 * to show, in which language, where the API is, and whether today's visit still needs
 * recording.
 */

export const STAT_KEYS = ['completedJobs', 'happyCustomers', 'satisfactionPercent', 'yearsOfExperience'] as const;
export type StatKey = (typeof STAT_KEYS)[number];
export type WidgetStats = Record<StatKey, number>;
export type WidgetLang = 'tr' | 'en';

export const LABELS: Record<WidgetLang, Record<StatKey, string>> = {
  tr: {
    completedJobs: 'Tamamlanan iş',
    happyCustomers: 'Mutlu müşteri',
    satisfactionPercent: 'Memnuniyet',
    yearsOfExperience: 'Yıllık deneyim',
  },
  en: {
    completedJobs: 'Completed jobs',
    happyCustomers: 'Happy customers',
    satisfactionPercent: 'Satisfaction',
    yearsOfExperience: 'Years of experience',
  },
};

export const TITLES: Record<WidgetLang, string> = { tr: 'Rakamlarla biz', en: 'Our numbers' };

/**
 * `show="completedJobs,yearsOfExperience"`: the numbers to show, in that order. Names
 * are matched without regard to case, unknown names and repeats are ignored; nothing
 * usable (or no attribute) shows all four.
 */
export function parseShow(value: string | null | undefined): StatKey[] {
  if (!value) return [...STAT_KEYS];
  const chosen: StatKey[] = [];
  for (const part of value.split(/[\s,;]+/)) {
    const key = STAT_KEYS.find((k) => k.toLowerCase() === part.trim().toLowerCase());
    if (key && !chosen.includes(key)) chosen.push(key);
  }
  return chosen.length > 0 ? chosen : [...STAT_KEYS];
}

/** English for `lang="en"` (or en-GB, en-US…), Turkish for anything else or nothing. */
export function parseLang(own: string | null | undefined, inherited?: string | null): WidgetLang {
  const value = (own && own.trim() !== '' ? own : inherited) ?? '';
  return /^en\b/i.test(value.trim()) ? 'en' : 'tr';
}

export interface Endpoints {
  http: string;
  ws: string;
}

/**
 * The GraphQL URL: the `endpoint` attribute (resolved against the page), or else the
 * origin the script was loaded from + `/graphql`; the websocket is `<that>/ws` with
 * ws: or wss:.
 */
export function resolveEndpoints(attribute: string | null | undefined, scriptUrl: string, pageUrl: string): Endpoints {
  let http: URL | null = null;
  if (attribute && attribute.trim() !== '') {
    try {
      http = new URL(attribute.trim(), pageUrl);
    } catch {
      http = null;
    }
    if (http && http.protocol !== 'http:' && http.protocol !== 'https:') http = null;
  }
  if (!http) http = new URL('/graphql', scriptUrl);
  http.hash = '';
  const ws = new URL(http.href);
  ws.protocol = http.protocol === 'https:' ? 'wss:' : 'ws:';
  ws.pathname = `${ws.pathname.replace(/\/+$/, '')}/ws`;
  return { http: http.href, ws: ws.href };
}

/** The calendar day in Istanbul (the server counts one visit per visitor per such day). */
export function istanbulDay(now: Date): string {
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Istanbul', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

export const VISITOR_KEY = 'vitrin.visitorId';
export const VISIT_DAY_KEY = 'vitrin.visitDay';

export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** A random visitor id the server accepts (letters, digits, '-'; at most 64). */
export function newVisitorId(random: () => string = randomHex): string {
  return `v-${random().replace(/[^A-Za-z0-9-]/g, '').slice(0, 60)}`;
}

/** 128 random bits as hex (getRandomValues works on plain-http pages too, randomUUID does not). */
function randomHex(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

const VALID_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The visit to record now, or null: already recorded today (Istanbul), or no storage
 * to remember the visitor by (then nothing is counted rather than a new visitor on
 * every page). Creates and keeps the visitor id on first use.
 */
export function visitToRecord(storage: StorageLike | null, now: Date, makeId: () => string = () => newVisitorId()): { visitorId: string; day: string } | null {
  if (!storage) return null;
  const day = istanbulDay(now);
  try {
    if (storage.getItem(VISIT_DAY_KEY) === day) return null;
    let visitorId = storage.getItem(VISITOR_KEY);
    if (!visitorId || !VALID_ID.test(visitorId)) {
      visitorId = makeId();
      storage.setItem(VISITOR_KEY, visitorId);
    }
    return { visitorId, day };
  } catch {
    // Storage refused (privacy settings): count nothing.
    return null;
  }
}

/** Remembers that today's visit was recorded. */
export function markVisitRecorded(storage: StorageLike | null, day: string): void {
  try {
    storage?.setItem(VISIT_DAY_KEY, day);
  } catch {
    // Nothing to do: the next page view will try again.
  }
}

/**
 * Records today's visit once: `send` calls `recordVisit`. Any answer (counted or not)
 * marks the day; errors (RATE_LIMITED, network) are ignored and leave it for a later
 * page view.
 */
export async function recordVisitOnce(
  storage: StorageLike | null,
  now: Date,
  send: (visitorId: string) => Promise<unknown>,
  makeId?: () => string,
): Promise<'recorded' | 'skipped' | 'failed'> {
  const visit = visitToRecord(storage, now, makeId);
  if (!visit) return 'skipped';
  try {
    await send(visit.visitorId);
  } catch {
    return 'failed';
  }
  markVisitRecorded(storage, visit.day);
  return 'recorded';
}

/** The numbers as the widget writes them: "1.234", "%96,5" (Turkish), "96.5%" (English). */
export function formatStat(key: StatKey, value: number, lang: WidgetLang): string {
  const locale = lang === 'tr' ? 'tr-TR' : 'en-GB';
  if (key === 'satisfactionPercent') {
    return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format((Number.isFinite(value) ? value : 0) / 100);
  }
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(Number.isFinite(value) ? value : 0);
}

/** Reads the four numbers from a `stats`/`statsUpdated` object; null when one is missing. */
export function readStats(value: unknown): WidgetStats | null {
  if (!value || typeof value !== 'object') return null;
  const object = value as Record<string, unknown>;
  const out = {} as WidgetStats;
  for (const key of STAT_KEYS) {
    const n = object[key];
    if (typeof n !== 'number' || !Number.isFinite(n)) return null;
    out[key] = n;
  }
  return out;
}

/** Backoff between websocket attempts: 1 s doubling to at most a minute, with jitter. */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(60_000, 1000 * 2 ** Math.max(0, Math.min(attempt, 6)));
  return Math.round(base * (0.8 + random() * 0.4));
}
