import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/lib/errors';
import { reasonText } from '../../src/widgets/shop/logic';
import {
  controlOf,
  productSlug,
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
    expect(reasonText(refused('PHOTO_LIMIT'))).toContain('10 fotoğraf');
    expect(reasonText(refused('OWN_REVIEW'))).toContain('Kendi yorumunuzu');
    expect(reasonText(refused('SHARE_LIMIT'))).toContain('10 ürün');
    expect(reasonText(refused('RECIPIENT_LIMIT'))).toContain('Bu adrese');
    expect(reasonText(refused('RECIPIENT_OPTED_OUT'))).toContain('istemiyor');
    // The same reason, worded for what was refused.
    expect(reasonText(refused('EMAIL_NOT_VERIFIED'))).toContain('Sipariş');
    expect(reasonText(refused('EMAIL_NOT_VERIFIED'), 'review')).toContain('Yorum yazmadan önce');
    expect(reasonText(refused('COUPON_EXPIRED'), 'review')).toBe('Bu kuponun süresi doldu.');
  });
});

describe('the review form', () => {
  it('needs a rating and a comment', () => {
    expect(reviewProblems(draft())).toEqual([]);
    expect(names(reviewProblems(draft({ rating: 0, comment: '   ' })))).toEqual(['rating', 'comment']);
    expect(names(reviewProblems(draft({ rating: 6 })))).toEqual(['rating']);
    expect(names(reviewProblems(draft({ rating: 2.5 })))).toEqual(['rating']);
  });

  it("keeps to the server's lengths, counting characters", () => {
    expect(reviewProblems(draft({ title: 'ş'.repeat(120), comment: 'ğ'.repeat(2000) }))).toEqual([]);
    expect(reviewProblems(draft({ title: 'ş'.repeat(121), comment: 'ğ'.repeat(2001) }))).toEqual([
      { name: 'title', text: 'Başlık en fazla 120 karakter olabilir.' },
      { name: 'comment', text: 'Yorum en fazla 2000 karakter olabilir.' },
    ]);
    // An emoji is one character, as the server counts, though two UTF-16 units.
    expect(reviewProblems(draft({ comment: '👍'.repeat(2000) }))).toEqual([]);
  });

  it('takes up to three JPEG, PNG or WebP photos of 5 MiB each', () => {
    const three = [photo('a.jpg'), photo('b.png', 5 * MiB, 'image/png'), photo('c.webp', 1, 'image/webp')];
    expect(reviewProblems(draft({ photos: three }))).toEqual([]);
    expect(reviewProblems(draft({ photos: [...three, photo('d.jpg')] }))).toEqual([{ name: 'photos', text: 'En fazla 3 fotoğraf ekleyebilirsiniz.' }]);
    expect(reviewProblems(draft({ photos: [photo('büyük.jpg', 5 * MiB + 1)] }))).toEqual([
      { name: 'photos', text: 'büyük.jpg: bir fotoğraf en fazla 5 MiB olabilir.' },
    ]);
    expect(reviewProblems(draft({ photos: [photo('hareketli.gif', 10, 'image/gif')] }))[0]?.text).toMatch(/^hareketli\.gif: yalnızca JPEG/);
    expect(names(reviewProblems(draft({ photos: [photo('IMG_1.HEIC', 10, 'image/heic')] })))).toEqual(['photos']);
  });

  it('goes by the name when the browser does not know the type', () => {
    expect(reviewProblems(draft({ photos: [photo('foto.JPEG', 10, '')] }))).toEqual([]);
    expect(names(reviewProblems(draft({ photos: [photo('belge.pdf', 10, '')] })))).toEqual(['photos']);
  });

  it('sends the review trimmed, with its photos in order', () => {
    expect(reviewInput(draft({ rating: 5, title: '  ', comment: ' Harika \n' }), ['9', '4'])).toEqual({ rating: 5, title: null, comment: 'Harika', photoIds: ['9', '4'] });
    expect(reviewInput(draft({ title: ' Sağlam ' }), []).title).toBe('Sağlam');
  });

  it('says whether the review is published yet', () => {
    expect(reviewSavedText('APPROVED')).toBe('Yorumunuz yayınlandı.');
    expect(reviewSavedText('PENDING')).toBe('Yorumunuz alındı; onaylandıktan sonra yayınlanacak.');
  });
});

describe('sharing by e-mail and reporting a review', () => {
  const share = { friendEmail: ' ayse@example.com ', friendName: '', message: '' };

  it("needs the friend's address and keeps to the lengths", () => {
    expect(shareProblems(share)).toEqual([]);
    expect(shareProblems({ ...share, friendEmail: ' ' })).toEqual([{ name: 'friendEmail', text: 'Arkadaşınızın e-posta adresini yazın.' }]);
    expect(shareProblems({ ...share, friendEmail: 'ayse' })).toEqual([{ name: 'friendEmail', text: 'Geçerli bir e-posta adresi yazın.' }]);
    expect(names(shareProblems({ ...share, friendName: 'A'.repeat(61), message: 'ç'.repeat(501) }))).toEqual(['friendName', 'message']);
    expect(shareProblems({ ...share, message: 'ç'.repeat(500) })).toEqual([]);
  });

  it('sends blanks as nothing', () => {
    expect(shareVariables('12', share)).toEqual({ productId: '12', friendEmail: 'ayse@example.com', friendName: null, message: null });
    expect(shareVariables('12', { ...share, friendName: ' Ayşe ', message: ' Bak! ' })).toMatchObject({ friendName: 'Ayşe', message: 'Bak!' });
  });

  it('needs a reason of at most 500 characters for a report', () => {
    expect(reportProblems('Reklam')).toEqual([]);
    expect(names(reportProblems('  '))).toEqual(['reason']);
    expect(reportProblems('x'.repeat(501))).toEqual([{ name: 'reason', text: 'En fazla 500 karakter olabilir.' }]);
  });
});
