/** The product form's logic: what it holds, what it sends, where errors go (pure: unit-tested). */
import type { ProductDetailFragment, ProductInput } from '../../generated/graphql';
import { charCount } from '../../lib/format';
import type { Lang, MessageKey, Params } from '../../lib/i18n';
import { isoToLocalInput, localInputToIso } from '../../lib/localtime';
import { kurusInputValue, parseLira, type PriceProblem } from '../../lib/money';

export type Product = ProductDetailFragment;

/** What the form holds: numbers and dates as typed. */
export interface ProductDraft {
  name: string;
  slug: string;
  description: string;
  sku: string;
  price: string;
  salePrice: string;
  saleStartsAt: string;
  saleEndsAt: string;
  vatRate: string;
  stock: string;
  active: boolean;
  categoryIds: string[];
  externalUrl: string;
  seoTitle: string;
  seoDescription: string;
}

export type ProductField = Exclude<keyof ProductDraft, 'active'>;

/** The fields in the order the form shows them (the first with a problem gets focus). */
export const FIELD_ORDER: readonly ProductField[] = [
  'name',
  'slug',
  'description',
  'sku',
  'price',
  'salePrice',
  'saleStartsAt',
  'saleEndsAt',
  'vatRate',
  'stock',
  'categoryIds',
  'externalUrl',
  'seoTitle',
  'seoDescription',
];

/** The server's limits (catalog::products), checked here first. */
export const LIMITS = { name: 200, sku: 64, slug: 80, description: 20_000, seoTitle: 70, seoDescription: 200, stock: 1_000_000 } as const;
export const DEFAULT_VAT_RATE = 20;

export interface Problem {
  key: MessageKey;
  params?: Params;
}

export type Problems = Partial<Record<ProductField, Problem>>;

export function emptyDraft(): ProductDraft {
  return {
    name: '',
    slug: '',
    description: '',
    sku: '',
    price: '',
    salePrice: '',
    saleStartsAt: '',
    saleEndsAt: '',
    vatRate: String(DEFAULT_VAT_RATE),
    stock: '0',
    active: false,
    categoryIds: [],
    externalUrl: '',
    seoTitle: '',
    seoDescription: '',
  };
}

export function draftOf(product: Product, lang: Lang): ProductDraft {
  return {
    name: product.name,
    slug: product.slug,
    description: product.description,
    sku: product.sku ?? '',
    price: kurusInputValue(product.price.amount, lang),
    salePrice: product.salePrice ? kurusInputValue(product.salePrice.amount, lang) : '',
    saleStartsAt: product.saleStartsAt ? isoToLocalInput(product.saleStartsAt) : '',
    saleEndsAt: product.saleEndsAt ? isoToLocalInput(product.saleEndsAt) : '',
    vatRate: String(product.vatRate),
    stock: String(product.stock),
    active: product.active,
    categoryIds: product.categories.map((c) => c.id),
    externalUrl: product.externalUrl ?? '',
    seoTitle: product.seoTitle ?? '',
    seoDescription: product.seoDescription ?? '',
  };
}

const PRICE_PROBLEM: Record<PriceProblem, MessageKey> = {
  empty: 'products.priceRequired',
  invalid: 'price.invalid',
  negative: 'price.negative',
  decimals: 'price.decimals',
  tooLarge: 'price.tooLarge',
};

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

function wholeIn(text: string, min: number, max: number): number | null {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return null;
  const n = Number(trimmed);
  return n >= min && n <= max ? n : null;
}

function isWebAddress(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/**
 * The input to send, or every problem the browser can tell. Optional fields left empty
 * are sent as null (cleared); the slug only when one is typed that differs from the
 * saved one (an empty one keeps the current slug, or has one made on create); the stock
 * only when it differs from the saved one.
 */
export function productInput(draft: ProductDraft, saved: { slug: string; stock: number } | null): { ok: true; input: ProductInput } | { ok: false; problems: Problems } {
  const problems: Problems = {};
  const tooLong = (field: ProductField, text: string, max: number) => {
    if (charCount(text) > max) problems[field] = { key: 'error.tooLong', params: { max } };
  };

  const name = draft.name.trim();
  if (name === '') problems.name = { key: 'error.required' };
  tooLong('name', name, LIMITS.name);

  const slug = draft.slug.trim();
  if (slug !== '' && (!SLUG.test(slug) || slug.length > LIMITS.slug)) problems.slug = { key: 'error.slugInvalid' };

  tooLong('description', draft.description, LIMITS.description);
  const sku = draft.sku.trim();
  tooLong('sku', sku, LIMITS.sku);

  const price = parseLira(draft.price);
  if (!price.ok) problems.price = { key: PRICE_PROBLEM[price.problem] };
  const sale = draft.salePrice.trim() === '' ? null : parseLira(draft.salePrice);
  if (sale && !sale.ok) problems.salePrice = { key: PRICE_PROBLEM[sale.problem] };
  if (price.ok && sale?.ok && BigInt(sale.kurus) >= BigInt(price.kurus)) problems.salePrice = { key: 'error.saleBelowPrice' };

  const when = (field: 'saleStartsAt' | 'saleEndsAt'): string | null => {
    if (draft[field].trim() === '') return null;
    const iso = localInputToIso(draft[field]);
    if (iso === null) problems[field] = { key: 'products.dateInvalid' };
    return iso;
  };
  const startsAt = when('saleStartsAt');
  const endsAt = when('saleEndsAt');
  if (startsAt && endsAt && Date.parse(endsAt) <= Date.parse(startsAt)) problems.saleEndsAt = { key: 'error.saleEndsBeforeStart' };

  const vatRate = wholeIn(draft.vatRate, 0, 100);
  if (vatRate === null) problems.vatRate = { key: 'error.vatRange' };
  const stock = wholeIn(draft.stock, 0, LIMITS.stock);
  if (stock === null) problems.stock = { key: 'error.stockRange', params: { max: LIMITS.stock } };

  const externalUrl = draft.externalUrl.trim();
  if (externalUrl !== '' && !isWebAddress(externalUrl)) problems.externalUrl = { key: 'error.externalUrl' };
  const seoTitle = draft.seoTitle.trim();
  tooLong('seoTitle', seoTitle, LIMITS.seoTitle);
  const seoDescription = draft.seoDescription.trim();
  tooLong('seoDescription', seoDescription, LIMITS.seoDescription);

  if (Object.keys(problems).length > 0 || !price.ok || vatRate === null || stock === null) return { ok: false, problems };
  const input: ProductInput = {
    name,
    description: draft.description,
    sku: sku === '' ? null : sku,
    price: price.kurus,
    salePrice: sale?.ok ? sale.kurus : null,
    saleStartsAt: startsAt,
    saleEndsAt: endsAt,
    vatRate,
    active: draft.active,
    categoryIds: draft.categoryIds,
    externalUrl: externalUrl === '' ? null : externalUrl,
    seoTitle: seoTitle === '' ? null : seoTitle,
    seoDescription: seoDescription === '' ? null : seoDescription,
  };
  if (slug !== '' && slug !== saved?.slug) input.slug = slug;
  // Only a stock the form changed is sent: checkouts move the stock while the form is open.
  if (stock !== saved?.stock) input.stock = stock;
  return { ok: true, input };
}

/**
 * The form's part a server error names: `input.price` → price, `input.categoryIds.2` →
 * categoryIds, `imageIds.1` / `videoId` (setProductMedia) → media; null for the rest.
 */
export function fieldOfError(field: string | null): ProductField | 'media' | null {
  if (!field) return null;
  const [first, second] = field.split('.');
  if (first === 'imageIds' || first === 'videoId') return 'media';
  const name = first === 'input' ? second : first;
  return FIELD_ORDER.find((f) => f === name) ?? null;
}

/** The first field (in the form's order) that has a problem. */
export function firstProblem(problems: Problems): ProductField | null {
  return FIELD_ORDER.find((f) => problems[f] !== undefined) ?? null;
}
