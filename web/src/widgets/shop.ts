/**
 * The shop on the storefront, served as /widgets/shop.js: the cart count in the header,
 * "add to cart" on product pages, the cart's buttons, checkout and cancelling an order.
 * The server renders the cart and the orders; after a change this script reloads the
 * page, so what is shown is always what the server holds. A product page is cached
 * alike for everyone: this script adds the viewer's own part, their favourite
 * (shop/favorites.ts), sharing by e-mail (shop/share.ts) and their votes and review
 * (shop/reviews.ts). A product page is in the language the server marked it up in
 * (`<html lang>`, Turkish or English) and so is every word this script writes there; the
 * cart, checkout and order pages are in Turkish only. Plain DOM, nothing inline (the
 * pages' CSP).
 */
import {
  ShopAddToCartDocument,
  ShopApplyCouponDocument,
  ShopCancelOrderDocument,
  ShopCartCountDocument,
  ShopCheckoutDocument,
  ShopProductViewerDocument,
  ShopRemoveCouponDocument,
  ShopUpdateLineDocument,
} from '../generated/shop/graphql';
import { errorMessage } from '../lib/errors';
import { createClient } from '../lib/graphql';
import type { Lang } from '../lib/i18n';
import { alertAfter, clearErrors, formValues, leave, onSubmit, setAlert, showFormMessage, whileBusy } from './account/dom';
import { VISITOR_KEY } from './logic';
import type { ProductPage, Viewer } from './shop/dom';
import { favorites } from './shop/favorites';
import { checkoutErrorField, checkoutInput, reasonText, withVisitor, type Refused } from './shop/logic';
import { pageLang, productSlug, productWords } from './shop/productLogic';
import { reviews } from './shop/reviews';
import { share } from './shop/share';

const request = createClient();
/** The cart, checkout and order pages are in Turkish only. */
const lang: Lang = 'tr';
/** A product page's language, as the server marked it up; "add to cart" is on that page. */
const productLang = pageLang(document.documentElement.lang);

/** The words in `language` for a failed request: the shop's reason, else the general message. */
function describeIn(language: Lang): (error: unknown, refused?: Refused) => string {
  return (error, refused) => reasonText(error, language, refused) ?? errorMessage(error, language);
}

const describe = describeIn(lang);
const describeProduct = describeIn(productLang);
const productText = productWords(productLang);

function showCount(count: number): void {
  for (const badge of document.querySelectorAll<HTMLElement>('[data-cart-count]')) {
    badge.textContent = String(count);
    badge.hidden = count === 0;
  }
}

async function refreshCount(): Promise<void> {
  try {
    const answer = await request(ShopCartCountDocument, {});
    showCount(answer.cart.itemCount);
  } catch {
    // The count is a convenience; the cart page says the truth.
  }
}

function addToCart(form: HTMLFormElement): void {
  const productId = form.dataset.addToCart ?? '';
  const quantity = form.querySelector<HTMLInputElement>('input[name="quantity"]');
  const problem = form.querySelector<HTMLElement>('.field-error');
  const status = document.createElement('p');
  status.className = 'sr-status';
  status.setAttribute('role', 'status');
  form.append(status);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (problem) setAlert(problem, '');
    const amount = Number.parseInt(quantity?.value ?? '1', 10);
    void whileBusy(form.querySelector('button'), form, async () => {
      try {
        const answer = await request(ShopAddToCartDocument, { productId, quantity: Number.isFinite(amount) ? amount : 1 });
        showCount(answer.addToCart.itemCount);
        status.textContent = productText.addedToCart(answer.addToCart.itemCount);
      } catch (error) {
        if (problem) setAlert(problem, describeProduct(error));
        quantity?.focus();
      }
    });
  });
}

/** Runs a change of the cart and reloads the page; a refusal is shown next to `anchor`. */
function changeCart(anchor: HTMLElement, work: () => Promise<unknown>): void {
  const alert = alertAfter(anchor);
  void whileBusy(anchor instanceof HTMLButtonElement ? anchor : null, null, async () => {
    try {
      await work();
      window.location.reload();
    } catch (error) {
      setAlert(alert, describe(error));
    }
  });
}

function cartPage(root: HTMLElement): void {
  for (const input of root.querySelectorAll<HTMLInputElement>('[data-line-quantity]')) {
    input.addEventListener('change', () => {
      const quantity = Number.parseInt(input.value, 10);
      if (!Number.isFinite(quantity) || quantity < 0) return;
      changeCart(input, () => request(ShopUpdateLineDocument, { lineId: input.dataset.lineQuantity ?? '', quantity }));
    });
  }
  for (const button of root.querySelectorAll<HTMLButtonElement>('[data-remove-line]')) {
    button.addEventListener('click', () =>
      changeCart(button, () => request(ShopUpdateLineDocument, { lineId: button.dataset.removeLine ?? '', quantity: 0 })),
    );
  }
  const removeCoupon = root.querySelector<HTMLButtonElement>('[data-remove-coupon]');
  removeCoupon?.addEventListener('click', () => changeCart(removeCoupon, () => request(ShopRemoveCouponDocument, {})));
  const coupon = root.querySelector<HTMLFormElement>('form[data-form="coupon"]');
  if (coupon) {
    onSubmit(coupon, lang, async (values) => {
      try {
        await request(ShopApplyCouponDocument, { code: String(values.code ?? '').trim() });
        window.location.reload();
      } catch (error) {
        const slot = document.getElementById('coupon-code-error');
        if (slot) setAlert(slot, describe(error));
        coupon.querySelector<HTMLInputElement>('input[name="code"]')?.focus();
      }
    });
  }
}

function checkoutPage(root: HTMLElement): void {
  const form = root.querySelector<HTMLFormElement>('form[data-form="checkout"]');
  if (!form) return;
  const fresh = form.querySelector<HTMLElement>('[data-new-address]');
  const fields = fresh ? [...fresh.querySelectorAll<HTMLInputElement | HTMLSelectElement>('input, select')] : [];
  const required = new Set(fields.filter((f) => f.required));
  const chosen = (name: string): string | null => form.querySelector<HTMLInputElement>(`input[name="${name}"]:checked`)?.value ?? null;
  const showNewAddress = (): void => {
    const typing = chosen('addressId') === 'new';
    if (fresh) fresh.hidden = !typing;
    for (const field of fields) {
      field.disabled = !typing;
      field.required = typing && required.has(field);
    }
  };
  for (const radio of form.querySelectorAll<HTMLInputElement>('input[name="addressId"]')) radio.addEventListener('change', showNewAddress);
  showNewAddress();
  const key = form.dataset.idempotencyKey ?? '';
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (form.getAttribute('aria-busy') === 'true') return;
    clearErrors(form);
    const terms = form.querySelector<HTMLInputElement>('input[name="terms"]');
    if (terms && !terms.checked) {
      const slot = document.getElementById('terms-error');
      if (slot) setAlert(slot, 'Siparişi vermek için sözleşmeyi kabul edin.');
      terms.focus();
      return;
    }
    const values = formValues(form);
    const input = checkoutInput(values, chosen('addressId'), chosen('paymentMethod'), key, form.dataset.expectedTotal ?? null);
    void whileBusy(form.querySelector('button[type="submit"]'), form, async () => {
      try {
        const answer = await request(ShopCheckoutDocument, { input });
        await leave(`/siparis/${encodeURIComponent(answer.checkout.number)}`, true);
      } catch (error) {
        const name = error instanceof Error && 'field' in error ? checkoutErrorField((error as { field: string | null }).field) : null;
        const control = name ? form.querySelector<HTMLInputElement>(`[name="${name}"]`) : null;
        const slot = control?.id ? document.getElementById(`${control.id}-error`) : null;
        if (control && slot) {
          setAlert(slot, describe(error));
          control.setAttribute('aria-invalid', 'true');
          control.focus();
        } else {
          showFormMessage(form, describe(error))?.focus();
        }
      }
    });
  });
}

function orderPage(root: HTMLElement): void {
  const cancel = root.querySelector<HTMLButtonElement>('[data-cancel-order]');
  cancel?.addEventListener('click', () => {
    if (!window.confirm('Sipariş iptal edilsin mi?')) return;
    changeCart(cancel, () => request(ShopCancelOrderDocument, { number: cancel.dataset.cancelOrder ?? '' }));
  });
}

function productPage(slug: string): void {
  const viewer = request(ShopProductViewerDocument, { slug }).then(
    (answer): Viewer => ({ signedIn: answer.me !== null, favorite: answer.product }),
    (): Viewer => ({ signedIn: false, favorite: null }),
  );
  const page: ProductPage = { request, lang: productLang, describe: describeProduct, viewer };
  favorites(page);
  share(page);
  reviews(page);
}

function outsideLinks(): void {
  for (const link of document.querySelectorAll<HTMLAnchorElement>('a[data-go]')) {
    link.addEventListener('click', () => {
      let visitor: string | null = null;
      try {
        visitor = window.localStorage.getItem(VISITOR_KEY);
      } catch {
        // No storage: the click counts without a visitor.
      }
      link.href = withVisitor(link.getAttribute('href') ?? '', visitor);
    });
  }
}

const root = document.querySelector<HTMLElement>('[data-shop-page]');
switch (root?.dataset.shopPage) {
  case 'cart':
    cartPage(root);
    break;
  case 'checkout':
    checkoutPage(root);
    break;
  case 'order':
    orderPage(root);
    break;
  default:
    break;
}
for (const form of document.querySelectorAll<HTMLFormElement>('form[data-add-to-cart]')) addToCart(form);
const slug = productSlug(window.location.pathname);
if (slug !== null) productPage(slug);
outsideLinks();
void refreshCount();
