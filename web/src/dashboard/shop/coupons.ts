/**
 * The coupon screens' logic: how a coupon's value, window and uses read, what the form
 * holds and sends, where the server's errors go (pure: unit-tested).
 */
import type { CouponFieldsFragment, CouponInput, CouponKind } from '../../generated/graphql';
import { charCount, formatDateTime } from '../../lib/format';
import { translate, type Lang, type MessageKey } from '../../lib/i18n';
import { isoToLocalInput, localInputToIso } from '../../lib/localtime';
import { formatKurus, kurusInputValue, MAX_PRICE_KURUS } from '../../lib/money';
import type { Problem } from '../catalog/form';
import { firstProblemOf, readAmount } from './amounts';

export type Coupon = CouponFieldsFragment;

export const COUPON_KINDS: readonly CouponKind[] = ['PERCENT', 'FIXED', 'FREE_SHIPPING'];

export const KIND_LABEL: Readonly<Record<CouponKind, MessageKey>> = {
  PERCENT: 'coupons.kind.PERCENT',
  FIXED: 'coupons.kind.FIXED',
  FREE_SHIPPING: 'coupons.kind.FREE_SHIPPING',
};

/** The server's limits (shop::coupons). */
export const COUPON_LIMITS = { codeMin: 3, codeMax: 32, description: 200, scope: 100, percentMax: 100, limitMax: 2_147_483_647 } as const;

const CODE = /^[A-Za-z0-9_-]+$/;

/** What a coupon takes off: "%10" ("10%" in English), "50,00 ₺", "Ücretsiz kargo". */
export function couponValueLabel(coupon: Pick<Coupon, 'kind' | 'value'>, lang: Lang): string {
  switch (coupon.kind) {
    case 'PERCENT':
      return lang === 'en' ? `${coupon.value}%` : `%${coupon.value}`;
    case 'FIXED':
      return formatKurus(coupon.value, lang);
    case 'FREE_SHIPPING':
      return translate(lang, 'coupons.kind.FREE_SHIPPING');
  }
}

/** When it can be used: "Süresiz", "… itibaren", "… tarihine kadar" or "… – …" (Istanbul time). */
export function couponWindow(coupon: Pick<Coupon, 'startsAt' | 'endsAt'>, lang: Lang): string {
  const start = coupon.startsAt ? formatDateTime(coupon.startsAt, lang) : null;
  const end = coupon.endsAt ? formatDateTime(coupon.endsAt, lang) : null;
  if (start && end) return translate(lang, 'coupons.windowBetween', { start, end });
  if (start) return translate(lang, 'coupons.windowFrom', { start });
  if (end) return translate(lang, 'coupons.windowUntil', { end });
  return translate(lang, 'coupons.windowAlways');
}

/** Its uses against its limit: "3 / 10", or "3 / sınırsız" without a limit. */
export function couponUses(coupon: Pick<Coupon, 'usedCount' | 'usageLimit'>, lang: Lang): string {
  return coupon.usageLimit === null
    ? translate(lang, 'coupons.usesUnlimited', { used: coupon.usedCount })
    : translate(lang, 'coupons.uses', { used: coupon.usedCount, limit: coupon.usageLimit });
}

/** What the form holds: amounts, dates and limits as typed. */
export interface CouponDraft {
  code: string;
  description: string;
  kind: CouponKind;
  /** The percent of a PERCENT coupon (1–100). */
  percent: string;
  /** The amount of a FIXED coupon, in lira. */
  amount: string;
  /** In lira; empty: none. */
  minSubtotal: string;
  startsAt: string;
  endsAt: string;
  /** Empty: unlimited. */
  usageLimit: string;
  perCustomerLimit: string;
  productIds: string[];
  categoryIds: string[];
  public: boolean;
  active: boolean;
}

export type CouponField = Exclude<keyof CouponDraft, 'kind' | 'public' | 'active'>;

/** The fields in the order the form shows them (the first with a problem gets focus). */
export const COUPON_FIELD_ORDER: readonly CouponField[] = [
  'code',
  'description',
  'percent',
  'amount',
  'minSubtotal',
  'startsAt',
  'endsAt',
  'usageLimit',
  'perCustomerLimit',
  'productIds',
  'categoryIds',
];

export type CouponProblems = Partial<Record<CouponField, Problem>>;

export function emptyCouponDraft(): CouponDraft {
  return {
    code: '',
    description: '',
    kind: 'PERCENT',
    percent: '',
    amount: '',
    minSubtotal: '',
    startsAt: '',
    endsAt: '',
    usageLimit: '',
    perCustomerLimit: '',
    productIds: [],
    categoryIds: [],
    public: false,
    active: true,
  };
}

export function couponDraftOf(coupon: Coupon, lang: Lang): CouponDraft {
  return {
    code: coupon.code,
    description: coupon.description,
    kind: coupon.kind,
    percent: coupon.kind === 'PERCENT' ? coupon.value : '',
    amount: coupon.kind === 'FIXED' ? kurusInputValue(coupon.value, lang) : '',
    minSubtotal: coupon.minSubtotal.amount === '0' ? '' : kurusInputValue(coupon.minSubtotal.amount, lang),
    startsAt: coupon.startsAt ? isoToLocalInput(coupon.startsAt) : '',
    endsAt: coupon.endsAt ? isoToLocalInput(coupon.endsAt) : '',
    usageLimit: coupon.usageLimit === null ? '' : String(coupon.usageLimit),
    perCustomerLimit: coupon.perCustomerLimit === null ? '' : String(coupon.perCustomerLimit),
    productIds: [...coupon.productIds],
    categoryIds: [...coupon.categoryIds],
    public: coupon.public,
    active: coupon.active,
  };
}

/** A whole number typed in a field, or null when it is not one. */
function whole(text: string): number | null {
  const trimmed = text.trim();
  return /^\d{1,10}$/.test(trimmed) ? Number(trimmed) : null;
}

/**
 * The input to send, or every problem the browser can tell. `usedCount` is the saved
 * coupon's (0 for a new one): its usage limit cannot go below it.
 */
export function couponInput(draft: CouponDraft, usedCount: number, lang: Lang): { ok: true; input: CouponInput } | { ok: false; problems: CouponProblems } {
  const problems: CouponProblems = {};

  const code = draft.code.trim();
  if (code === '') problems.code = { key: 'error.required' };
  else if (!CODE.test(code) || code.length < COUPON_LIMITS.codeMin || code.length > COUPON_LIMITS.codeMax) problems.code = { key: 'error.couponCode' };

  const description = draft.description.trim();
  if (description === '') problems.description = { key: 'error.required' };
  else if (charCount(description) > COUPON_LIMITS.description) problems.description = { key: 'error.tooLong', params: { max: COUPON_LIMITS.description } };

  let value: string | null = null;
  if (draft.kind === 'PERCENT') {
    const percent = whole(draft.percent);
    if (draft.percent.trim() === '') problems.percent = { key: 'error.required' };
    else if (percent === null || percent < 1 || percent > COUPON_LIMITS.percentMax) problems.percent = { key: 'error.couponPercent' };
    else value = String(percent);
  } else if (draft.kind === 'FIXED') {
    const amount = readAmount(draft.amount, MAX_PRICE_KURUS, lang);
    if (!amount.ok) problems.amount = amount.problem;
    else if (amount.kurus === '0') problems.amount = { key: 'coupons.amountZero' };
    else value = amount.kurus;
  }

  let minSubtotal = '0';
  if (draft.minSubtotal.trim() !== '') {
    const read = readAmount(draft.minSubtotal, MAX_PRICE_KURUS, lang);
    if (read.ok) minSubtotal = read.kurus;
    else problems.minSubtotal = read.problem;
  }

  const when = (field: 'startsAt' | 'endsAt'): string | null => {
    if (draft[field].trim() === '') return null;
    const iso = localInputToIso(draft[field]);
    if (iso === null) problems[field] = { key: 'products.dateInvalid' };
    return iso;
  };
  const startsAt = when('startsAt');
  const endsAt = when('endsAt');
  if (startsAt && endsAt && Date.parse(endsAt) <= Date.parse(startsAt)) problems.endsAt = { key: 'error.couponEndsBeforeStart' };

  const limit = (field: 'usageLimit' | 'perCustomerLimit'): number | null => {
    if (draft[field].trim() === '') return null;
    const n = whole(draft[field]);
    if (n === null || n < 1 || n > COUPON_LIMITS.limitMax) {
      problems[field] = { key: 'error.limitAtLeastOne' };
      return null;
    }
    return n;
  };
  const usageLimit = limit('usageLimit');
  const perCustomerLimit = limit('perCustomerLimit');
  if (usageLimit !== null && usageLimit < usedCount) problems.usageLimit = { key: 'error.usageLimitBelowUsed', params: { used: usedCount } };

  if (draft.productIds.length > COUPON_LIMITS.scope) problems.productIds = { key: 'error.tooManyChosen', params: { max: COUPON_LIMITS.scope } };
  if (draft.categoryIds.length > COUPON_LIMITS.scope) problems.categoryIds = { key: 'error.tooManyChosen', params: { max: COUPON_LIMITS.scope } };

  if (Object.keys(problems).length > 0) return { ok: false, problems };
  const input: CouponInput = {
    code: code.toUpperCase(),
    description,
    kind: draft.kind,
    minSubtotal,
    startsAt,
    endsAt,
    usageLimit,
    perCustomerLimit,
    productIds: draft.productIds,
    categoryIds: draft.categoryIds,
    public: draft.public,
    active: draft.active,
  };
  if (value !== null) input.value = value;
  return { ok: true, input };
}

/**
 * The form's field a server error names: `input.code` → code, `input.value` → the
 * percent or the amount (by `kind`), `input.productIds.2` → productIds; null for the rest.
 */
export function couponFieldOfError(field: string | null, kind: CouponKind): CouponField | null {
  if (!field) return null;
  const [first, second] = field.split('.');
  const name = first === 'input' ? second : first;
  if (name === 'value') return kind === 'FIXED' ? 'amount' : kind === 'PERCENT' ? 'percent' : null;
  return COUPON_FIELD_ORDER.find((f) => f === name) ?? null;
}

/** The first field (in the form's order) that has a problem. */
export function firstCouponProblem(problems: CouponProblems): CouponField | null {
  return firstProblemOf(COUPON_FIELD_ORDER, problems);
}
