/**
 * Sharing a product (`[data-share]`): the networks' links work alone; the copy and the
 * system share buttons are shown where the browser can do that, and the e-mail form to
 * signed-in customers only (the site sends it in their name).
 */
import { ShopShareByEmailDocument } from '../../generated/shop/graphql';
import { reveal } from '../account/dom';
import { say, submitWith, textValue, type ProductPage } from './dom';
import { productWords, shareProblems, shareVariables } from './productLogic';

export function share(page: ProductPage): void {
  const section = document.querySelector<HTMLElement>('[data-share]');
  if (!section) return;
  const words = productWords(page.lang);
  const status = section.querySelector<HTMLElement>('[data-share-status]');
  const tell = (text: string) => {
    if (status) status.textContent = text;
  };

  const copy = section.querySelector<HTMLButtonElement>('button[data-share-copy]');
  // Only secure pages (https) have a clipboard.
  if (copy && navigator.clipboard) {
    copy.hidden = false;
    copy.addEventListener('click', () => {
      navigator.clipboard.writeText(copy.dataset.shareCopy ?? '').then(
        () => tell(words.linkCopied),
        () => tell(words.linkNotCopied),
      );
    });
  }

  const native = section.querySelector<HTMLButtonElement>('button[data-share-native]');
  if (native && 'share' in navigator) {
    native.hidden = false;
    native.addEventListener('click', () => {
      navigator.share({ title: native.dataset.shareTitle ?? document.title, url: native.dataset.shareNative ?? window.location.href }).catch(() => {
        // Closed without sharing, or refused by the system: the links are still there.
      });
    });
  }

  const details = section.querySelector<HTMLElement>('[data-share-email]');
  const form = details?.querySelector('form');
  if (!details || !form) return;
  const productId = details.dataset.shareEmail ?? '';
  void page.viewer.then((viewer) => {
    if (viewer.signedIn) reveal(details);
  });
  submitWith(form, page, {
    read: () => ({ friendEmail: textValue(form, 'friendEmail'), friendName: textValue(form, 'friendName'), message: textValue(form, 'message') }),
    check: (draft) => shareProblems(draft, page.lang),
    send: async (draft) => {
      await page.request(ShopShareByEmailDocument, shareVariables(productId, draft));
      form.reset();
      say(form, words.shared);
    },
  });
}
