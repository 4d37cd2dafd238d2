import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/lib/errors';
import { reasonText } from '../../src/widgets/shop/logic';
import {
  controlOf,
  pageLang,
  productSlug,
  productWords,
  reportProblems,
  reviewInput,
  reviewProblems,
  reviewSavedText,
  reviewsReturn,
  shareProblems,
  shareVariables,
  signInPath,
  wantsFavorite,
  withoutParam,
  type ProductWords,
  type ReviewDraft,
} from '../../src/widgets/shop/productLogic';

const MiB = 1024 * 1024;
const photo = (name: string, size = MiB, type = 'image/jpeg') => ({ name, size, type });
const draft = (change: Partial<ReviewDraft> = {}): ReviewDraft => ({ rating: 4, title: '', comment: 'Çok güzel.', photos: [], ...change });
const names = (problems: Array<{ name: string }>) => problems.map((p) => p.name);

describe('the product page', () => {
  it('knows its product by the path', () => {
    expect(productSlug('/urun/masa-lambasi')).toBe('masa-lambasi');
    expect(productSlug('/urun/masa-lambasi/')).toBe('masa-lambasi');
    expect(productSlug('/urun/%C3%A7ay')).toBe('çay');
    expect(productSlug('/urun/%E0')).toBeNull();
    expect(productSlug('/urun/')).toBeNull();
    expect(productSlug('/urun/a/b')).toBeNull();
    expect(productSlug('/sepet')).toBeNull();
  });

  it('favourites once after signing in from the heart, then forgets the request', () => {
    expect(wantsFavorite('?begen=1')).toBe(true);
    expect(wantsFavorite('?yorum=yeni&begen=1')).toBe(true);
    expect(wantsFavorite('?begen=0')).toBe(false);
    expect(wantsFavorite('')).toBe(false);
    expect(withoutParam('?begen=1', 'begen')).toBe('');
    expect(withoutParam('?yorum=faydali&begen=1&fotografli=1', 'begen')).toBe('?yorum=faydali&fotografli=1');
    expect(withoutParam('?begen&q=a%20b', 'begen')).toBe('?q=a%20b');
    expect(withoutParam('', 'begen')).toBe('');
  });

  it('sends guests to sign in and back to the reviews they were reading', () => {
    const back = reviewsReturn('/urun/lamba', '?yorum=faydali&begen=1');
    expect(back).toBe('/urun/lamba?yorum=faydali#yorumlar');
    expect(signInPath(back)).toBe('/hesap/giris?return=%2Furun%2Flamba%3Fyorum%3Dfaydali%23yorumlar');
  });

  it("puts the server's errors at the control they name", () => {
    expect(controlOf('input.comment')).toBe('comment');
    expect(controlOf('photoIds')).toBe('photos');
    expect(controlOf('input.photoIds.1')).toBe('photos');
    expect(controlOf('friendEmail')).toBe('friendEmail');
    expect(controlOf(null)).toBeNull();
    expect(controlOf('')).toBeNull();
  });

  it('says why a review, a vote or a share was refused, in Turkish', () => {
    const refused = (reason: string) => new ApiError('BAD_USER_INPUT', 'refused', null, 200, null, reason);
    expect(reasonText(refused('PHOTO_LIMIT'), 'tr')).toContain('10 fotoğraf');
    expect(reasonText(refused('OWN_REVIEW'), 'tr')).toContain('Kendi yorumunuzu');
    expect(reasonText(refused('SHARE_LIMIT'), 'tr')).toContain('10 ürün');
    expect(reasonText(refused('RECIPIENT_LIMIT'), 'tr')).toContain('Bu adrese');
    expect(reasonText(refused('RECIPIENT_OPTED_OUT'), 'tr')).toContain('istemiyor');
    // The same reason, worded for what was refused.
    expect(reasonText(refused('EMAIL_NOT_VERIFIED'), 'tr')).toContain('Sipariş');
    expect(reasonText(refused('EMAIL_NOT_VERIFIED'), 'tr', 'review')).toContain('Yorum yazmadan önce');
    expect(reasonText(refused('COUPON_EXPIRED'), 'tr', 'review')).toBe('Bu kuponun süresi doldu.');
  });
});

describe('the review form', () => {
  it('needs a rating and a comment', () => {
    expect(reviewProblems(draft(), 'tr')).toEqual([]);
    expect(names(reviewProblems(draft({ rating: 0, comment: '   ' }), 'tr'))).toEqual(['rating', 'comment']);
    expect(names(reviewProblems(draft({ rating: 6 }), 'tr'))).toEqual(['rating']);
    expect(names(reviewProblems(draft({ rating: 2.5 }), 'tr'))).toEqual(['rating']);
  });

  it("keeps to the server's lengths, counting characters", () => {
    expect(reviewProblems(draft({ title: 'ş'.repeat(120), comment: 'ğ'.repeat(2000) }), 'tr')).toEqual([]);
    expect(reviewProblems(draft({ title: 'ş'.repeat(121), comment: 'ğ'.repeat(2001) }), 'tr')).toEqual([
      { name: 'title', text: 'Başlık en fazla 120 karakter olabilir.' },
      { name: 'comment', text: 'Yorum en fazla 2000 karakter olabilir.' },
    ]);
    // An emoji is one character, as the server counts, though two UTF-16 units.
    expect(reviewProblems(draft({ comment: '👍'.repeat(2000) }), 'tr')).toEqual([]);
  });

  it('takes up to three JPEG, PNG or WebP photos of 5 MiB each', () => {
    const three = [photo('a.jpg'), photo('b.png', 5 * MiB, 'image/png'), photo('c.webp', 1, 'image/webp')];
    expect(reviewProblems(draft({ photos: three }), 'tr')).toEqual([]);
    expect(reviewProblems(draft({ photos: [...three, photo('d.jpg')] }), 'tr')).toEqual([{ name: 'photos', text: 'En fazla 3 fotoğraf ekleyebilirsiniz.' }]);
    expect(reviewProblems(draft({ photos: [photo('büyük.jpg', 5 * MiB + 1)] }), 'tr')).toEqual([
      { name: 'photos', text: 'büyük.jpg: bir fotoğraf en fazla 5 MiB olabilir.' },
    ]);
    expect(reviewProblems(draft({ photos: [photo('hareketli.gif', 10, 'image/gif')] }), 'tr')[0]?.text).toMatch(/^hareketli\.gif: yalnızca JPEG/);
    expect(names(reviewProblems(draft({ photos: [photo('IMG_1.HEIC', 10, 'image/heic')] }), 'tr'))).toEqual(['photos']);
  });

  it('goes by the name when the browser does not know the type', () => {
    expect(reviewProblems(draft({ photos: [photo('foto.JPEG', 10, '')] }), 'tr')).toEqual([]);
    expect(names(reviewProblems(draft({ photos: [photo('belge.pdf', 10, '')] }), 'tr'))).toEqual(['photos']);
  });

  it('sends the review trimmed, with its photos in order', () => {
    expect(reviewInput(draft({ rating: 5, title: '  ', comment: ' Harika \n' }), ['9', '4'])).toEqual({ rating: 5, title: null, comment: 'Harika', photoIds: ['9', '4'] });
    expect(reviewInput(draft({ title: ' Sağlam ' }), []).title).toBe('Sağlam');
  });

  it('says whether the review is published yet', () => {
    expect(reviewSavedText('APPROVED', 'tr')).toBe('Yorumunuz yayınlandı.');
    expect(reviewSavedText('PENDING', 'tr')).toBe('Yorumunuz alındı; onaylandıktan sonra yayınlanacak.');
  });
});

describe('sharing by e-mail and reporting a review', () => {
  const share = { friendEmail: ' ayse@example.com ', friendName: '', message: '' };

  it("needs the friend's address and keeps to the lengths", () => {
    expect(shareProblems(share, 'tr')).toEqual([]);
    expect(shareProblems({ ...share, friendEmail: ' ' }, 'tr')).toEqual([{ name: 'friendEmail', text: 'Arkadaşınızın e-posta adresini yazın.' }]);
    expect(shareProblems({ ...share, friendEmail: 'ayse' }, 'tr')).toEqual([{ name: 'friendEmail', text: 'Geçerli bir e-posta adresi yazın.' }]);
    expect(names(shareProblems({ ...share, friendName: 'A'.repeat(61), message: 'ç'.repeat(501) }, 'tr'))).toEqual(['friendName', 'message']);
    expect(shareProblems({ ...share, message: 'ç'.repeat(500) }, 'tr')).toEqual([]);
  });

  it('sends blanks as nothing', () => {
    expect(shareVariables('12', share)).toEqual({ productId: '12', friendEmail: 'ayse@example.com', friendName: null, message: null });
    expect(shareVariables('12', { ...share, friendName: ' Ayşe ', message: ' Bak! ' })).toMatchObject({ friendName: 'Ayşe', message: 'Bak!' });
  });

  it('needs a reason of at most 500 characters for a report', () => {
    expect(reportProblems('Reklam', 'tr')).toEqual([]);
    expect(names(reportProblems('  ', 'tr'))).toEqual(['reason']);
    expect(reportProblems('x'.repeat(501), 'tr')).toEqual([{ name: 'reason', text: 'En fazla 500 karakter olabilir.' }]);
  });
});

describe("the product page's language", () => {
  const refused = (reason: string) => new ApiError('BAD_USER_INPUT', 'refused', null, 200, null, reason);
  /** Every word of a table, the functions' with sample values. */
  const allWords = (words: ProductWords): string[] =>
    Object.values(words).map((word: string | ((...args: never[]) => string)) =>
      typeof word === 'string' ? word : (word as (a: unknown, b: unknown) => string)('foto.jpg', 3),
    );

  it('is English only for <html lang="en">', () => {
    expect(pageLang('en')).toBe('en');
    expect(pageLang(' EN ')).toBe('en');
    expect(pageLang('tr')).toBe('tr');
    expect(pageLang('')).toBe('tr');
    expect(pageLang('de')).toBe('tr');
    expect(pageLang(null)).toBe('tr');
    expect(pageLang(undefined)).toBe('tr');
  });

  it('has every word in both languages', () => {
    const tr = productWords('tr');
    const en = productWords('en');
    expect(Object.keys(en).sort()).toEqual(Object.keys(tr).sort());
    for (const word of allWords(en)) {
      expect(word.trim()).not.toBe('');
      expect(word).not.toMatch(/[çğıöşüÇĞİÖŞÜ]/);
    }
    for (const word of allWords(tr)) expect(word.trim()).not.toBe('');
  });

  it('keeps the Turkish words as they were', () => {
    const tr = productWords('tr');
    expect(tr.favorited).toBe('Beğenildi');
    expect(tr.linkCopied).toBe('Bağlantı kopyalandı.');
    expect(tr.linkNotCopied).toBe('Bağlantı kopyalanamadı.');
    expect(tr.shared).toBe('Gönderildi.');
    expect(tr.reported).toBe('Teşekkürler, incelenecek.');
    expect(tr.rewriting).toBe('Bu ürüne yorum yazdınız; yeniden gönderirseniz yorumunuz güncellenir.');
    expect(tr.uploadingPhoto(2, 3)).toBe('Fotoğraf yükleniyor (2/3)…');
    expect(tr.addedToCart(4)).toBe('Sepete eklendi. Sepetinizde 4 ürün var.');
  });

  it('speaks English on the English page', () => {
    const en = productWords('en');
    expect(en.favorited).toBe('Favourited');
    expect(en.linkCopied).toBe('Link copied.');
    expect(en.shared).toBe('Sent.');
    expect(en.uploadingPhoto(2, 3)).toBe('Uploading photo 2 of 3…');
    expect(en.addedToCart(1)).toBe('Added to your cart. Your cart now has 1 item.');
    expect(en.addedToCart(4)).toBe('Added to your cart. Your cart now has 4 items.');
    expect(reviewSavedText('APPROVED', 'en')).toBe('Your review has been published.');
    expect(reviewSavedText('PENDING', 'en')).toBe('Thank you, your review has been received; it will be published once it is approved.');
  });

  it('checks the forms in English', () => {
    expect(reviewProblems(draft({ rating: 0, comment: ' ', title: 'a'.repeat(121) }), 'en')).toEqual([
      { name: 'rating', text: 'Choose a rating.' },
      { name: 'title', text: 'The title can be at most 120 characters long.' },
      { name: 'comment', text: 'Write your review.' },
    ]);
    expect(reviewProblems(draft({ comment: 'x'.repeat(2001) }), 'en')).toEqual([{ name: 'comment', text: 'The review can be at most 2000 characters long.' }]);
    expect(reviewProblems(draft({ photos: [photo('a.jpg'), photo('b.jpg'), photo('c.jpg'), photo('d.jpg')] }), 'en')).toEqual([
      { name: 'photos', text: 'You can add at most 3 photos.' },
    ]);
    expect(reviewProblems(draft({ photos: [photo('big.jpg', 5 * MiB + 1)] }), 'en')).toEqual([{ name: 'photos', text: 'big.jpg: a photo can be at most 5 MiB.' }]);
    expect(reviewProblems(draft({ photos: [photo('moving.gif', 10, 'image/gif')] }), 'en')).toEqual([
      { name: 'photos', text: 'moving.gif: only JPEG, PNG or WebP photos can be added.' },
    ]);
    const share = { friendEmail: '', friendName: 'A'.repeat(61), message: 'm'.repeat(501) };
    expect(shareProblems(share, 'en')).toEqual([
      { name: 'friendEmail', text: "Enter your friend's e-mail address." },
      { name: 'friendName', text: 'The name can be at most 60 characters long.' },
      { name: 'message', text: 'The note can be at most 500 characters long.' },
    ]);
    expect(shareProblems({ friendEmail: 'ayse', friendName: '', message: '' }, 'en')).toEqual([{ name: 'friendEmail', text: 'Enter a valid e-mail address.' }]);
    expect(reportProblems(' ', 'en')).toEqual([{ name: 'reason', text: 'Tell us why you are reporting this review.' }]);
    expect(reportProblems('x'.repeat(501), 'en')).toEqual([{ name: 'reason', text: 'The reason can be at most 500 characters long.' }]);
  });

  it('says why a review, a vote or a share was refused, in English', () => {
    expect(reasonText(refused('PHOTO_LIMIT'), 'en')).toBe('You can upload at most 10 photos a day; please try again tomorrow.');
    expect(reasonText(refused('OWN_REVIEW'), 'en')).toBe('You cannot vote on or report your own review.');
    expect(reasonText(refused('SHARE_LIMIT'), 'en')).toContain('10 products a day');
    expect(reasonText(refused('RECIPIENT_LIMIT'), 'en')).toContain('this address');
    expect(reasonText(refused('RECIPIENT_OPTED_OUT'), 'en')).toContain('not to receive');
    expect(reasonText(refused('NOT_ENOUGH_STOCK'), 'en')).toBe('There are not that many in stock.');
    expect(reasonText(refused('EMAIL_NOT_VERIFIED'), 'en')).toContain('placing an order');
    expect(reasonText(refused('EMAIL_NOT_VERIFIED'), 'en', 'review')).toContain('before writing a review');
    expect(reasonText(refused('COUPON_EXPIRED'), 'en', 'review')).toBe('This coupon has expired.');
    expect(reasonText(refused('SOMETHING_NEW'), 'en')).toBeNull();
    expect(reasonText(new Error('x'), 'en')).toBeNull();
  });
});
