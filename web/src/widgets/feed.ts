/**
 * Where the widget's numbers come from: the `statsUpdated` subscription over a
 * websocket (graphql-transport-ws), reconnecting with backoff; while the socket is
 * down (or never comes up) a single HTTP `stats` query, repeated every minute, keeps
 * the numbers fresh. Every `<vitrin-stats>` on a page that talks to the same API
 * shares one feed.
 */
import { createClient, type Client } from 'graphql-ws';
import { reconnectAfter } from '../lib/reconnect';
import { WidgetStatsDocument, WidgetStatsUpdatedDocument } from '../generated/widget/graphql';
import { readStats, reconnectDelay, type Endpoints, type WidgetStats } from './logic';

export type FeedState = 'connecting' | 'live' | 'polling';

export interface Socket {
  /** Subscribes; returns the function that stops. */
  subscribe(query: string, sink: { next(data: unknown): void; error(error: unknown): void }): () => void;
  dispose(): void;
}

export interface FeedDeps {
  openSocket(url: string, events: { connected(): void; closed(): void }): Socket;
  fetchStats(httpUrl: string, query: string): Promise<unknown>;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

export interface FeedOptions {
  /** Re-poll this often while the websocket is down. */
  pollMs?: number;
  /** Ask over HTTP if nothing arrived over the websocket by then. */
  fallbackAfterMs?: number;
}

type Listener = (stats: WidgetStats | null, state: FeedState) => void;

export class StatsFeed {
  private listeners = new Set<Listener>();
  private socket: Socket | null = null;
  private unsubscribe: (() => void) | null = null;
  private pollTimer: unknown = null;
  private fallbackTimer: unknown = null;
  private resubscribeTimer: unknown = null;
  private polling = false;
  latest: WidgetStats | null = null;
  state: FeedState = 'connecting';

  constructor(
    private readonly endpoints: Endpoints,
    private readonly deps: FeedDeps,
    private readonly options: FeedOptions = {},
  ) {}

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    if (this.listeners.size === 1) this.start();
    else listener(this.latest, this.state);
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stop();
    };
  }

  private emit(): void {
    for (const listener of [...this.listeners]) listener(this.latest, this.state);
  }

  private start(): void {
    this.state = 'connecting';
    this.socket = this.deps.openSocket(this.endpoints.ws, {
      connected: () => undefined,
      closed: () => this.startPolling(),
    });
    this.subscribeSocket();
    this.fallbackTimer = this.deps.setTimer(() => {
      this.fallbackTimer = null;
      if (this.state === 'connecting') this.startPolling();
    }, this.options.fallbackAfterMs ?? 4000);
  }

  private subscribeSocket(): void {
    if (!this.socket) return;
    this.unsubscribe = this.socket.subscribe(WidgetStatsUpdatedDocument.toString(), {
      next: (data) => {
        const stats = readStats((data as { statsUpdated?: unknown } | null)?.statsUpdated);
        if (!stats) return;
        this.latest = stats;
        this.state = 'live';
        this.stopPolling();
        this.emit();
      },
      error: () => {
        // The subscription itself failed (not the socket): poll, and try again later.
        this.unsubscribe = null;
        this.startPolling();
        this.resubscribeTimer = this.deps.setTimer(() => {
          this.resubscribeTimer = null;
          this.subscribeSocket();
        }, this.options.pollMs ?? 60_000);
      },
    });
  }

  private startPolling(): void {
    if (this.polling || this.listeners.size === 0) return;
    this.polling = true;
    if (this.state === 'live') {
      this.state = 'connecting';
      this.emit();
    }
    const poll = async () => {
      try {
        const data = await this.deps.fetchStats(this.endpoints.http, WidgetStatsDocument.toString());
        const stats = readStats((data as { stats?: unknown } | null)?.stats);
        if (stats && this.polling) {
          this.latest = stats;
          this.state = 'polling';
          this.emit();
        }
      } catch {
        // Keep what is shown; the next poll or the websocket will bring news.
      }
      if (this.polling) this.pollTimer = this.deps.setTimer(() => void poll(), this.options.pollMs ?? 60_000);
    };
    void poll();
  }

  private stopPolling(): void {
    this.polling = false;
    if (this.pollTimer !== null) this.deps.clearTimer(this.pollTimer);
    this.pollTimer = null;
  }

  private stop(): void {
    this.stopPolling();
    for (const timer of [this.fallbackTimer, this.resubscribeTimer]) if (timer !== null) this.deps.clearTimer(timer);
    this.fallbackTimer = null;
    this.resubscribeTimer = null;
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.socket?.dispose();
    this.socket = null;
    this.state = 'connecting';
  }
}

/** POSTs a query without cookies (the public API) and returns its `data`. */
export async function fetchGraphql(httpUrl: string, query: string, variables: Record<string, unknown> = {}): Promise<unknown> {
  const response = await fetch(httpUrl, {
    method: 'POST',
    mode: 'cors',
    credentials: 'omit',
    headers: { 'Content-Type': 'application/json', Accept: 'application/graphql-response+json, application/json;q=0.9' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: unknown; errors?: Array<{ message?: string; extensions?: { code?: string } }> };
  if (body.errors?.length) {
    const error = new Error(body.errors[0]?.message ?? 'GraphQL error') as Error & { code?: string };
    error.code = body.errors[0]?.extensions?.code;
    throw error;
  }
  return body.data;
}

/** graphql-ws with endless retries and backoff; no cookies or tokens (public data). */
function openSocket(url: string, events: { connected(): void; closed(): void }): Socket {
  const reconnect = reconnectAfter((attempt) => reconnectDelay(attempt));
  const client: Client = createClient({
    url,
    lazy: false,
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => true,
    retryWait: (attempt) => new Promise((resolve) => setTimeout(resolve, reconnect.delay(attempt))),
    keepAlive: 25_000,
    on: {
      connected: () => {
        reconnect.connected();
        events.connected();
      },
      closed: (event) => {
        reconnect.closed(event);
        events.closed();
      },
    },
  });
  return {
    subscribe: (query, sink) =>
      client.subscribe(
        { query },
        {
          next: (result) => (result.errors?.length ? sink.error(result.errors) : sink.next(result.data)),
          error: (error) => sink.error(error),
          complete: () => undefined,
        },
      ),
    dispose: () => void client.dispose(),
  };
}

export const browserDeps: FeedDeps = {
  openSocket,
  fetchStats: (httpUrl, query) => fetchGraphql(httpUrl, query),
  setTimer: (fn, ms) => setTimeout(fn, ms),
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

const feeds = new Map<string, StatsFeed>();

/** The page's shared feed for an API. */
export function feedFor(endpoints: Endpoints): StatsFeed {
  let feed = feeds.get(endpoints.ws);
  if (!feed) {
    feed = new StatsFeed(endpoints, browserDeps);
    feeds.set(endpoints.ws, feed);
  }
  return feed;
}
