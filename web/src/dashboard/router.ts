/**
 * History API routing under `/dashboard/`: links to dashboard pages are followed without
 * reloading, Back and Forward work, and a one-shot notice (flash) can travel with a move.
 */
import type { MessageKey, Params } from '../lib/i18n';
import { createStore } from '../lib/store';
import { matchRoute, type RouteDef } from './routes';

export interface Flash {
  kind: 'success' | 'info' | 'error';
  key: MessageKey;
  params?: Params;
}

export interface RouteState {
  def: RouteDef;
  path: string;
  search: string;
  params: URLSearchParams;
  /** Counts moves: 0 for the page the browser loaded. */
  seq: number;
  /** A notice to show on this page. */
  flash: Flash | null;
}

function stateAt(seq: number, flash: Flash | null): RouteState {
  const { def, canonical } = matchRoute(window.location.pathname);
  if (canonical !== window.location.pathname) {
    window.history.replaceState(window.history.state, '', canonical + window.location.search + window.location.hash);
  }
  return {
    def,
    path: canonical,
    search: window.location.search,
    params: new URLSearchParams(window.location.search),
    seq,
    flash,
  };
}

export const route = createStore<RouteState>({
  def: matchRoute('/dashboard/').def,
  path: '/dashboard/',
  search: '',
  params: new URLSearchParams(),
  seq: -1,
  flash: null,
});

export interface NavigateOptions {
  replace?: boolean;
  flash?: Flash;
}

/** Moves to `to` (a path under /dashboard/, with query or fragment). */
export function navigate(to: string, options: NavigateOptions = {}): void {
  const method = options.replace ? 'replaceState' : 'pushState';
  window.history[method]({ vitrin: true }, '', to);
  route.set(stateAt(route.get().seq + 1, options.flash ?? null));
  window.scrollTo(0, 0);
}

/** The current page's address (path and query), e.g. for `?next=`. */
export function currentLocation(): string {
  return window.location.pathname + window.location.search;
}

function shouldFollow(event: MouseEvent, anchor: HTMLAnchorElement): URL | null {
  if (event.defaultPrevented || event.button !== 0) return null;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return null;
  if (anchor.target && anchor.target !== '_self') return null;
  if (anchor.hasAttribute('download') || anchor.getAttribute('rel')?.includes('external')) return null;
  const url = new URL(anchor.href, window.location.href);
  if (url.origin !== window.location.origin || !url.pathname.startsWith('/dashboard/')) return null;
  // In-page links (e.g. "skip to content") are the browser's business.
  if (url.pathname === window.location.pathname && url.search === window.location.search && url.hash !== '') return null;
  return url;
}

/** Starts following the address bar. Call once. */
export function startRouter(): void {
  route.set(stateAt(0, null));
  window.addEventListener('popstate', () => route.set(stateAt(route.get().seq + 1, null)));
  document.addEventListener('click', (event) => {
    const anchor = (event.target as Element | null)?.closest?.('a');
    if (!(anchor instanceof HTMLAnchorElement) || !anchor.href) return;
    const url = shouldFollow(event, anchor);
    if (!url) return;
    event.preventDefault();
    navigate(url.pathname + url.search + url.hash);
  });
}
