/**
 * The reviews on a product page (`#yorumlar`): "helpful" and "report" on each published
 * review (guests sign in first), and the signed-in customer's own review, prefilled with
 * the one they wrote. Its photos go up first, one multipart request each, then the
 * review with their ids.
 */
import {
  ShopMarkReviewHelpfulDocument,
  ShopMyReviewDocument,
  ShopReportReviewDocument,
  ShopSubmitReviewDocument,
  ShopUploadReviewPhotoDocument,
  type ShopUploadReviewPhotoMutation,
} from '../../generated/shop/graphql';
import { uploadMultipart } from '../../lib/upload';
import { alertAfter, conceal, setAlert, whileBusy } from '../account/dom';
import { say, showProblems, submitWith, textControl, textValue, whenSignedIn, type ProductPage } from './dom';
import { productWords, reportProblems, reviewInput, reviewProblems, reviewSavedText, reviewsReturn, type ReviewDraft } from './productLogic';

export function reviews(page: ProductPage): void {
  const back = reviewsReturn(window.location.pathname, window.location.search);
  for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-helpful]')) helpful(page, button, back);
  for (const details of document.querySelectorAll<HTMLElement>('[data-report]')) report(page, details, back);
  reviewForm(page);
}

function helpful(page: ProductPage, button: HTMLButtonElement, back: string): void {
  const reviewId = button.dataset.helpful ?? '';
  const count = button.querySelector('[data-helpful-count]');
  button.addEventListener('click', () => {
    // A mark cannot be taken back.
    if (button.getAttribute('aria-pressed') === 'true') return;
    void whileBusy(button, null, async () => {
      await whenSignedIn(page, back);
      const alert = alertAfter(button);
      setAlert(alert, '');
      try {
        const { markReviewHelpful: review } = await page.request(ShopMarkReviewHelpfulDocument, { reviewId });
        button.setAttribute('aria-pressed', String(review.markedHelpful));
        if (count) count.textContent = String(review.helpfulCount);
      } catch (error) {
        setAlert(alert, page.describe(error));
      }
    });
  });
}

function report(page: ProductPage, details: HTMLElement, back: string): void {
  const form = details.querySelector('form');
  if (!form) return;
  const reviewId = details.dataset.report ?? '';
  submitWith(form, page, {
    signInBack: back,
    read: () => textValue(form, 'reason'),
    check: (reason) => reportProblems(reason, page.lang),
    send: async (reason) => {
      await page.request(ShopReportReviewDocument, { reviewId, reason: reason.trim() });
      say(form, productWords(page.lang).reported);
    },
    once: true,
  });
}

function reviewForm(page: ProductPage): void {
  const form = document.querySelector<HTMLFormElement>('form[data-review-form]');
  if (!form) return;
  const productId = form.dataset.reviewForm ?? '';
  const words = productWords(page.lang);
  const fileInput = form.querySelector<HTMLInputElement>('input[name="photos"]');
  // The photos of the review as stored: sent again when no new ones are chosen.
  let kept: string[] = [];
  // Photos uploaded already: sending again after a failure does not upload (and count) them twice.
  const uploaded = new WeakMap<File, string>();

  void page.viewer.then(async (viewer) => {
    if (!viewer.signedIn) return;
    conceal(document.querySelector('[data-review-signin]'));
    form.hidden = false;
    // An address pointing at the form (`#yorum-yaz`) found it hidden when the page loaded.
    if (window.location.hash === `#${form.id}`) form.scrollIntoView();
    try {
      const mine = (await page.request(ShopMyReviewDocument, { productId })).myProductReview;
      if (!mine) return;
      const star = form.querySelector<HTMLInputElement>(`input[name="rating"][value="${mine.rating}"]`);
      if (star) star.checked = true;
      const title = textControl(form, 'title');
      if (title) title.value = mine.title ?? '';
      const comment = textControl(form, 'comment');
      if (comment) comment.value = mine.comment;
      kept = mine.photos.map((photo) => photo.id);
      say(form, words.rewriting);
    } catch {
      // The form starts empty; sending it still rewrites the earlier review.
    }
  });

  const upload = async (files: readonly File[]): Promise<string[] | null> => {
    const ids: string[] = [];
    for (const [index, file] of files.entries()) {
      let id = uploaded.get(file);
      if (id === undefined) {
        say(form, words.uploadingPhoto(index + 1, files.length));
        try {
          const answer = await uploadMultipart<ShopUploadReviewPhotoMutation>({ query: ShopUploadReviewPhotoDocument.toString(), variables: {}, file });
          id = answer.uploadReviewPhoto.id;
        } catch (error) {
          say(form, '');
          showProblems(form, [{ name: 'photos', text: page.describe(error, 'review') }]);
          return null;
        }
        uploaded.set(file, id);
      }
      ids.push(id);
    }
    return ids;
  };

  submitWith<ReviewDraft<File>>(form, page, {
    read: () => ({
      rating: Number(form.querySelector<HTMLInputElement>('input[name="rating"]:checked')?.value ?? 0),
      title: textValue(form, 'title'),
      comment: textValue(form, 'comment'),
      photos: [...(fileInput?.files ?? [])],
    }),
    check: (draft) => reviewProblems(draft, page.lang),
    send: async (draft) => {
      const photoIds = draft.photos.length === 0 ? kept : await upload(draft.photos);
      if (!photoIds) return;
      const saved = (await page.request(ShopSubmitReviewDocument, { productId, input: reviewInput(draft, photoIds) })).submitProductReview;
      kept = photoIds;
      if (fileInput) fileInput.value = '';
      say(form, reviewSavedText(saved.status, page.lang));
    },
    refused: 'review',
  });
}
