/** The dashboard's pages and how addresses map to them (pure: unit-tested). */

export type RouteName =
  | 'home'
  | 'login'
  | 'forgotPassword'
  | 'resetPassword'
  | 'confirmEmail'
  | 'profile'
  | 'media'
  | 'stats'
  | 'notFound';

export interface RouteDef {
  name: RouteName;
  /** The canonical address. */
  path: string;
  /** required: signed in only; guest: signed out only; any: both. */
  auth: 'required' | 'guest' | 'any';
  /** public: the sign-in card; shell: the signed-in frame; auto: shell when signed in. */
  layout: 'public' | 'shell' | 'auto';
  /** Other addresses of the same page. */
  aliases?: string[];
}

export const ROUTES: readonly RouteDef[] = [
  { name: 'home', path: '/dashboard/', auth: 'required', layout: 'shell' },
  { name: 'login', path: '/dashboard/login/', auth: 'guest', layout: 'public' },
  { name: 'forgotPassword', path: '/dashboard/forgot-password/', auth: 'any', layout: 'public' },
  { name: 'resetPassword', path: '/dashboard/reset-password', auth: 'any', layout: 'public' },
  { name: 'confirmEmail', path: '/dashboard/confirm-email', auth: 'any', layout: 'auto' },
  { name: 'profile', path: '/dashboard/profile/edit/', auth: 'required', layout: 'shell', aliases: ['/dashboard/profile/'] },
  { name: 'media', path: '/dashboard/media/', auth: 'required', layout: 'shell' },
  { name: 'stats', path: '/dashboard/stats/', auth: 'required', layout: 'shell' },
];

export const NOT_FOUND: RouteDef = { name: 'notFound', path: '', auth: 'any', layout: 'auto' };

function bare(path: string): string {
  return path.replace(/\/{2,}/g, '/').replace(/\/+$/, '');
}

export interface Match {
  def: RouteDef;
  /** The address to show (the canonical one for known pages). */
  canonical: string;
}

/** The page at `pathname`; with or without a trailing slash, aliases included. */
export function matchRoute(pathname: string): Match {
  const wanted = bare(pathname);
  for (const def of ROUTES) {
    if ([def.path, ...(def.aliases ?? [])].some((p) => bare(p) === wanted)) {
      return { def, canonical: def.path };
    }
  }
  return { def: NOT_FOUND, canonical: pathname };
}

export function routePath(name: Exclude<RouteName, 'notFound'>): string {
  const def = ROUTES.find((r) => r.name === name);
  if (!def) throw new Error(`no route ${name}`);
  return def.path;
}
