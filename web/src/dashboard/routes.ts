/** The dashboard's pages and how addresses map to them (pure: unit-tested). */

export type RouteName =
  | 'home'
  | 'login'
  | 'forgotPassword'
  | 'resetPassword'
  | 'confirmEmail'
  | 'profile'
  | 'media'
  | 'products'
  | 'productEdit'
  | 'categories'
  | 'customers'
  | 'orders'
  | 'orderDetail'
  | 'coupons'
  | 'couponEdit'
  | 'shopSettings'
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
  /** Addresses with a part that varies (e.g. an id); such an address is its own canonical one. */
  pattern?: RegExp;
}

export const ROUTES: readonly RouteDef[] = [
  { name: 'home', path: '/dashboard/', auth: 'required', layout: 'shell' },
  { name: 'login', path: '/dashboard/login/', auth: 'guest', layout: 'public' },
  { name: 'forgotPassword', path: '/dashboard/forgot-password/', auth: 'any', layout: 'public' },
  { name: 'resetPassword', path: '/dashboard/reset-password', auth: 'any', layout: 'public' },
  { name: 'confirmEmail', path: '/dashboard/confirm-email', auth: 'any', layout: 'auto' },
  { name: 'profile', path: '/dashboard/profile/edit/', auth: 'required', layout: 'shell', aliases: ['/dashboard/profile/'] },
  { name: 'media', path: '/dashboard/media/', auth: 'required', layout: 'shell' },
  { name: 'products', path: '/dashboard/products/', auth: 'required', layout: 'shell' },
  { name: 'productEdit', path: '/dashboard/products/new', auth: 'required', layout: 'shell', pattern: /^\/dashboard\/products\/(new|[1-9]\d{0,18})$/ },
  { name: 'categories', path: '/dashboard/categories/', auth: 'required', layout: 'shell' },
  { name: 'customers', path: '/dashboard/customers/', auth: 'required', layout: 'shell' },
  { name: 'orders', path: '/dashboard/orders/', auth: 'required', layout: 'shell' },
  // An order by its number ("VT-2026-000123"), the address the new-order e-mail links to;
  // without a number the list above answers.
  { name: 'orderDetail', path: '/dashboard/orders/', auth: 'required', layout: 'shell', pattern: /^\/dashboard\/orders\/[A-Za-z0-9]+(-[A-Za-z0-9]+)*$/ },
  { name: 'coupons', path: '/dashboard/coupons/', auth: 'required', layout: 'shell' },
  { name: 'couponEdit', path: '/dashboard/coupons/new', auth: 'required', layout: 'shell', pattern: /^\/dashboard\/coupons\/(new|[1-9]\d{0,18})$/ },
  { name: 'shopSettings', path: '/dashboard/shop-settings/', auth: 'required', layout: 'shell' },
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
    if (def.pattern?.test(wanted)) return { def, canonical: wanted };
  }
  return { def: NOT_FOUND, canonical: pathname };
}

export function routePath(name: Exclude<RouteName, 'notFound'>): string {
  const def = ROUTES.find((r) => r.name === name);
  if (!def) throw new Error(`no route ${name}`);
  return def.path;
}

/** The product a `/dashboard/products/<id>` address edits; null for `/dashboard/products/new`. */
export function productIdFromPath(path: string): string | null {
  const id = bare(path).split('/').pop() ?? '';
  return /^\d+$/.test(id) ? id : null;
}

/** The edit form's address of product `id`. */
export function productPath(id: string): string {
  return `/dashboard/products/${encodeURIComponent(id)}`;
}

/** The order a `/dashboard/orders/<number>` address shows. */
export function orderNumberFromPath(path: string): string {
  return decodeURIComponent(bare(path).split('/').pop() ?? '');
}

/** The page of the order numbered `number`. */
export function orderPath(number: string): string {
  return `/dashboard/orders/${encodeURIComponent(number)}`;
}

/** The coupon a `/dashboard/coupons/<id>` address edits; null for `/dashboard/coupons/new`. */
export function couponIdFromPath(path: string): string | null {
  const id = bare(path).split('/').pop() ?? '';
  return /^\d+$/.test(id) ? id : null;
}

/** The edit form's address of coupon `id`. */
export function couponPath(id: string): string {
  return `/dashboard/coupons/${encodeURIComponent(id)}`;
}
