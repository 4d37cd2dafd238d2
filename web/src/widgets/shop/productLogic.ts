/**
 * What the product page (`/urun/{slug}`) decides without the DOM: which product it is,
 * the addresses a guest signs in through and the page keeps, the checks of the review,
 * share and report forms before anything is sent (in the shopper's words), and what is
 * sent.
 */
import type { ProductReviewInput, ReviewStatus, ShopShareByEmailMutationVariables } from '../../generated/shop/graphql';
import { charCount } from '../../lib/format';
import { looksLikeEmail } from '../../lib/validate';

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
export function reviewProblems(draft: ReviewDraft): FormProblem[] {
  const problems: FormProblem[] = [];
  if (!Number.isInteger(draft.rating) || draft.rating < 1 || draft.rating > 5) {
    problems.push({ name: 'rating', text: 'Bir puan seçin.' });
  }
  if (charCount(draft.title.trim()) > REVIEW_TITLE_MAX) {
    problems.push({ name: 'title', text: `Başlık en fazla ${REVIEW_TITLE_MAX} karakter olabilir.` });
  }
  const comment = charCount(draft.comment.trim());
  if (comment === 0) problems.push({ name: 'comment', text: 'Yorumunuzu yazın.' });
  else if (comment > REVIEW_COMMENT_MAX) problems.push({ name: 'comment', text: `Yorum en fazla ${REVIEW_COMMENT_MAX} karakter olabilir.` });
  const photo = photoProblem(draft.photos);
  if (photo) problems.push({ name: 'photos', text: photo });
  return problems;
}

function photoProblem(photos: readonly PhotoFile[]): string | null {
  if (photos.length > REVIEW_PHOTOS_MAX) return `En fazla ${REVIEW_PHOTOS_MAX} fotoğraf ekleyebilirsiniz.`;
  for (const photo of photos) {
    if (!isPhotoType(photo)) return `${photo.name}: yalnızca JPEG, PNG ya da WebP fotoğraf eklenebilir.`;
    if (photo.size > REVIEW_PHOTO_BYTES) return `${photo.name}: bir fotoğraf en fazla ${REVIEW_PHOTO_BYTES / 1048576} MiB olabilir.`;
  }
  return null;
}

/** The review to send, with the ids of its photos (uploaded already). */
export function reviewInput(draft: ReviewDraft, photoIds: readonly string[]): ProductReviewInput {
  const title = draft.title.trim();
  return { rating: draft.rating, title: title === '' ? null : title, comment: draft.comment.trim(), photoIds: [...photoIds] };
}

/** What the shopper is told once the review is stored. */
export function reviewSavedText(status: ReviewStatus): string {
  return status === 'APPROVED' ? 'Yorumunuz yayınlandı.' : 'Yorumunuz alındı; onaylandıktan sonra yayınlanacak.';
}

/** The limits of sharing by e-mail. */
const FRIEND_NAME_MAX = 60;
const SHARE_MESSAGE_MAX = 500;

export interface ShareDraft {
  friendEmail: string;
  friendName: string;
  message: string;
}

export function shareProblems(draft: ShareDraft): FormProblem[] {
  const problems: FormProblem[] = [];
  const email = draft.friendEmail.trim();
  if (email === '') problems.push({ name: 'friendEmail', text: 'Arkadaşınızın e-posta adresini yazın.' });
  else if (!looksLikeEmail(email)) problems.push({ name: 'friendEmail', text: 'Geçerli bir e-posta adresi yazın.' });
  if (charCount(draft.friendName.trim()) > FRIEND_NAME_MAX) {
    problems.push({ name: 'friendName', text: `Ad en fazla ${FRIEND_NAME_MAX} karakter olabilir.` });
  }
  if (charCount(draft.message.trim()) > SHARE_MESSAGE_MAX) {
    problems.push({ name: 'message', text: `Not en fazla ${SHARE_MESSAGE_MAX} karakter olabilir.` });
  }
  return problems;
}

export function shareVariables(productId: string, draft: ShareDraft): ShopShareByEmailMutationVariables {
  const friendName = draft.friendName.trim();
  const message = draft.message.trim();
  return { productId, friendEmail: draft.friendEmail.trim(), friendName: friendName === '' ? null : friendName, message: message === '' ? null : message };
}

const REPORT_REASON_MAX = 500;

export function reportProblems(reason: string): FormProblem[] {
  const length = charCount(reason.trim());
  if (length === 0) return [{ name: 'reason', text: 'Neden bildirdiğinizi yazın.' }];
  if (length > REPORT_REASON_MAX) return [{ name: 'reason', text: `En fazla ${REPORT_REASON_MAX} karakter olabilir.` }];
  return [];
}
