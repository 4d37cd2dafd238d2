import { describe, expect, it } from 'vitest';
import { couponIdFromPath, couponPath, matchRoute, orderNumberFromPath, orderPath, productIdFromPath, productPath, routePath } from '../../src/dashboard/routes';

describe('matchRoute', () => {
  it('finds each page at its address', () => {
    expect(matchRoute('/dashboard/').def.name).toBe('home');
    expect(matchRoute('/dashboard/login/').def.name).toBe('login');
    expect(matchRoute('/dashboard/forgot-password/').def.name).toBe('forgotPassword');
    expect(matchRoute('/dashboard/reset-password').def.name).toBe('resetPassword');
    expect(matchRoute('/dashboard/confirm-email').def.name).toBe('confirmEmail');
    expect(matchRoute('/dashboard/profile/edit/').def.name).toBe('profile');
    expect(matchRoute('/dashboard/media/').def.name).toBe('media');
    expect(matchRoute('/dashboard/stats/').def.name).toBe('stats');
    expect(matchRoute('/dashboard/products/').def.name).toBe('products');
    expect(matchRoute('/dashboard/categories/').def.name).toBe('categories');
    expect(matchRoute('/dashboard/customers/').def.name).toBe('customers');
    expect(matchRoute('/dashboard/orders/').def.name).toBe('orders');
    expect(matchRoute('/dashboard/coupons/').def.name).toBe('coupons');
    expect(matchRoute('/dashboard/shop-settings/').def.name).toBe('shopSettings');
    expect(matchRoute('/dashboard/shop-settings')).toMatchObject({ def: { auth: 'required' }, canonical: '/dashboard/shop-settings/' });
  });

  it('finds an order by its number, and the list without one', () => {
    expect(matchRoute('/dashboard/orders')).toMatchObject({ def: { name: 'orders' }, canonical: '/dashboard/orders/' });
    expect(matchRoute('/dashboard/orders/VT-2026-000123')).toMatchObject({ def: { name: 'orderDetail', auth: 'required' }, canonical: '/dashboard/orders/VT-2026-000123' });
    expect(matchRoute('/dashboard/orders/VT-2026-000123/')).toMatchObject({ canonical: '/dashboard/orders/VT-2026-000123' });
    expect(matchRoute('/dashboard/orders/VT-2026-000123/edit').def.name).toBe('notFound');
    expect(matchRoute('/dashboard/orders/VT--1').def.name).toBe('notFound');
    expect(orderNumberFromPath('/dashboard/orders/VT-2026-000123')).toBe('VT-2026-000123');
    expect(orderPath('VT-2026-000123')).toBe('/dashboard/orders/VT-2026-000123');
  });

  it('finds the coupon form for a new coupon and for one by id', () => {
    expect(matchRoute('/dashboard/coupons/new')).toMatchObject({ def: { name: 'couponEdit' }, canonical: '/dashboard/coupons/new' });
    expect(matchRoute('/dashboard/coupons/12/')).toMatchObject({ def: { name: 'couponEdit' }, canonical: '/dashboard/coupons/12' });
    expect(matchRoute('/dashboard/coupons/0').def.name).toBe('notFound');
    expect(matchRoute('/dashboard/coupons/HOSGELDIN').def.name).toBe('notFound');
    expect(couponIdFromPath('/dashboard/coupons/12')).toBe('12');
    expect(couponIdFromPath('/dashboard/coupons/new')).toBeNull();
    expect(couponPath('12')).toBe('/dashboard/coupons/12');
  });

  it('finds the product form for a new product and for one by id', () => {
    expect(matchRoute('/dashboard/products/new')).toMatchObject({ def: { name: 'productEdit' }, canonical: '/dashboard/products/new' });
    expect(matchRoute('/dashboard/products/new/')).toMatchObject({ def: { name: 'productEdit' }, canonical: '/dashboard/products/new' });
    expect(matchRoute('/dashboard/products/42')).toMatchObject({ def: { name: 'productEdit' }, canonical: '/dashboard/products/42' });
    expect(matchRoute('/dashboard/products/42/')).toMatchObject({ canonical: '/dashboard/products/42' });
    expect(matchRoute('/dashboard/products/0').def.name).toBe('notFound');
    expect(matchRoute('/dashboard/products/abc').def.name).toBe('notFound');
    expect(matchRoute('/dashboard/products/42/edit').def.name).toBe('notFound');
    expect(productIdFromPath('/dashboard/products/42')).toBe('42');
    expect(productIdFromPath('/dashboard/products/new')).toBeNull();
    expect(productPath('42')).toBe('/dashboard/products/42');
  });

  it('accepts the address with or without the trailing slash, and gives the canonical one', () => {
    expect(matchRoute('/dashboard/login')).toMatchObject({ canonical: '/dashboard/login/' });
    expect(matchRoute('/dashboard/reset-password/')).toMatchObject({ canonical: '/dashboard/reset-password' });
    expect(matchRoute('/dashboard')).toMatchObject({ canonical: '/dashboard/' });
    expect(matchRoute('/dashboard/profile/')).toMatchObject({ canonical: '/dashboard/profile/edit/' });
    expect(matchRoute('/dashboard/customers')).toMatchObject({ def: { name: 'customers', auth: 'required' }, canonical: '/dashboard/customers/' });
  });

  it('says which pages need a session', () => {
    expect(matchRoute('/dashboard/').def.auth).toBe('required');
    expect(matchRoute('/dashboard/profile/edit/').def.auth).toBe('required');
    expect(matchRoute('/dashboard/login/').def.auth).toBe('guest');
    expect(matchRoute('/dashboard/reset-password').def.auth).toBe('any');
  });

  it('anything else is not found', () => {
    expect(matchRoute('/dashboard/nope').def.name).toBe('notFound');
    expect(matchRoute('/dashboard/login/extra').def.name).toBe('notFound');
  });

  it('routePath gives the canonical address', () => {
    expect(routePath('profile')).toBe('/dashboard/profile/edit/');
  });
});
