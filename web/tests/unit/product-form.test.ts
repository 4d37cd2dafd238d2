import { describe, expect, it } from 'vitest';
import { draftOf, emptyDraft, fieldOfError, firstProblem, productInput, type Product } from '../../src/dashboard/catalog/form';

const product: Product = {
  id: '7',
  slug: 'seramik-kupa',
  name: 'Seramik kupa',
  description: '**El yapımı**',
  descriptionHtml: '<p><strong>El yapımı</strong></p>\n',
  sku: 'KP-1',
  price: { amount: '129990' },
  salePrice: { amount: '99900' },
  saleStartsAt: '2026-11-27T10:00:00Z',
  saleEndsAt: null,
  onSale: true,
  vatRate: 20,
  stock: 4,
  active: true,
  externalUrl: null,
  seoTitle: null,
  seoDescription: null,
  url: 'http://127.0.0.1/urun/seramik-kupa',
  updatedAt: '2026-11-27T10:00:00Z',
  categories: [{ id: '2' }],
  images: [],
  video: null,
};

describe('draftOf', () => {
  it('shows prices in lira and dates in Istanbul time', () => {
    const draft = draftOf(product, 'tr');
    expect(draft.price).toBe('1299,90');
    expect(draft.salePrice).toBe('999');
    expect(draft.saleStartsAt).toBe('2026-11-27T13:00');
    expect(draft.saleEndsAt).toBe('');
    expect(draft.categoryIds).toEqual(['2']);
    expect(draftOf(product, 'en').price).toBe('1299.90');
  });
});

describe('productInput', () => {
  it('sends kuruş as strings, clears empty optional fields and keeps an unchanged slug and stock out', () => {
    const result = productInput(draftOf(product, 'tr'), { slug: product.slug, stock: product.stock });
    expect(result).toEqual({
      ok: true,
      input: {
        name: 'Seramik kupa',
        description: '**El yapımı**',
        sku: 'KP-1',
        price: '129990',
        salePrice: '99900',
        saleStartsAt: '2026-11-27T10:00:00.000Z',
        saleEndsAt: null,
        vatRate: 20,
        active: true,
        categoryIds: ['2'],
        externalUrl: null,
        seoTitle: null,
        seoDescription: null,
      },
    });
  });

  it('sends a new slug, and none for a new product without one', () => {
    const changed = productInput({ ...draftOf(product, 'tr'), slug: 'kupa' }, { slug: product.slug, stock: product.stock });
    expect(changed.ok && changed.input.slug).toBe('kupa');
    const fresh = productInput({ ...emptyDraft(), name: 'Kupa', price: '10' }, null);
    expect(fresh.ok && 'slug' in fresh.input).toBe(false);
    expect(fresh.ok && fresh.input.vatRate).toBe(20);
    expect(fresh.ok && fresh.input.stock).toBe(0);
  });

  it('sends the stock only when the form changed it (checkouts move it meanwhile)', () => {
    const restocked = productInput({ ...draftOf(product, 'tr'), stock: '12' }, { slug: product.slug, stock: product.stock });
    expect(restocked.ok && restocked.input.stock).toBe(12);
  });

  it('names every problem at its field', () => {
    const result = productInput(
      { ...emptyDraft(), name: ' ', slug: 'Büyük Kupa', price: '1.299', salePrice: '-3', vatRate: '120', stock: '2,5', externalUrl: 'ftp://x', saleStartsAt: '2026-02-30T10:00' },
      null,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual({
      name: { key: 'error.required' },
      slug: { key: 'error.slugInvalid' },
      price: { key: 'price.decimals' },
      salePrice: { key: 'price.negative' },
      saleStartsAt: { key: 'products.dateInvalid' },
      vatRate: { key: 'error.vatRange' },
      stock: { key: 'error.stockRange', params: { max: 1_000_000 } },
      externalUrl: { key: 'error.externalUrl' },
    });
    expect(firstProblem(result.problems)).toBe('name');
  });

  it('checks the sale against the price and its end against its start', () => {
    const result = productInput({ ...emptyDraft(), name: 'Kupa', price: '100', salePrice: '100', saleStartsAt: '2026-11-27T13:00', saleEndsAt: '2026-11-27T12:00' }, null);
    expect(result).toEqual({ ok: false, problems: { salePrice: { key: 'error.saleBelowPrice' }, saleEndsAt: { key: 'error.saleEndsBeforeStart' } } });
  });

  it('wants a price', () => {
    expect(productInput({ ...emptyDraft(), name: 'Kupa' }, null)).toEqual({ ok: false, problems: { price: { key: 'products.priceRequired' } } });
  });

  it('counts lengths as the server does', () => {
    const result = productInput({ ...emptyDraft(), name: 'Kupa', price: '1', seoTitle: 'ş'.repeat(71) }, null);
    expect(result).toEqual({ ok: false, problems: { seoTitle: { key: 'error.tooLong', params: { max: 70 } } } });
  });
});

describe('fieldOfError', () => {
  it('finds the form’s field in the server’s extensions.field', () => {
    expect(fieldOfError('input.price')).toBe('price');
    expect(fieldOfError('input.salePrice')).toBe('salePrice');
    expect(fieldOfError('input.categoryIds.2')).toBe('categoryIds');
    expect(fieldOfError('imageIds.1')).toBe('media');
    expect(fieldOfError('videoId')).toBe('media');
    expect(fieldOfError('input.somethingNew')).toBeNull();
    expect(fieldOfError(null)).toBeNull();
  });
});
