import { describe, expect, it } from 'vitest';
import {
  couponDraftOf,
  couponFieldOfError,
  couponInput,
  couponUses,
  couponValueLabel,
  couponWindow,
  emptyCouponDraft,
  firstCouponProblem,
  type Coupon,
  type CouponDraft,
} from '../../src/dashboard/shop/coupons';

const coupon: Coupon = {
  id: '3',
  code: 'HOSGELDIN',
  description: 'İlk siparişe %10',
  kind: 'PERCENT',
  value: '10',
  minSubtotal: { amount: '20000' },
  startsAt: '2026-11-27T10:00:00Z',
  endsAt: null,
  usageLimit: 100,
  perCustomerLimit: 1,
  usedCount: 4,
  limited: true,
  productIds: ['7'],
  categoryIds: ['2'],
  public: true,
  active: true,
  url: 'http://127.0.0.1/kupon/HOSGELDIN',
  createdAt: '2026-11-01T10:00:00Z',
};

const draft = (patch: Partial<CouponDraft> = {}): CouponDraft => ({ ...emptyCouponDraft(), code: 'yaz-25', description: 'Yaz indirimi', percent: '25', ...patch });

describe('couponValueLabel', () => {
  it('reads a percent, an amount and free shipping in each language', () => {
    expect(couponValueLabel({ kind: 'PERCENT', value: '10' }, 'tr')).toBe('%10');
    expect(couponValueLabel({ kind: 'PERCENT', value: '10' }, 'en')).toBe('10%');
    expect(couponValueLabel({ kind: 'FIXED', value: '5000' }, 'tr')).toBe('50,00 ₺');
    expect(couponValueLabel({ kind: 'FIXED', value: '129990' }, 'en')).toBe('₺1,299.90');
    expect(couponValueLabel({ kind: 'FREE_SHIPPING', value: '0' }, 'tr')).toBe('Ücretsiz kargo');
    expect(couponValueLabel({ kind: 'FREE_SHIPPING', value: '0' }, 'en')).toBe('Free shipping');
  });
});

describe('couponWindow and couponUses', () => {
  it('says when a coupon can be used, in Istanbul time', () => {
    expect(couponWindow({ startsAt: null, endsAt: null }, 'tr')).toBe('Süresiz');
    expect(couponWindow({ startsAt: '2026-11-27T10:00:00Z', endsAt: null }, 'tr')).toBe('27 Kasım 2026 13:00 itibaren');
    expect(couponWindow({ startsAt: null, endsAt: '2026-12-01T20:59:00Z' }, 'en')).toBe('Until 1 December 2026 at 23:59');
    expect(couponWindow({ startsAt: '2026-11-27T10:00:00Z', endsAt: '2026-12-01T20:59:00Z' }, 'tr')).toBe('27 Kasım 2026 13:00 – 1 Aralık 2026 23:59');
  });

  it('gives the uses against the limit', () => {
    expect(couponUses({ usedCount: 3, usageLimit: 10 }, 'tr')).toBe('3 / 10');
    expect(couponUses({ usedCount: 3, usageLimit: null }, 'tr')).toBe('3 / sınırsız');
    expect(couponUses({ usedCount: 0, usageLimit: null }, 'en')).toBe('0 / unlimited');
  });
});

describe('couponInput', () => {
  it('sends what the saved coupon holds, unchanged', () => {
    expect(couponInput(couponDraftOf(coupon, 'tr'), coupon.usedCount, 'tr')).toEqual({
      ok: true,
      input: {
        code: 'HOSGELDIN',
        description: 'İlk siparişe %10',
        kind: 'PERCENT',
        value: '10',
        minSubtotal: '20000',
        startsAt: '2026-11-27T10:00:00.000Z',
        endsAt: null,
        usageLimit: 100,
        perCustomerLimit: 1,
        productIds: ['7'],
        categoryIds: ['2'],
        public: true,
        active: true,
      },
    });
  });

  it('shows amounts in lira and dates in Istanbul time', () => {
    const fixed = couponDraftOf({ ...coupon, kind: 'FIXED', value: '4990', minSubtotal: { amount: '0' }, startsAt: null }, 'tr');
    expect(fixed).toMatchObject({ amount: '49,90', percent: '', minSubtotal: '', startsAt: '' });
    expect(couponDraftOf(coupon, 'tr').startsAt).toBe('2026-11-27T13:00');
    expect(couponDraftOf(coupon, 'en').minSubtotal).toBe('200');
  });

  it('sends kuruş as strings, an upper-case code, null for empty limits and dates, no value for free shipping', () => {
    const fixed = couponInput(draft({ kind: 'FIXED', amount: '49,90', minSubtotal: '1.000,00' }), 0, 'tr');
    expect(fixed).toMatchObject({ ok: true, input: { code: 'YAZ-25', kind: 'FIXED', value: '4990', minSubtotal: '100000', usageLimit: null, perCustomerLimit: null, startsAt: null, endsAt: null } });
    const free = couponInput(draft({ kind: 'FREE_SHIPPING', percent: 'whatever' }), 0, 'tr');
    expect(free.ok && free.input.value).toBeUndefined();
    expect(free).toMatchObject({ ok: true, input: { kind: 'FREE_SHIPPING', minSubtotal: '0', active: true, public: false } });
    expect(couponInput(draft({ percent: '100' }), 0, 'tr')).toMatchObject({ ok: true, input: { value: '100' } });
  });

  it('tells every problem, at its field', () => {
    const result = couponInput(
      draft({ code: 'İNDİRİM', description: ' ', percent: '0', minSubtotal: '12,345', startsAt: '2026-12-01T10:00', endsAt: '2026-12-01T09:00', usageLimit: '0', perCustomerLimit: '1,5' }),
      0,
      'tr',
    );
    expect(result).toEqual({
      ok: false,
      problems: {
        code: { key: 'error.couponCode' },
        description: { key: 'error.required' },
        percent: { key: 'error.couponPercent' },
        minSubtotal: { key: 'amount.decimals' },
        endsAt: { key: 'error.couponEndsBeforeStart' },
        usageLimit: { key: 'error.limitAtLeastOne' },
        perCustomerLimit: { key: 'error.limitAtLeastOne' },
      },
    });
    expect(result.ok ? null : firstCouponProblem(result.problems)).toBe('code');
    expect(couponInput(draft({ code: 'AB' }), 0, 'tr')).toMatchObject({ problems: { code: { key: 'error.couponCode' } } });
    expect(couponInput(draft({ percent: '' }), 0, 'tr')).toMatchObject({ problems: { percent: { key: 'error.required' } } });
    expect(couponInput(draft({ percent: '101' }), 0, 'tr')).toMatchObject({ problems: { percent: { key: 'error.couponPercent' } } });
    expect(couponInput(draft({ kind: 'FIXED', amount: '0' }), 0, 'tr')).toMatchObject({ problems: { amount: { key: 'coupons.amountZero' } } });
    expect(couponInput(draft({ kind: 'FIXED', amount: '10.000.000,01' }), 0, 'tr')).toMatchObject({ problems: { amount: { key: 'amount.tooLarge', params: { max: '10.000.000,00 ₺' } } } });
  });

  it('keeps the usage limit at or above the uses so far', () => {
    expect(couponInput(draft({ usageLimit: '3' }), 4, 'tr')).toMatchObject({ ok: false, problems: { usageLimit: { key: 'error.usageLimitBelowUsed', params: { used: 4 } } } });
    expect(couponInput(draft({ usageLimit: '4' }), 4, 'tr')).toMatchObject({ ok: true, input: { usageLimit: 4 } });
  });
});

describe('couponFieldOfError', () => {
  it('finds the field the server names', () => {
    expect(couponFieldOfError('input.code', 'PERCENT')).toBe('code');
    expect(couponFieldOfError('input.value', 'PERCENT')).toBe('percent');
    expect(couponFieldOfError('input.value', 'FIXED')).toBe('amount');
    expect(couponFieldOfError('input.productIds.2', 'FIXED')).toBe('productIds');
    expect(couponFieldOfError('input.categoryIds', 'FIXED')).toBe('categoryIds');
    expect(couponFieldOfError('input.usageLimit', 'FIXED')).toBe('usageLimit');
    expect(couponFieldOfError('input.kind', 'FIXED')).toBeNull();
    expect(couponFieldOfError(null, 'FIXED')).toBeNull();
  });
});
