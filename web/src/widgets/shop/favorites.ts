/**
 * The heart on a product page (`button[data-favorite]`). For guests it submits its form,
 * a GET to the sign-in page, which comes back with `?begen=1`: then, signed in, the
 * product is favourited once (only if this tab pressed it: the address alone does not). For a signed-in customer it toggles their favourite in place, shown
 * pressed ("Beğenildi", "Favourited" in English) with the count; unpressed, it keeps the
 * server's label.
 */
import { ShopToggleFavoriteDocument } from '../../generated/shop/graphql';
import { alertAfter, leave, setAlert } from '../account/dom';
import type { ProductPage, Viewer } from './dom';
import { productWords, wantsFavorite, withoutParam } from './productLogic';

/** Where this tab remembers the heart a guest pressed before signing in. */
const PRESSED_KEY = 'vitrin:begen';

/** Remembers, in this tab only, that its guest pressed the heart of `productId`. */
function rememberPress(productId: string): void {
  try {
    sessionStorage.setItem(PRESSED_KEY, productId);
  } catch {
    // Storage refused (private mode): the heart is pressed again after signing in.
  }
}

/** Whether this tab's guest pressed the heart of `productId` (asked once). */
function pressedBefore(productId: string): boolean {
  try {
    const pressed = sessionStorage.getItem(PRESSED_KEY) === productId;
    sessionStorage.removeItem(PRESSED_KEY);
    return pressed;
  } catch {
    return false;
  }
}

export function favorites(page: ProductPage): void {
  const heart = document.querySelector<HTMLButtonElement>('button[data-favorite]');
  const form = heart?.form;
  if (!heart || !form) return;
  const productId = heart.dataset.favorite ?? '';
  const pressed = productWords(page.lang).favorited;
  const label = heart.querySelector('.favorite-label');
  const unpressed = label?.textContent ?? '';
  const count = heart.querySelector('[data-favorite-count]');
  const alertAnchor = form;
  let signedIn: boolean | null = null;
  let busy = false;

  const show = (favorite: NonNullable<Viewer['favorite']>) => {
    heart.setAttribute('aria-pressed', String(favorite.isFavorite));
    if (label) label.textContent = favorite.isFavorite ? pressed : unpressed;
    if (count) count.textContent = String(favorite.favoriteCount);
  };
  const set = async (favorite: boolean) => {
    busy = true;
    heart.setAttribute('aria-busy', 'true');
    const alert = alertAfter(alertAnchor);
    setAlert(alert, '');
    try {
      show((await page.request(ShopToggleFavoriteDocument, { productId, favorite })).toggleFavorite);
    } catch (error) {
      setAlert(alert, page.describe(error));
    } finally {
      busy = false;
      heart.removeAttribute('aria-busy');
    }
  };

  form.addEventListener('submit', (event) => {
    // A guest goes to the sign-in page, as the form says.
    if (signedIn === false) {
      rememberPress(productId);
      return;
    }
    event.preventDefault();
    if (busy) return;
    const back = form.querySelector<HTMLInputElement>('input[name="return"]')?.value ?? '/';
    const signIn = `${form.getAttribute('action') ?? '/hesap/giris'}?return=${encodeURIComponent(back)}`;
    void page.viewer.then((viewer) => {
      if (viewer.signedIn) return set(heart.getAttribute('aria-pressed') !== 'true');
      rememberPress(productId);
      return leave(signIn);
    });
  });

  void page.viewer.then(async (viewer) => {
    signedIn = viewer.signedIn;
    // The cached page's count may be old: the fresh one is shown to guests too.
    if (viewer.favorite) show(viewer.favorite);
    if (!viewer.signedIn || !wantsFavorite(window.location.search)) return;
    // Only the heart this tab pressed: a link from elsewhere with `?begen=1` must not
    // favourite anything for whoever opens it.
    if (pressedBefore(productId)) await set(true);
    // Once: a reload or a step back through the history must not ask again.
    const { pathname, search, hash } = window.location;
    window.history.replaceState(window.history.state, '', `${pathname}${withoutParam(search, 'begen')}${hash}`);
  });
}
