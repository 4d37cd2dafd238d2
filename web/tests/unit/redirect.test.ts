import { describe, expect, it } from 'vitest';
import { loginPath, sanitizeNext, sanitizeReturn } from '../../src/lib/redirect';

const ORIGIN = 'https://site.example';

describe('sanitizeNext', () => {
  it('accepts paths of this site under /dashboard/', () => {
    expect(sanitizeNext('/dashboard/', ORIGIN)).toBe('/dashboard/');
    expect(sanitizeNext('/dashboard/profile/edit/', ORIGIN)).toBe('/dashboard/profile/edit/');
    expect(sanitizeNext('/dashboard/media/?page=2', ORIGIN)).toBe('/dashboard/media/?page=2');
  });

  it('drops the fragment (it may carry a token)', () => {
    expect(sanitizeNext('/dashboard/stats/#top', ORIGIN)).toBe('/dashboard/stats/');
  });

  it('refuses other sites, however they are spelled', () => {
    for (const raw of [
      'https://evil.example/dashboard/',
      '//evil.example/dashboard/',
      '/\\evil.example/dashboard/',
      '\\\\evil.example',
      'javascript:alert(1)',
      'data:text/html,hi',
      ' /dashboard/',
      'dashboard/',
      `${ORIGIN}/dashboard/`,
    ]) {
      expect(sanitizeNext(raw, ORIGIN), raw).toBeNull();
    }
  });

  it('refuses paths outside the dashboard, also after normalisation', () => {
    expect(sanitizeNext('/graphiql', ORIGIN)).toBeNull();
    expect(sanitizeNext('/dashboard', ORIGIN)).toBeNull();
    expect(sanitizeNext('/dashboard/../graphiql', ORIGIN)).toBeNull();
    expect(sanitizeNext('/dashboard/%2e%2e/graphiql', ORIGIN)).toBeNull();
    expect(sanitizeNext('/dashboardx/', ORIGIN)).toBeNull();
  });

  it('refuses control characters and absurd lengths', () => {
    expect(sanitizeNext('/dashboard/\nSet-Cookie: x', ORIGIN)).toBeNull();
    expect(sanitizeNext('/dashboard/\t/evil', ORIGIN)).toBeNull();
    expect(sanitizeNext(`/dashboard/${'a'.repeat(3000)}`, ORIGIN)).toBeNull();
  });

  it('refuses the sign-in flow pages themselves', () => {
    expect(sanitizeNext('/dashboard/login/', ORIGIN)).toBeNull();
    expect(sanitizeNext('/dashboard/login/?next=/dashboard/', ORIGIN)).toBeNull();
    expect(sanitizeNext('/dashboard/forgot-password/', ORIGIN)).toBeNull();
    expect(sanitizeNext('/dashboard/reset-password', ORIGIN)).toBeNull();
    expect(sanitizeNext('/dashboard/confirm-email', ORIGIN)).toBeNull();
  });

  it('refuses nothing-at-all', () => {
    expect(sanitizeNext(null, ORIGIN)).toBeNull();
    expect(sanitizeNext(undefined, ORIGIN)).toBeNull();
    expect(sanitizeNext('', ORIGIN)).toBeNull();
  });
});

describe('loginPath', () => {
  it('asks to come back to a safe page', () => {
    expect(loginPath('/dashboard/profile/edit/', ORIGIN)).toBe('/dashboard/login/?next=%2Fdashboard%2Fprofile%2Fedit%2F');
  });

  it('leaves out next= when it would lead home anyway or is unsafe', () => {
    expect(loginPath('/dashboard/', ORIGIN)).toBe('/dashboard/login/');
    expect(loginPath('https://evil.example/', ORIGIN)).toBe('/dashboard/login/');
    expect(loginPath(null, ORIGIN)).toBe('/dashboard/login/');
  });
});

describe('sanitizeReturn', () => {
  it('accepts any path of this site, without the fragment', () => {
    expect(sanitizeReturn('/hesap', ORIGIN)).toBe('/hesap');
    expect(sanitizeReturn('/urun/kupa?renk=mavi#yorumlar', ORIGIN)).toBe('/urun/kupa?renk=mavi#yorumlar');
    expect(sanitizeReturn('/hesap/adresler', ORIGIN)).toBe('/hesap/adresler');
  });

  it('refuses other sites and odd spellings, as sanitizeNext does', () => {
    for (const raw of ['https://evil.example/', '//evil.example/hesap', '/\\evil.example', 'javascript:alert(1)', 'hesap', '/hesap\nx', null, '']) {
      expect(sanitizeReturn(raw, ORIGIN), String(raw)).toBeNull();
    }
  });

  it('refuses the sign-in flow itself (it would come back to the form)', () => {
    expect(sanitizeReturn('/hesap/giris', ORIGIN)).toBeNull();
    expect(sanitizeReturn('/hesap/giris/?return=/hesap', ORIGIN)).toBeNull();
    expect(sanitizeReturn('/hesap/kayit', ORIGIN)).toBeNull();
    expect(sanitizeReturn('/hesap/sifre-sifirla', ORIGIN)).toBeNull();
    expect(sanitizeReturn('/hesap/x/../dogrula', ORIGIN)).toBeNull();
  });
});
