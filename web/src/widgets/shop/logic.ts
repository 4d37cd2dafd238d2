/**
 * What the shop's pages decide without the DOM: the words for the server's refusals
 * (`extensions.reason`), the checkout's input from the form, and where a `/go/` link
 * carries the visitor id.
 */
import type { CheckoutInput, PaymentMethod } from '../../generated/shop/graphql';
import { ApiError } from '../../lib/errors';
import { addressInput, textOf, type FormValues } from '../account/logic';

/** Turkish words for the reasons the shop refuses a request. */
const REASONS: Readonly<Record<string, string>> = {
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
};

/** What a request was for, where the same reason needs other words (EMAIL_NOT_VERIFIED: an order or a review). */
export type Refused = 'review';

const REASONS_FOR: Readonly<Record<Refused, Readonly<Record<string, string>>>> = {
  review: {
    EMAIL_NOT_VERIFIED: 'Yorum yazmadan önce e-posta adresinizi doğrulayın: size gönderdiğimiz bağlantıyı açın ya da Hesabım sayfasından yenisini isteyin.',
  },
};

/** The shopper's words for a refusal the shop gives a reason for, else null. */
export function reasonText(error: unknown, refused?: Refused): string | null {
  if (!(error instanceof ApiError) || !error.reason) return null;
  return (refused ? REASONS_FOR[refused][error.reason] : undefined) ?? REASONS[error.reason] ?? null;
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
