/**
 * The site's name in the dashboard's header. The API has no field for it yet (the server
 * knows it as VITRIN_SITE_NAME); a `<meta name="vitrin-site-name">` in the page wins.
 */
function siteName(): string {
  const meta = typeof document !== 'undefined' ? document.querySelector('meta[name="vitrin-site-name"]') : null;
  const value = meta?.getAttribute('content')?.trim();
  return value || 'Vitrin';
}

export const SITE_NAME = siteName();
