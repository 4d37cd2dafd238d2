import { beforeEach, describe, expect, it } from 'vitest';
import { forgetFragmentParam, takeFragmentParam, type HistoryLike, type LocationLike } from '../../src/lib/fragment';

function fakeBrowser(href: string) {
  const url = new URL(href);
  const location: LocationLike & { set(to: string): void } = {
    pathname: url.pathname,
    search: url.search,
    hash: url.hash,
    set(to: string) {
      const next = new URL(to, url);
      (this as { pathname: string }).pathname = next.pathname;
      (this as { search: string }).search = next.search;
      (this as { hash: string }).hash = next.hash;
    },
  };
  const calls: string[] = [];
  const history: HistoryLike = {
    state: { keep: true },
    replaceState(_data, _unused, to) {
      calls.push(String(to));
      location.set(String(to));
    },
  };
  return { location, history, calls };
}

const TOKEN = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcde';

describe('takeFragmentParam', () => {
  beforeEach(() => forgetFragmentParam());

  it('reads the token and removes the fragment from the address', () => {
    const b = fakeBrowser(`https://site/dashboard/reset-password?x=1#token=${TOKEN}`);
    expect(takeFragmentParam('token', b.location, b.history)).toBe(TOKEN);
    expect(b.calls).toEqual(['/dashboard/reset-password?x=1']);
    expect(b.location.hash).toBe('');
  });

  it('still knows the token on a second read of the same page', () => {
    const b = fakeBrowser(`https://site/dashboard/reset-password#token=${TOKEN}`);
    takeFragmentParam('token', b.location, b.history);
    expect(takeFragmentParam('token', b.location, b.history)).toBe(TOKEN);
    expect(b.calls).toHaveLength(1);
  });

  it('forgets it on another page or once used', () => {
    const b = fakeBrowser(`https://site/dashboard/reset-password#token=${TOKEN}`);
    takeFragmentParam('token', b.location, b.history);
    const other = fakeBrowser('https://site/dashboard/confirm-email');
    expect(takeFragmentParam('token', other.location, other.history)).toBeNull();
    forgetFragmentParam();
    expect(takeFragmentParam('token', b.location, b.history)).toBeNull();
  });

  it('gives null without a token, but still cleans the address', () => {
    const b = fakeBrowser('https://site/dashboard/reset-password#other=1');
    expect(takeFragmentParam('token', b.location, b.history)).toBeNull();
    expect(b.calls).toEqual(['/dashboard/reset-password']);
    const none = fakeBrowser('https://site/dashboard/reset-password');
    expect(takeFragmentParam('token', none.location, none.history)).toBeNull();
    expect(none.calls).toEqual([]);
  });
});
