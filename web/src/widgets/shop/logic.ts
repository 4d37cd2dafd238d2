/**
 * What the shop's pages decide without the DOM: the words for the server's refusals
 * (`extensions.reason`, in Turkish on the cart, checkout and order pages and in the
 * page's language on a product page), the checkout's input from the form, and where a
 * `/go/` link carries the visitor id.
 */
import type { CheckoutInput, PaymentMethod } from '../../generated/shop/graphql';
import { ApiError } from '../../lib/errors';
import type { Lang } from '../../lib/i18n';
import { addressInput, textOf, type FormValues } from '../account/logic';

/** Turkish words for the reasons the shop refuses a request. */
const REASONS_TR = {
  CART_EMPTY: 'Sepetiniz boş.',
  CART_FULL: 'Sepete en fazla 50 farklı ürün eklenebilir.',
  CART_NEEDS_ATTENTION: 'Sepetinizde düzeltilmesi gereken ürünler var; sepete dönüp uyarılara bakın.',
  QUANTITY_LIMIT: 'Bir üründen en fazla 20 adet alınabilir.',
  NOT_ENOUGH_STOCK: 'Stokta bu kadar ürün yok.',
  PRICE_CHANGED: 'Bir ürünün fiyatı az önce değişti; sepetinizi yeniden kontrol edin.',
  SOLD_ELSEWHERE: 'Bu ürün dış bağlantı üzerinden satılıyor.',
  EMAIL_NOT_VERIFIED: 'Sipariş vermeden önce e-posta adresinizi doğrulayın.',
  PAYMENT_METHOD_UNAVAILABLE: 'Bu ödeme yöntemi şu anda kullanılamıyor.',
  TRANSITION_NOT_ALLOWED: 'Bu sipariş artık iptal edilemez.',
  COUPON_UNKNOWN: 'Bu kodla bir kupon yok.',
  COUPON_NOT_YET_VALID: 'Bu kupon henüz başlamadı.',
  COUPON_EXPIRED: 'Bu kuponun süresi doldu.',
  COUPON_MINIMUM_NOT_REACHED: 'Sepet tutarı bu kupon için yeterli değil.',
  COUPON_USED_UP: 'Bu kuponun kullanım hakkı doldu.',
  COUPON_ALREADY_USED: 'Bu kuponu kullanabileceğiniz kadar kullandınız.',
  COUPON_NOT_FOR_THESE_PRODUCTS: 'Bu kupon sepetinizdeki ürünlerde geçerli değil.',
  PHOTO_LIMIT: 'Bir günde en fazla 10 fotoğraf yükleyebilirsiniz; yarın yeniden deneyin.',
  OWN_REVIEW: 'Kendi yorumunuzu oylayamaz ya da bildiremezsiniz.',
  SHARE_LIMIT: 'Bir günde en fazla 10 ürün paylaşabilirsiniz; yarın yeniden deneyin.',
  RECIPIENT_LIMIT: 'Bu adrese bugün yeterince ürün gönderildi; yarın yeniden deneyin.',
  RECIPIENT_OPTED_OUT: 'Bu adresin sahibi paylaşılan ürünleri almak istemiyor.',
} satisfies Record<string, string>;

type Reason = keyof typeof REASONS_TR;

/** The same in English (every reason: the type says so). */
const REASONS_EN: Readonly<Record<Reason, string>> = {
  CART_EMPTY: 'Your cart is empty.',
  CART_FULL: 'A cart can hold at most 50 different products.',
  CART_NEEDS_ATTENTION: 'Some products in your cart need attention; go back to your cart and check the warnings.',
  QUANTITY_LIMIT: 'You can buy at most 20 of a product.',
  NOT_ENOUGH_STOCK: 'There are not that many in stock.',
  PRICE_CHANGED: "A product's price has just changed; please check your cart again.",
  SOLD_ELSEWHERE: 'This product is sold through an external link.',
  EMAIL_NOT_VERIFIED: 'Please verify your e-mail address before placing an order.',
  PAYMENT_METHOD_UNAVAILABLE: 'This payment method is not available at the moment.',
  TRANSITION_NOT_ALLOWED: 'This order can no longer be cancelled.',
  COUPON_UNKNOWN: 'There is no coupon with this code.',
  COUPON_NOT_YET_VALID: 'This coupon is not valid yet.',
  COUPON_EXPIRED: 'This coupon has expired.',
  COUPON_MINIMUM_NOT_REACHED: 'Your cart total is too low for this coupon.',
  COUPON_USED_UP: 'This coupon has been used up.',
  COUPON_ALREADY_USED: 'You have already used this coupon as many times as you can.',
  COUPON_NOT_FOR_THESE_PRODUCTS: 'This coupon does not apply to the products in your cart.',
  PHOTO_LIMIT: 'You can upload at most 10 photos a day; please try again tomorrow.',
  OWN_REVIEW: 'You cannot vote on or report your own review.',
  SHARE_LIMIT: 'You can share at most 10 products a day; please try again tomorrow.',
  RECIPIENT_LIMIT: 'Enough products have been sent to this address today; please try again tomorrow.',
  RECIPIENT_OPTED_OUT: 'The owner of this address has chosen not to receive shared products.',
};

const REASONS: Readonly<Record<Lang, Readonly<Record<string, string>>>> = { tr: REASONS_TR, en: REASONS_EN };

/** What a request was for, where the same reason needs other words (EMAIL_NOT_VERIFIED: an order or a review). */
export type Refused = 'review';

const REASONS_FOR: Readonly<Record<Lang, Readonly<Record<Refused, Readonly<Record<string, string>>>>>> = {
  tr: {
    review: {
      EMAIL_NOT_VERIFIED: 'Yorum yazmadan önce e-posta adresinizi doğrulayın: size gönderdiğimiz bağlantıyı açın ya da Hesabım sayfasından yenisini isteyin.',
    },
  },
  en: {
    review: {
      EMAIL_NOT_VERIFIED: 'Please verify your e-mail address before writing a review: open the link we sent you, or ask for a new one on the My account page.',
    },
  },
};

/** The shopper's words in `lang` for a refusal the shop gives a reason for, else null. */
export function reasonText(error: unknown, lang: Lang, refused?: Refused): string | null {
  if (!(error instanceof ApiError) || !error.reason) return null;
  return (refused ? REASONS_FOR[lang][refused][error.reason] : undefined) ?? REASONS[lang][error.reason] ?? null;
}

/** The checkout's input: a saved address (`addressId`) or the new one typed in, and the total the shopper saw. */
export function checkoutInput(
  values: FormValues,
  addressId: string | null,
  paymentMethod: string | null,
  idempotencyKey: string,
  expectedTotal: string | null = null,
): CheckoutInput {
  const note = textOf(values, 'note');
  const input: CheckoutInput = {
    idempotencyKey,
    ...(expectedTotal && /^\d+$/.test(expectedTotal) ? { expectedTotal } : {}),
    paymentMethod: (paymentMethod ?? undefined) as PaymentMethod | undefined,
    note: note === '' ? null : note,
  };
  if (addressId && addressId !== 'new') {
    input.addressId = addressId;
  } else {
    const { isDefault: _ignored, ...address } = addressInput(values);
    input.address = address;
    input.saveAddress = values.saveAddress === true;
  }
  return input;
}

/** The control a checkout error belongs to (`input.address.phone` → `phone`). */
export function checkoutErrorField(field: string | null): string | null {
  if (!field) return null;
  const name = field.replace(/^input\./, '').replace(/^address\./, '');
  return name === '' ? null : name;
}

/** A `/go/` link with the widget's visitor id added (`?v=`), so the click is counted as that visitor's. */
export function withVisitor(href: string, visitorId: string | null): string {
  if (!visitorId || !/^[A-Za-z0-9_-]{1,64}$/.test(visitorId)) return href;
  const url = new URL(href, 'http://x');
  url.searchParams.set('v', visitorId);
  return `${url.pathname}${url.search}`;
}
