/**
 * Where to go after signing in: `?next=` may only name a path of this origin under
 * `/dashboard/` (never another site, a scheme-relative `//host`, or a page of the
 * sign-in flow itself); the storefront's `?return=` any path of this origin but its own
 * sign-in flow.
 */
export const DASHBOARD_BASE = '/dashboard/';
export const LOGIN_PATH = '/dashboard/login/';

/** Pages that make no sense to come back to after signing in. */
const NOT_NEXT = [
  '/dashboard/login',
  '/dashboard/forgot-password',
  '/dashboard/reset-password',
  '/dashboard/confirm-email',
];

const MAX_LENGTH = 2048;

/** The customer account pages that make no sense to come back to after signing in. */
const NOT_RETURN = [
  '/hesap/giris',
  '/hesap/kayit',
  '/hesap/dogrula',
  '/hesap/sifremi-unuttum',
  '/hesap/sifre-sifirla',
  '/hesap/eposta-onayla',
];

/** `raw` as a URL of `origin` when it is an absolute path there, else null. */
function sameSiteUrl(raw: string | null | undefined, origin: string): URL | null {
  if (typeof raw !== 'string' || raw === '' || raw.length > MAX_LENGTH) return null;
  // Only absolute paths: not "//evil.example", "/\evil.example", "https://…", "javascript:…".
  if (!raw.startsWith('/') || raw.startsWith('//')) return null;
  // Backslashes and control characters are read as slashes or dropped by URL parsers.
  // eslint-disable-next-line no-control-regex
  if (/[\\\u0000-\u001f\u007f]/.test(raw)) return null;
  let url: URL;
  try {
    url = new URL(raw, origin);
  } catch {
    return null;
  }
  return url.origin === new URL(origin).origin ? url : null;
}

/** The safe path (pathname + query) `raw` names, or null when it must not be followed. */
export function sanitizeNext(raw: string | null | undefined, origin: string): string | null {
  const url = sameSiteUrl(raw, origin);
  if (!url) return null;
  // After normalisation: "/dashboard/../graphiql" became "/graphiql" and is refused here.
  const path = url.pathname;
  if (!path.startsWith(DASHBOARD_BASE)) return null;
  const bare = path.replace(/\/+$/, '');
  if (NOT_NEXT.includes(bare)) return null;
  return path + url.search;
}

/** The sign-in page, asking to come back to `next` afterwards (when that is worth it). */
export function loginPath(next?: string | null, origin?: string): string {
  const safe = next && origin ? sanitizeNext(next, origin) : null;
  if (!safe || safe === DASHBOARD_BASE) return LOGIN_PATH;
  return `${LOGIN_PATH}?next=${encodeURIComponent(safe)}`;
}

/** The storefront's `?return=`: a path (pathname, query and fragment, so a shopper comes
 * back to the reviews they were reading) of this site, or null. */
export function sanitizeReturn(raw: string | null | undefined, origin: string): string | null {
  const url = sameSiteUrl(raw, origin);
  if (!url || NOT_RETURN.includes(url.pathname.replace(/\/+$/, ''))) return null;
  return url.pathname + url.search + url.hash;
}
