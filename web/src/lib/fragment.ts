/**
 * One-time tokens ride in the address's fragment (`#token=…`), which browsers never send
 * to servers or in `Referer`. The page reads the token once and removes it from the
 * address bar (and so from the history) right away.
 */
export interface LocationLike {
  readonly pathname: string;
  readonly search: string;
  readonly hash: string;
}

export interface HistoryLike {
  readonly state: unknown;
  replaceState(data: unknown, unused: string, url?: string | URL | null): void;
}

/** The last token taken, per path: a re-render after the fragment is gone still finds it. */
let taken: { path: string; token: string } | null = null;

/** Reads `name` from the fragment, strips the fragment from the address, returns the value. */
export function takeFragmentParam(
  name: string,
  location: LocationLike = window.location,
  history: HistoryLike = window.history,
): string | null {
  const hash = location.hash.startsWith('#') ? location.hash.slice(1) : location.hash;
  if (hash !== '') {
    const value = new URLSearchParams(hash).get(name);
    history.replaceState(history.state, '', location.pathname + location.search);
    if (value !== null && value !== '') {
      taken = { path: location.pathname, token: value };
      return value;
    }
    taken = null;
    return null;
  }
  return taken && taken.path === location.pathname ? taken.token : null;
}

/** Forgets a taken token (after it has been used). */
export function forgetFragmentParam(): void {
  taken = null;
}
