import { describe, expect, it, vi } from 'vitest';
import { StatsFeed, type FeedDeps, type Socket } from '../../src/widgets/feed';
import {
  formatStat,
  istanbulDay,
  markVisitRecorded,
  newVisitorId,
  parseLang,
  parseShow,
  readStats,
  reconnectDelay,
  recordVisitOnce,
  resolveEndpoints,
  VISIT_DAY_KEY,
  VISITOR_KEY,
  visitToRecord,
  type StorageLike,
} from '../../src/widgets/logic';

describe('attributes', () => {
  it('show: the named numbers in the given order; all four otherwise', () => {
    expect(parseShow('completedJobs,yearsOfExperience')).toEqual(['completedJobs', 'yearsOfExperience']);
    expect(parseShow(' yearsofexperience , completedJobs,completedJobs ')).toEqual(['yearsOfExperience', 'completedJobs']);
    expect(parseShow('satisfactionPercent bogus;happyCustomers')).toEqual(['satisfactionPercent', 'happyCustomers']);
    const all = ['completedJobs', 'happyCustomers', 'satisfactionPercent', 'yearsOfExperience'];
    expect(parseShow(null)).toEqual(all);
    expect(parseShow('')).toEqual(all);
    expect(parseShow('nothing,known')).toEqual(all);
  });

  it('lang: English for en and its variants, Turkish otherwise, inherited when absent', () => {
    expect(parseLang('en')).toBe('en');
    expect(parseLang('en-GB')).toBe('en');
    expect(parseLang('EN')).toBe('en');
    expect(parseLang('tr')).toBe('tr');
    expect(parseLang('de')).toBe('tr');
    expect(parseLang(null)).toBe('tr');
    expect(parseLang(null, 'en-US')).toBe('en');
    expect(parseLang('tr', 'en')).toBe('tr');
    expect(parseLang('', 'en')).toBe('en');
  });

  it('endpoint: the script’s origin by default; the websocket derived from it', () => {
    const script = 'https://vitrin.example/widgets/stats.js';
    const page = 'https://www.example.com.tr/hakkimizda/';
    expect(resolveEndpoints(null, script, page)).toEqual({ http: 'https://vitrin.example/graphql', ws: 'wss://vitrin.example/graphql/ws' });
    expect(resolveEndpoints('http://127.0.0.1:8080/graphql', script, page)).toEqual({
      http: 'http://127.0.0.1:8080/graphql',
      ws: 'ws://127.0.0.1:8080/graphql/ws',
    });
    // Relative to the page; a trailing slash is not doubled.
    expect(resolveEndpoints('/api/graphql/', script, page).ws).toBe('wss://www.example.com.tr/api/graphql/ws');
    // Nonsense falls back to the default.
    expect(resolveEndpoints('javascript:alert(1)', script, page).http).toBe('https://vitrin.example/graphql');
    expect(resolveEndpoints('http://[bad', script, page).http).toBe('https://vitrin.example/graphql');
  });
});

describe('numbers', () => {
  it('formats them per language', () => {
    expect(formatStat('completedJobs', 1234, 'tr')).toBe('1.234');
    expect(formatStat('completedJobs', 1234, 'en')).toBe('1,234');
    expect(formatStat('satisfactionPercent', 96.5, 'tr')).toBe('%96,5');
    expect(formatStat('satisfactionPercent', 96.5, 'en')).toBe('96.5%');
    expect(formatStat('yearsOfExperience', 16, 'tr')).toBe('16');
  });

  it('reads the four numbers, refusing incomplete answers', () => {
    const stats = { completedJobs: 3, happyCustomers: 1, satisfactionPercent: 100, yearsOfExperience: 16, visitCount: 9 };
    expect(readStats(stats)).toEqual({ completedJobs: 3, happyCustomers: 1, satisfactionPercent: 100, yearsOfExperience: 16 });
    expect(readStats({ completedJobs: 3 })).toBeNull();
    expect(readStats(null)).toBeNull();
  });

  it('backs off between reconnections, up to a minute', () => {
    const mid = () => 0.5;
    expect(reconnectDelay(0, mid)).toBe(1000);
    expect(reconnectDelay(1, mid)).toBe(2000);
    expect(reconnectDelay(3, mid)).toBe(8000);
    expect(reconnectDelay(20, mid)).toBe(60_000);
    expect(reconnectDelay(2, () => 0)).toBe(3200);
    expect(reconnectDelay(2, () => 1)).toBe(4800);
  });
});

function memoryStorage(initial: Record<string, string> = {}): StorageLike & { data: Record<string, string> } {
  const data = { ...initial };
  return {
    data,
    getItem: (k) => (k in data ? data[k]! : null),
    setItem: (k, v) => {
      data[k] = v;
    },
  };
}

describe('the visit, once per day', () => {
  const evening = new Date('2026-11-27T20:30:00Z'); // 23:30 in Istanbul
  const afterMidnight = new Date('2026-11-27T21:30:00Z'); // 00:30 on the 28th in Istanbul

  it('counts days in Istanbul', () => {
    expect(istanbulDay(evening)).toBe('2026-11-27');
    expect(istanbulDay(afterMidnight)).toBe('2026-11-28');
  });

  it('makes visitor ids the server accepts', () => {
    const id = newVisitorId();
    expect(id).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    expect(newVisitorId()).not.toBe(id);
    expect(newVisitorId(() => 'a!b@c')).toBe('v-abc');
  });

  it('records on the first view of a day, keeping a random visitor id', async () => {
    const storage = memoryStorage();
    const send = vi.fn(async () => true);
    expect(await recordVisitOnce(storage, evening, send, () => 'v-1')).toBe('recorded');
    expect(send).toHaveBeenCalledWith('v-1');
    expect(storage.data).toEqual({ [VISITOR_KEY]: 'v-1', [VISIT_DAY_KEY]: '2026-11-27' });
    // Again the same day: nothing sent.
    expect(await recordVisitOnce(storage, evening, send)).toBe('skipped');
    expect(send).toHaveBeenCalledTimes(1);
    // The next day in Istanbul: recorded again, same visitor.
    expect(await recordVisitOnce(storage, afterMidnight, send)).toBe('recorded');
    expect(send).toHaveBeenLastCalledWith('v-1');
    expect(storage.data[VISIT_DAY_KEY]).toBe('2026-11-28');
  });

  it('ignores errors (e.g. RATE_LIMITED) and tries again on a later view', async () => {
    const storage = memoryStorage();
    const limited = Object.assign(new Error('Too many requests'), { code: 'RATE_LIMITED' });
    const failing = vi.fn(async () => {
      throw limited;
    });
    expect(await recordVisitOnce(storage, evening, failing, () => 'v-2')).toBe('failed');
    expect(storage.data[VISIT_DAY_KEY]).toBeUndefined();
    const ok = vi.fn(async () => false);
    expect(await recordVisitOnce(storage, evening, ok)).toBe('recorded');
    expect(ok).toHaveBeenCalledWith('v-2');
  });

  it('replaces an unusable stored id, and counts nothing without storage', async () => {
    const storage = memoryStorage({ [VISITOR_KEY]: 'bad id with spaces' });
    expect(visitToRecord(storage, evening, () => 'v-3')).toEqual({ visitorId: 'v-3', day: '2026-11-27' });
    expect(visitToRecord(null, evening)).toBeNull();
    const refusing: StorageLike = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('SecurityError');
      },
    };
    expect(visitToRecord(refusing, evening)).toBeNull();
    expect(() => markVisitRecorded(refusing, '2026-11-27')).not.toThrow();
  });
});

describe('StatsFeed', () => {
  const endpoints = { http: 'http://api.test/graphql', ws: 'ws://api.test/graphql/ws' };
  const numbers = { completedJobs: 1, happyCustomers: 2, satisfactionPercent: 90, yearsOfExperience: 3 };

  function harness(fetchAnswer: () => Promise<unknown> = async () => ({ stats: numbers })) {
    const timers: Array<{ fn: () => void; ms: number; cleared: boolean }> = [];
    let events: { connected(): void; closed(): void } | null = null;
    let sink: { next(data: unknown): void; error(error: unknown): void } | null = null;
    const socket: Socket & { disposed: boolean } = {
      disposed: false,
      subscribe: (_query, s) => {
        sink = s;
        return () => {
          sink = null;
        };
      },
      dispose() {
        this.disposed = true;
      },
    };
    const fetchStats = vi.fn(fetchAnswer);
    const deps: FeedDeps = {
      openSocket: (_url, e) => {
        events = e;
        return socket;
      },
      fetchStats,
      setTimer: (fn, ms) => {
        const t = { fn, ms, cleared: false };
        timers.push(t);
        return t;
      },
      clearTimer: (t) => {
        (t as { cleared: boolean }).cleared = true;
      },
    };
    const feed = new StatsFeed(endpoints, deps, { pollMs: 60_000, fallbackAfterMs: 4000 });
    const seen: Array<[unknown, string]> = [];
    const stop = feed.subscribe((stats, state) => seen.push([stats, state]));
    const fire = (ms: number) => timers.filter((t) => t.ms === ms && !t.cleared).forEach((t) => ((t.cleared = true), t.fn()));
    return { feed, socket, fetchStats, seen, stop, timers, fire, events: () => events!, sink: () => sink };
  }

  it('shows pushed numbers and never polls while the websocket works', async () => {
    const h = harness();
    h.sink()?.next({ statsUpdated: { ...numbers, visitCount: 5 } });
    expect(h.seen.at(-1)).toEqual([numbers, 'live']);
    h.fire(4000);
    await Promise.resolve();
    expect(h.fetchStats).not.toHaveBeenCalled();
  });

  it('falls back to one HTTP query, then polls every minute, when the websocket cannot connect', async () => {
    const h = harness();
    h.events().closed();
    await vi.waitFor(() => expect(h.seen.at(-1)).toEqual([numbers, 'polling']));
    expect(h.fetchStats).toHaveBeenCalledTimes(1);
    expect(h.fetchStats).toHaveBeenCalledWith(endpoints.http, expect.stringContaining('query WidgetStats'));
    // More failed reconnections do not start a second poller.
    h.events().closed();
    expect(h.fetchStats).toHaveBeenCalledTimes(1);
    h.fire(60_000);
    await vi.waitFor(() => expect(h.fetchStats).toHaveBeenCalledTimes(2));
    // The websocket comes back (graphql-ws re-subscribes): polling stops.
    h.sink()?.next({ statsUpdated: { ...numbers, completedJobs: 9 } });
    expect(h.seen.at(-1)).toEqual([{ ...numbers, completedJobs: 9 }, 'live']);
    expect(h.timers.filter((t) => t.ms === 60_000 && !t.cleared)).toHaveLength(0);
  });

  it('asks over HTTP when the websocket stays silent', async () => {
    const h = harness();
    h.fire(4000);
    await vi.waitFor(() => expect(h.seen.at(-1)).toEqual([numbers, 'polling']));
  });

  it('keeps trying quietly when HTTP fails too', async () => {
    const h = harness(async () => {
      throw new Error('offline');
    });
    h.events().closed();
    await vi.waitFor(() => expect(h.timers.some((t) => t.ms === 60_000 && !t.cleared)).toBe(true));
    expect(h.seen.every(([stats]) => stats === null)).toBe(true);
  });

  it('shares one connection between widgets and closes it when the last one goes', () => {
    const h = harness();
    h.sink()?.next({ statsUpdated: numbers });
    const second: unknown[] = [];
    const stopSecond = h.feed.subscribe((stats) => second.push(stats));
    expect(second).toEqual([numbers]);
    h.stop();
    expect(h.socket.disposed).toBe(false);
    stopSecond();
    expect(h.socket.disposed).toBe(true);
  });
});
