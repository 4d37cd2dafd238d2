/**
 * The heart on a product page (`a[data-favorite]`). For guests it is a link to the
 * sign-in page, which comes back with `?begen=1`: then, signed in, the product is
 * favourited once. For a signed-in customer it toggles their favourite in place, shown
 * pressed ("Beğenildi") with the count.
 */
import { ShopToggleFavoriteDocument } from '../../generated/shop/graphql';
import { alertAfter, leave, setAlert } from '../account/dom';
import type { ProductPage, Viewer } from './dom';
import { wantsFavorite, withoutParam } from './productLogic';

const PRESSED = 'Beğenildi';

export function favorites(page: ProductPage): void {
  const heart = document.querySelector<HTMLAnchorElement>('a[data-favorite]');
  if (!heart) return;
  const productId = heart.dataset.favorite ?? '';
  const label = heart.querySelector('.favorite-label');
  const unpressed = label?.textContent ?? '';
  const count = heart.querySelector('[data-favorite-count]');
  // Not after the link itself: it stands in a paragraph, which cannot hold another.
  const alertAnchor = heart.closest('p') ?? heart;
  let signedIn: boolean | null = null;
  let busy = false;

  const show = (favorite: NonNullable<Viewer['favorite']>) => {
    heart.setAttribute('aria-pressed', String(favorite.isFavorite));
    if (label) label.textContent = favorite.isFavorite ? PRESSED : unpressed;
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

  heart.addEventListener('click', (event) => {
    // A guest follows the link (a new tab too, if asked for).
    if (signedIn === false) return;
    event.preventDefault();
    if (busy) return;
    void page.viewer.then((viewer) => (viewer.signedIn ? set(heart.getAttribute('aria-pressed') !== 'true') : leave(heart.href)));
  });
  // A link answers Enter only; as a button (its role) it answers Space too.
  heart.addEventListener('keydown', (event) => {
    if (event.key !== ' ') return;
    event.preventDefault();
    heart.click();
  });

  void page.viewer.then(async (viewer) => {
    signedIn = viewer.signedIn;
    // The cached page's count may be old: the fresh one is shown to guests too.
    if (viewer.favorite) show(viewer.favorite);
    if (!viewer.signedIn || !wantsFavorite(window.location.search)) return;
    await set(true);
    // Once: a reload or a step back through the history must not ask again.
    const { pathname, search, hash } = window.location;
    window.history.replaceState(window.history.state, '', `${pathname}${withoutParam(search, 'begen')}${hash}`);
  });
}
