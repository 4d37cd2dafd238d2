/**
 * What the product page (`/urun/{slug}`) decides without the DOM: its language, which
 * product it is, the addresses a guest signs in through and the page keeps, the checks of
 * the review, share and report forms before anything is sent (in the shopper's words, in
 * the page's language), and what is sent.
 */
import type { ProductReviewInput, ReviewStatus, ShopShareByEmailMutationVariables } from '../../generated/shop/graphql';
import { charCount } from '../../lib/format';
import type { Lang } from '../../lib/i18n';
import { looksLikeEmail } from '../../lib/validate';

/** The language of the page as the server marked it up (`<html lang>`): 'en' is English, anything else Turkish. */
export function pageLang(htmlLang: string | null | undefined): Lang {
  return htmlLang?.trim().toLowerCase() === 'en' ? 'en' : 'tr';
}

/** Everything the product page's script writes into the page, in one language. */
export interface ProductWords {
  /** The heart's label while pressed (the unpressed one is the server's). */
  favorited: string;
  addedToCart(itemCount: number): string;
  linkCopied: string;
  linkNotCopied: string;
  shared: string;
  reported: string;
  /** Over the form prefilled with the shopper's earlier review. */
  rewriting: string;
  uploadingPhoto(index: number, total: number): string;
  reviewPublished: string;
  reviewPending: string;
  ratingMissing: string;
  titleTooLong(max: number): string;
  commentMissing: string;
  commentTooLong(max: number): string;
  tooManyPhotos(max: number): string;
  photoType(name: string): string;
  photoTooLarge(name: string, mebibytes: number): string;
  friendEmailMissing: string;
  emailInvalid: string;
  friendNameTooLong(max: number): string;
  messageTooLong(max: number): string;
  reasonMissing: string;
  reasonTooLong(max: number): string;
}

const WORDS: Readonly<Record<Lang, ProductWords>> = {
  tr: {
    favorited: 'Beğenildi',
    addedToCart: (count) => `Sepete eklendi. Sepetinizde ${count} ürün var.`,
    linkCopied: 'Bağlantı kopyalandı.',
    linkNotCopied: 'Bağlantı kopyalanamadı.',
    shared: 'Gönderildi.',
    reported: 'Teşekkürler, incelenecek.',
    rewriting: 'Bu ürüne yorum yazdınız; yeniden gönderirseniz yorumunuz güncellenir.',
    uploadingPhoto: (index, total) => `Fotoğraf yükleniyor (${index}/${total})…`,
    reviewPublished: 'Yorumunuz yayınlandı.',
    reviewPending: 'Yorumunuz alındı; onaylandıktan sonra yayınlanacak.',
    ratingMissing: 'Bir puan seçin.',
    titleTooLong: (max) => `Başlık en fazla ${max} karakter olabilir.`,
    commentMissing: 'Yorumunuzu yazın.',
    commentTooLong: (max) => `Yorum en fazla ${max} karakter olabilir.`,
    tooManyPhotos: (max) => `En fazla ${max} fotoğraf ekleyebilirsiniz.`,
    photoType: (name) => `${name}: yalnızca JPEG, PNG ya da WebP fotoğraf eklenebilir.`,
    photoTooLarge: (name, mebibytes) => `${name}: bir fotoğraf en fazla ${mebibytes} MiB olabilir.`,
    friendEmailMissing: 'Arkadaşınızın e-posta adresini yazın.',
    emailInvalid: 'Geçerli bir e-posta adresi yazın.',
    friendNameTooLong: (max) => `Ad en fazla ${max} karakter olabilir.`,
    messageTooLong: (max) => `Not en fazla ${max} karakter olabilir.`,
    reasonMissing: 'Neden bildirdiğinizi yazın.',
    reasonTooLong: (max) => `En fazla ${max} karakter olabilir.`,
  },
  en: {
    favorited: 'Favourited',
    addedToCart: (count) => `Added to your cart. Your cart now has ${count} ${count === 1 ? 'item' : 'items'}.`,
    linkCopied: 'Link copied.',
    linkNotCopied: 'The link could not be copied.',
    shared: 'Sent.',
    reported: 'Thank you; we will look into it.',
    rewriting: 'You have already reviewed this product; sending the form again will update your review.',
    uploadingPhoto: (index, total) => `Uploading photo ${index} of ${total}…`,
    reviewPublished: 'Your review has been published.',
    reviewPending: 'Thank you, your review has been received; it will be published once it is approved.',
    ratingMissing: 'Choose a rating.',
    titleTooLong: (max) => `The title can be at most ${max} characters long.`,
    commentMissing: 'Write your review.',
    commentTooLong: (max) => `The review can be at most ${max} characters long.`,
    tooManyPhotos: (max) => `You can add at most ${max} photos.`,
    photoType: (name) => `${name}: only JPEG, PNG or WebP photos can be added.`,
    photoTooLarge: (name, mebibytes) => `${name}: a photo can be at most ${mebibytes} MiB.`,
    friendEmailMissing: "Enter your friend's e-mail address.",
    emailInvalid: 'Enter a valid e-mail address.',
    friendNameTooLong: (max) => `The name can be at most ${max} characters long.`,
    messageTooLong: (max) => `The note can be at most ${max} characters long.`,
    reasonMissing: 'Tell us why you are reporting this review.',
    reasonTooLong: (max) => `The reason can be at most ${max} characters long.`,
  },
};

/** The product page's words in `lang`. */
export function productWords(lang: Lang): ProductWords {
  return WORDS[lang];
}

/** What is wrong with a form's control (`name`), to be shown next to it. */
export interface FormProblem {
  name: string;
  text: string;
}

/** The slug of a product page's path (`/urun/lamba` → `lamba`), else null. */
export function productSlug(pathname: string): string | null {
  const match = /^\/urun\/([^/]+)\/?$/.exec(pathname);
  if (!match?.[1]) return null;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return null;
  }
}

/** Whether the address asks to favourite the product (`?begen=1`, after signing in from the heart). */
export function wantsFavorite(search: string): boolean {
  return new URLSearchParams(search).get('begen') === '1';
}

/** `search` without the parameter `name`, the others as written ("" when none is left). */
export function withoutParam(search: string, name: string): string {
  const query = search.startsWith('?') ? search.slice(1) : search;
  const kept = query.split('&').filter((pair) => pair !== '' && pair.split('=')[0] !== name);
  return kept.length === 0 ? '' : `?${kept.join('&')}`;
}

/** The sign-in page, asked to come back to `back`. */
export function signInPath(back: string): string {
  return `/hesap/giris?return=${encodeURIComponent(back)}`;
}

/**
 * Where a guest who votes on or reports a review comes back to: this page of reviews (its
 * order and page kept, not a pending `begen`, which would favourite the product too).
 */
export function reviewsReturn(pathname: string, search: string): string {
  return `${pathname}${withoutParam(search, 'begen')}#yorumlar`;
}

/** The control a server error names (`input.comment` → `comment`; a review's `photoIds` → the file input). */
export function controlOf(field: string | null): string | null {
  const name = field?.replace(/^input\./, '').replace(/\.\d+$/, '') ?? '';
  if (name === 'photoIds') return 'photos';
  return name === '' ? null : name;
}

/** The server's limits of a product review. */
const REVIEW_TITLE_MAX = 120;
const REVIEW_COMMENT_MAX = 2000;
const REVIEW_PHOTOS_MAX = 3;
const REVIEW_PHOTO_BYTES = 5 * 1024 * 1024;

const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'];

export interface PhotoFile {
  readonly name: string;
  readonly size: number;
  readonly type: string;
}

/**
 * Whether the file is of a type the server takes. A browser that does not know the type
 * reports "": the name decides then (the server checks the content anyway).
 */
function isPhotoType(file: PhotoFile): boolean {
  if (file.type === '') return /\.(jpe?g|png|webp)$/i.test(file.name);
  return PHOTO_TYPES.includes(file.type);
}

/** The review form as filled in; `rating` is 0 while no star is chosen. */
export interface ReviewDraft<F extends PhotoFile = PhotoFile> {
  rating: number;
  title: string;
  comment: string;
  photos: readonly F[];
}

/** What keeps the review from being sent: at most one problem per control. */
export function reviewProblems(draft: ReviewDraft, lang: Lang): FormProblem[] {
  const words = productWords(lang);
  const problems: FormProblem[] = [];
  if (!Number.isInteger(draft.rating) || draft.rating < 1 || draft.rating > 5) {
    problems.push({ name: 'rating', text: words.ratingMissing });
  }
  if (charCount(draft.title.trim()) > REVIEW_TITLE_MAX) {
    problems.push({ name: 'title', text: words.titleTooLong(REVIEW_TITLE_MAX) });
  }
  const comment = charCount(draft.comment.trim());
  if (comment === 0) problems.push({ name: 'comment', text: words.commentMissing });
  else if (comment > REVIEW_COMMENT_MAX) problems.push({ name: 'comment', text: words.commentTooLong(REVIEW_COMMENT_MAX) });
  const photo = photoProblem(draft.photos, words);
  if (photo) problems.push({ name: 'photos', text: photo });
  return problems;
}

function photoProblem(photos: readonly PhotoFile[], words: ProductWords): string | null {
  if (photos.length > REVIEW_PHOTOS_MAX) return words.tooManyPhotos(REVIEW_PHOTOS_MAX);
  for (const photo of photos) {
    if (!isPhotoType(photo)) return words.photoType(photo.name);
    if (photo.size > REVIEW_PHOTO_BYTES) return words.photoTooLarge(photo.name, REVIEW_PHOTO_BYTES / 1048576);
  }
  return null;
}

/** The review to send, with the ids of its photos (uploaded already). */
export function reviewInput(draft: ReviewDraft, photoIds: readonly string[]): ProductReviewInput {
  const title = draft.title.trim();
  return { rating: draft.rating, title: title === '' ? null : title, comment: draft.comment.trim(), photoIds: [...photoIds] };
}

/** What the shopper is told once the review is stored. */
export function reviewSavedText(status: ReviewStatus, lang: Lang): string {
  const words = productWords(lang);
  return status === 'APPROVED' ? words.reviewPublished : words.reviewPending;
}

/** The limits of sharing by e-mail. */
const FRIEND_NAME_MAX = 60;
const SHARE_MESSAGE_MAX = 500;

export interface ShareDraft {
  friendEmail: string;
  friendName: string;
  message: string;
}

export function shareProblems(draft: ShareDraft, lang: Lang): FormProblem[] {
  const words = productWords(lang);
  const problems: FormProblem[] = [];
  const email = draft.friendEmail.trim();
  if (email === '') problems.push({ name: 'friendEmail', text: words.friendEmailMissing });
  else if (!looksLikeEmail(email)) problems.push({ name: 'friendEmail', text: words.emailInvalid });
  if (charCount(draft.friendName.trim()) > FRIEND_NAME_MAX) {
    problems.push({ name: 'friendName', text: words.friendNameTooLong(FRIEND_NAME_MAX) });
  }
  if (charCount(draft.message.trim()) > SHARE_MESSAGE_MAX) {
    problems.push({ name: 'message', text: words.messageTooLong(SHARE_MESSAGE_MAX) });
  }
  return problems;
}

export function shareVariables(productId: string, draft: ShareDraft): ShopShareByEmailMutationVariables {
  const friendName = draft.friendName.trim();
  const message = draft.message.trim();
  return { productId, friendEmail: draft.friendEmail.trim(), friendName: friendName === '' ? null : friendName, message: message === '' ? null : message };
}

const REPORT_REASON_MAX = 500;

export function reportProblems(reason: string, lang: Lang): FormProblem[] {
  const length = charCount(reason.trim());
  if (length === 0) return [{ name: 'reason', text: productWords(lang).reasonMissing }];
  if (length > REPORT_REASON_MAX) return [{ name: 'reason', text: productWords(lang).reasonTooLong(REPORT_REASON_MAX) }];
  return [];
}
