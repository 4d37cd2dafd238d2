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

  it('reads the field a refusal names', () => {
    expect(gql('BAD_USER_INPUT', 'The sale price must be below the price.', { field: 'input.salePrice' }).field).toBe('input.salePrice');
    expect(gql('CONFLICT').field).toBeNull();
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

describe('media and statistics messages (phase 2)', () => {
  // The server's exact words, as answered to the requests in the phase-2 report.
  const cases: Array<[string, string, string]> = [
    [
      'This file type is not accepted (JPEG, PNG or WebP images and MP4 or WebM videos are accepted): it looks like a PHP script.',
      'Bu dosya türü kabul edilmiyor: dosya bir betik (PHP) gibi görünüyor, resim ya da video değil.',
      'This file type is not accepted: the file looks like a (PHP) script, not an image or a video.',
    ],
    [
      'This file type is not accepted (JPEG, PNG or WebP images and MP4 or WebM videos are accepted): it looks like a text file.',
      'Bu dosya türü kabul edilmiyor: dosya bir metin dosyası gibi görünüyor, resim ya da video değil.',
      'This file type is not accepted: the file looks like a text file, not an image or a video.',
    ],
    [
      'This file type is not accepted (JPEG, PNG or WebP images and MP4 or WebM videos are accepted): it looks like an HTML page.',
      'Bu dosya türü kabul edilmiyor: dosya bir web sayfası (HTML) gibi görünüyor, resim ya da video değil.',
      'This file type is not accepted: the file looks like a web page (HTML), not an image or a video.',
    ],
    [
      'This file type is not accepted (JPEG, PNG or WebP images and MP4 or WebM videos are accepted): its content is not a format we recognise.',
      'Bu dosya türü kabul edilmiyor. JPEG, PNG ya da WebP resim veya MP4 ya da WebM video yükleyebilirsiniz.',
      'This file type is not accepted. Upload a JPEG, PNG or WebP image, or an MP4 or WebM video.',
    ],
    ['The file is empty.', 'Dosya boş.', 'The file is empty.'],
    [
      'The image is 50000×50000 (2500.0 megapixels); at most 40.0 megapixels are accepted.',
      'Resim çok büyük: 50000×50000 piksel; en fazla 40 megapiksel olabilir.',
      'The image is too large: 50000×50000 pixels; at most 40 megapixels.',
    ],
    [
      'The image is damaged or incomplete and cannot be decoded (Exhausted data in the image).',
      'Resim bozuk ya da eksik; açılamadı.',
      'The image is damaged or incomplete and cannot be opened.',
    ],
    ['The image is larger than the 15 MiB allowed.', 'Resim çok büyük: en fazla 15 MiB olabilir.', 'The image is too large: at most 15 MiB.'],
    ['The video is 120.3 MiB; at most 100 MiB is accepted.', 'Video çok büyük: en fazla 100 MiB olabilir.', 'The video is too large: at most 100 MiB.'],
    [
      'The crop rectangle (2000, 10, 1200×900) reaches outside the 3000×2000 image.',
      'Kırpma alanı resmin dışına taşıyor.',
      'The crop area reaches outside the image.',
    ],
    [
      'The crop rectangle is 1300×900 (ratio 1.444); the gallery preset needs 4:3 (ratio 1.333, within 1%).',
      'Kırpma alanının en-boy oranı bu ön ayara uymuyor.',
      'The crop area does not have this preset’s aspect ratio.',
    ],
    ['Only images can be cropped.', 'Yalnızca resimler kırpılabilir.', 'Only images can be cropped.'],
    ['foundedYear must be between 1800 and 2026.', 'Kuruluş yılı 1800 ile 2026 arasında olmalı.', 'The year founded must be between 1800 and 2026.'],
    ['happyThreshold must be between 1 and 5.', 'Puan 1 ile 5 arasında olmalı.', 'The rating must be between 1 and 5.'],
  ];

  it.each(cases)('%s', (server, turkish, english) => {
    expect(errorMessage(gql('BAD_USER_INPUT', server), 'tr')).toBe(turkish);
    expect(errorMessage(gql('BAD_USER_INPUT', server), 'en')).toBe(english);
  });

  it('knows a vanished media item and the upload CSRF refusal', () => {
    expect(errorMessage(gql('NOT_FOUND', 'There is no media item with this id.'), 'tr')).toBe('Bu medya artık yok; silinmiş olabilir.');
    expect(errorMessage(gql('FORBIDDEN', 'A multipart request authenticated by cookie must carry the x-vitrin-csrf (or apollo-require-preflight) header.'), 'tr')).toBe(
      'Yükleme güvenlik denetiminden geçemedi. Sayfayı yenileyip yeniden deneyin.',
    );
    expect(errorMessage(gql('FORBIDDEN', 'Administrators only.'), 'tr')).toBe('Bu işlem için yetkiniz yok.');
  });
});

describe('catalogue messages', () => {
  it('translates the product checks, by the exact words of the server', () => {
    const tr = (message: string, code = 'BAD_USER_INPUT') => errorMessage(gql(code, message), 'tr');
    expect(tr('The sale price must be below the price.')).toBe('İndirimli fiyat, fiyattan düşük olmalı.');
    expect(tr('The sale must end after it starts.')).toBe('İndirimin bitişi, başlangıcından sonra olmalı.');
    expect(tr('Another product has this SKU.')).toBe('Bu stok kodu başka bir üründe kullanılıyor.');
    expect(tr('Stock is a count from 0 to 1000000.')).toBe('Stok 0 ile 1000000 arasında bir tam sayı olmalı.');
    expect(tr('A product has at most 5 pictures.')).toBe('Bir üründe en fazla 5 görsel olabilir.');
    expect(tr('A slug is lower-case letters and digits joined by hyphens, at most 80 long (e.g. "kupa").')).toMatch(/^Adres yalnızca küçük harf/);
    // clean_text's words start with the field's name.
    expect(tr('name cannot be empty.')).toBe('Bu alanı doldurun.');
    expect(tr('seoTitle must be at most 70 characters long.')).toBe('En fazla 70 karakter olabilir.');
    expect(errorMessage(gql('BAD_USER_INPUT', 'sku must be at most 64 characters long.'), 'en')).toBe('At most 64 characters.');
  });

  it('says clearly why a category cannot be deleted (CONFLICT)', () => {
    const holds = gql('CONFLICT', '“Kupalar” still holds 2 product(s); move them to another category first.');
    expect(errorMessage(holds, 'tr')).toBe('“Kupalar” kategorisinde hâlâ 2 ürün var. Silmeden önce bu ürünleri başka bir kategoriye taşıyın.');
    expect(errorMessage(holds, 'en')).toBe('“Kupalar” still holds 2 product(s). Move them to another category before deleting it.');
    const parent = gql('CONFLICT', '“Mutfak” has subcategories; move or delete them first.');
    expect(errorMessage(parent, 'tr')).toBe('“Mutfak” kategorisinin alt kategorileri var. Önce onları taşıyın ya da silin.');
  });

  it('knows the tree limits', () => {
    expect(errorMessage(gql('BAD_USER_INPUT', 'Categories go at most 3 levels deep; this branch would go deeper.'), 'tr')).toBe(
      'Kategoriler en fazla 3 düzey derin olabilir; bu yer sınırı aşıyor.',
    );
    expect(describeError(gql('BAD_USER_INPUT', 'A category cannot be moved under itself or its own subcategories.'))).toEqual({ key: 'error.categoryUnderItself' });
  });

  it('leaves the older messages to their own texts', () => {
    expect(describeError(gql('BAD_USER_INPUT', 'The name must be at most 100 characters long.'))).toEqual({ key: 'error.nameTooLong', params: { max: '100' } });
  });
});

describe('customer messages', () => {
  it('says the customer is gone (erased meanwhile) rather than a bare "not found"', () => {
    const gone = gql('NOT_FOUND', 'There is no customer with this id.');
    expect(errorMessage(gone, 'tr')).toBe('Bu müşteri artık yok; hesabı silinmiş olabilir.');
    expect(errorMessage(gone, 'en')).toBe('This customer no longer exists; the account may have been deleted.');
  });
});

describe('customer account messages', () => {
  it('says the address checks in the page language, at the field the server names', () => {
    const postal = gql('BAD_USER_INPUT', 'Postal codes in Antalya start with 07.', { field: 'input.postalCode' });
    // The province's prefix is a code: its leading zero stays.
    expect(errorMessage(postal, 'tr')).toBe('Antalya posta kodları 07 ile başlar.');
    expect(errorMessage(postal, 'en')).toBe('Postal codes in Antalya start with 07.');
    expect(errorMessage(gql('BAD_USER_INPUT', "Choose one of Türkiye's 81 provinces."), 'tr')).toBe('Türkiye’nin 81 ilinden birini seçin.');
    expect(errorMessage(gql('BAD_USER_INPUT', 'Enter a Turkish phone number with its area code, like 0532 123 45 67.'), 'tr')).toBe(
      'Alan koduyla birlikte bir Türkiye telefon numarası yazın, örneğin 0532 123 45 67.',
    );
    expect(errorMessage(gql('BAD_USER_INPUT', 'recipientName cannot be empty.'), 'tr')).toBe('Bu alanı doldurun.');
  });

  it('says the limits and refusals of the account', () => {
    expect(errorMessage(gql('BAD_USER_INPUT', 'You can keep at most 20 addresses; delete one first.'), 'tr')).toBe(
      'En fazla 20 adres kaydedebilirsiniz; önce birini silin.',
    );
    expect(describeError(gql('BAD_USER_INPUT', 'This is your only way to sign in: set a password ("forgot password") or connect another provider first.'))).toEqual({
      key: 'error.lastSignInMethod',
    });
    expect(describeError(gql('BAD_USER_INPUT', 'Accept the terms of use to sign up.'))).toEqual({ key: 'error.acceptTerms' });
    expect(errorMessage(gql('BAD_USER_INPUT', 'Sign in again with Google or Facebook, then delete the account within 10 minutes.'), 'tr')).toBe(
      'Google ya da Facebook ile yeniden giriş yapın, ardından hesabınızı 10 dakika içinde silin.',
    );
    expect(describeError(gql('BAD_USER_INPUT', 'The password cannot contain line breaks, tabs or other control characters.'))).toEqual({
      key: 'password.controlCharacters',
    });
  });

  it('still writes quantities the language’s way', () => {
    const pixels = gql('BAD_USER_INPUT', 'The image is 9000×9000 (81.0 megapixels); at most 40.5 megapixels are accepted.');
    expect(errorMessage(pixels, 'tr')).toBe('Resim çok büyük: 9000×9000 piksel; en fazla 40,5 megapiksel olabilir.');
    expect(errorMessage(gql('BAD_USER_INPUT', 'title must be at most 40 characters long.'), 'tr')).toBe('En fazla 40 karakter olabilir.');
  });
});

describe('shop messages', () => {
  it('reads the reason of a rule refusal', () => {
    const refused = gql('BAD_USER_INPUT', 'An order cannot go from shipped to cancelled.', { reason: 'TRANSITION_NOT_ALLOWED', field: 'status' });
    expect(refused.reason).toBe('TRANSITION_NOT_ALLOWED');
    expect(refused.field).toBe('status');
    expect(gql('BAD_USER_INPUT', 'x').reason).toBeNull();
    expect(gql('BAD_USER_INPUT', 'x', { reason: 42 }).reason).toBeNull();
  });

  it('words a refused move by its reason, whatever the message says', () => {
    const refused = gql('BAD_USER_INPUT', 'Something new the dashboard does not know.', { reason: 'TRANSITION_NOT_ALLOWED' });
    expect(describeError(refused)).toEqual({ key: 'error.transitionNotAllowed' });
    expect(errorMessage(refused, 'en')).toMatch(/^The order could not be moved to this status/);
    // An unknown reason falls back to the message.
    expect(describeError(gql('BAD_USER_INPUT', 'Your cart is empty.', { reason: 'CART_EMPTY' }))).toEqual({ raw: 'Your cart is empty.' });
    expect(describeError(gql('CONFLICT', 'The order changed at the same moment; reload it and try again.'))).toEqual({ key: 'error.orderChanged' });
    expect(describeError(gql('NOT_FOUND', 'There is no order with this number.'))).toEqual({ key: 'error.orderNotFound' });
  });

  it('translates the settings’ and the coupons’ checks', () => {
    const tr = (message: string) => errorMessage(gql('BAD_USER_INPUT', message), 'tr');
    expect(tr('A Turkish IBAN is TR followed by 24 digits, with valid check digits.')).toMatch(/^Geçerli bir Türkiye IBAN/);
    expect(tr('An amount is in kuruş, from 0 to 100000000.')).toBe('Tutar 0 ile 1000000 ₺ arasında olmalı.');
    expect(tr('At most 5 bank accounts.')).toBe('En fazla 5 banka hesabı eklenebilir.');
    expect(tr('Give a host name only, such as www.trendyol.com (no https://, no path).')).toMatch(/^Yalnızca alan adını/);
    expect(tr('Another coupon has this code.')).toBe('Bu kod başka bir kuponda kullanılıyor.');
    expect(tr('A percent coupon takes 1 to 100 (%).')).toBe('Yüzde indirim 1 ile 100 arasında bir tam sayı olmalı.');
    expect(tr('It has been used 4 times already; the limit cannot be 2.')).toBe('Bu kupon 4 kez kullanıldı; toplam kullanım sınırı bundan az olamaz.');
    expect(tr('A usage limit is at least 1 (leave it empty for none).')).toMatch(/^Sınır en az 1/);
    expect(tr('A limit per customer is at least 1 (leave it empty for none).')).toMatch(/^Sınır en az 1/);
    expect(tr('At most 100.')).toBe('En fazla 100 seçim yapılabilir.');
    expect(errorMessage(gql('NOT_FOUND', 'There is no coupon with this id.'), 'en')).toBe('This coupon no longer exists; it may have been deleted.');
  });

  it('knows clean_text’s words for a field inside a list', () => {
    expect(errorMessage(gql('BAD_USER_INPUT', 'bankAccounts.0.bank cannot be empty.'), 'tr')).toBe('Bu alanı doldurun.');
    expect(errorMessage(gql('BAD_USER_INPUT', 'bankAccounts.2.holder must be at most 120 characters long.'), 'en')).toBe('At most 120 characters.');
  });
});
