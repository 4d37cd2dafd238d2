import { describe, expect, it } from 'vitest';
import { ApiError, apiErrorFrom, describeError, errorMessage, isInvalidLink, isSessionEnded, knownMessage } from '../../src/lib/errors';

const gql = (code: string, message = 'x', extra: Record<string, unknown> = {}) =>
  apiErrorFrom({ message, extensions: { code, ...extra } });

describe('apiErrorFrom', () => {
  it('reads extensions.code and retryAfter', () => {
    const error = gql('RATE_LIMITED', 'Too many failed attempts. Try again in 15 minute(s).', { retryAfter: 842 });
    expect(error).toBeInstanceOf(ApiError);
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.retryAfter).toBe(842);
    expect(gql('RATE_LIMITED', 'x', { retryAfter: '60' }).retryAfter).toBe(60);
  });

  it('turns unknown or missing codes into UNKNOWN', () => {
    expect(gql('SOMETHING_NEW').code).toBe('UNKNOWN');
    expect(apiErrorFrom({ message: 'no extensions' }).code).toBe('UNKNOWN');
    expect(apiErrorFrom(null).code).toBe('UNKNOWN');
  });
});

describe('describeError / errorMessage', () => {
  it('wrong credentials on sign-in', () => {
    const error = gql('UNAUTHENTICATED', 'The e-mail address or the password is wrong.');
    expect(errorMessage(error, 'tr', { login: true })).toBe('E-posta adresi veya parola hatalı.');
    expect(errorMessage(error, 'en', { login: true })).toBe('The e-mail address or the password is wrong.');
  });

  it('UNAUTHENTICATED elsewhere means the session ended', () => {
    const error = gql('UNAUTHENTICATED', 'Your session has ended. Sign in again.');
    expect(describeError(error)).toEqual({ key: 'error.sessionEnded' });
    expect(isSessionEnded(error)).toBe(true);
    expect(isSessionEnded(new Error('x'))).toBe(false);
  });

  it('throttling shows the wait in minutes', () => {
    const error = gql('RATE_LIMITED', 'Too many failed attempts. Try again in 14 minute(s).', { retryAfter: 840 });
    expect(errorMessage(error, 'tr', { login: true })).toBe(
      'Çok fazla başarısız deneme yapıldı. Lütfen 14 dakika sonra yeniden deneyin.',
    );
    expect(errorMessage(error, 'en', { login: true })).toBe('Too many failed attempts. Please try again in 14 minutes.');
    expect(errorMessage(gql('RATE_LIMITED', 'x', { retryAfter: 5 }), 'en')).toBe('Too many attempts. Please try again in 1 minute.');
  });

  it("shows the server's known BAD_USER_INPUT messages in the dashboard's language", () => {
    const common = gql('BAD_USER_INPUT', 'This password is among the most commonly used ones; choose another.');
    expect(errorMessage(common, 'tr')).toBe('Bu parola çok yaygın kullanılıyor; lütfen başka bir parola seçin.');
    expect(errorMessage(gql('BAD_USER_INPUT', 'The password must be at least 8 characters long.'), 'tr')).toBe(
      'Parola en az 8 karakter olmalı.',
    );
    expect(errorMessage(gql('BAD_USER_INPUT', 'The current password is wrong.'), 'tr')).toBe('Mevcut parolanız hatalı.');
    expect(errorMessage(gql('BAD_USER_INPUT', 'The name must be at most 100 characters long.'), 'tr')).toBe(
      'Adınız en fazla 100 karakter olabilir.',
    );
  });

  it('shows unknown BAD_USER_INPUT messages as the server wrote them', () => {
    expect(errorMessage(gql('BAD_USER_INPUT', 'Something brand new.'), 'tr')).toBe('Something brand new.');
    expect(describeError(gql('BAD_USER_INPUT', 'Something brand new.'))).toEqual({ raw: 'Something brand new.' });
  });

  it('maps the other codes to plain words', () => {
    expect(errorMessage(gql('FORBIDDEN'), 'tr')).toBe('Bu işlem için yetkiniz yok.');
    expect(errorMessage(gql('INTERNAL_SERVER_ERROR'), 'tr')).toMatch(/beklenmeyen bir hata/);
    expect(errorMessage(new ApiError('NETWORK', 'Failed to fetch'), 'tr')).toMatch(/Sunucuya ulaşılamadı/);
    expect(errorMessage(gql('CONFLICT'), 'en')).toMatch(/clashed/);
    expect(errorMessage(gql('NOT_FOUND'), 'en')).toMatch(/not found/);
    expect(errorMessage(new TypeError('boom'), 'tr')).toBe('Bir şeyler ters gitti. Lütfen yeniden deneyin.');
  });

  it('recognises a refused link', () => {
    const invalid = gql('BAD_USER_INPUT', 'This link is invalid or has expired. Ask for a new one.');
    expect(isInvalidLink(invalid)).toBe(true);
    expect(errorMessage(invalid, 'tr')).toMatch(/geçersiz ya da süresi dolmuş/);
    expect(isInvalidLink(gql('BAD_USER_INPUT', 'The current password is wrong.'))).toBe(false);
  });

  it('knownMessage returns null for what it does not know', () => {
    expect(knownMessage('Nope')).toBeNull();
  });
});
