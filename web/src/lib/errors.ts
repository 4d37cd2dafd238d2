/**
 * Errors from the API, and the words the owner sees for them. The server answers
 * `extensions.code` (UNAUTHENTICATED, RATE_LIMITED with `extensions.retryAfter`, …) and a
 * message in English; known messages are shown in the dashboard's language, unknown
 * BAD_USER_INPUT messages as the server wrote them.
 */
import { formatWait, INTL_LOCALE } from './format';
import { translate, type Lang, type MessageKey, type Params } from './i18n';
import { PASSWORD_MAX, PASSWORD_MIN } from './password';

export const ERROR_CODES = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'RATE_LIMITED',
  'INTERNAL_SERVER_ERROR',
] as const;

/** A server code, or what went wrong on the way: NETWORK (no answer) or UNKNOWN. */
export type ErrorCode = (typeof ERROR_CODES)[number] | 'NETWORK' | 'UNKNOWN';

export class ApiError extends Error {
  readonly code: ErrorCode;
  /** Seconds to wait, for RATE_LIMITED. */
  readonly retryAfter: number | null;
  /** The HTTP status, when an answer came. */
  readonly status: number | null;
  /** The input a BAD_USER_INPUT refers to (`extensions.field`, e.g. `input.price`). */
  readonly field: string | null;
  /** Why the rules refused a request (`extensions.reason`, e.g. TRANSITION_NOT_ALLOWED). */
  readonly reason: string | null;

  constructor(
    code: ErrorCode,
    message: string,
    retryAfter: number | null = null,
    status: number | null = null,
    field: string | null = null,
    reason: string | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.retryAfter = retryAfter;
    this.status = status;
    this.field = field;
    this.reason = reason;
  }
}

function isCode(value: unknown): value is (typeof ERROR_CODES)[number] {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/** The error a GraphQL error object (`{ message, extensions }`) stands for. */
export function apiErrorFrom(error: unknown, status: number | null = null): ApiError {
  const object = (typeof error === 'object' && error !== null ? error : {}) as {
    message?: unknown;
    extensions?: { code?: unknown; retryAfter?: unknown; field?: unknown; reason?: unknown } | null;
  };
  const message = typeof object.message === 'string' ? object.message : '';
  const code = object.extensions?.code;
  const retryRaw = object.extensions?.retryAfter;
  const retryAfter =
    typeof retryRaw === 'number' && Number.isFinite(retryRaw)
      ? retryRaw
      : typeof retryRaw === 'string' && /^\d+$/.test(retryRaw)
        ? Number(retryRaw)
        : null;
  const field = typeof object.extensions?.field === 'string' ? object.extensions.field : null;
  const reason = typeof object.extensions?.reason === 'string' ? object.extensions.reason : null;
  return new ApiError(isCode(code) ? code : 'UNKNOWN', message, retryAfter, status, field, reason);
}

/** A text to show: a message key with its parameters, or the server's own words. */
export type ErrorText = { key: MessageKey; params?: Params } | { raw: string };

/** The server's messages the dashboard knows, in its own words. */
const KNOWN_MESSAGES: ReadonlyArray<[RegExp, (m: RegExpMatchArray) => ErrorText]> = [
  [/^The e-mail address or the password is wrong\.?$/i, () => ({ key: 'error.wrongCredentials' })],
  [/^The password must be at least (\d+) characters/i, (m) => ({ key: 'password.tooShort', params: { min: m[1] ?? PASSWORD_MIN } })],
  [/^The password must be at most (\d+) characters/i, (m) => ({ key: 'password.tooLong', params: { max: m[1] ?? PASSWORD_MAX } })],
  [/most commonly used/i, () => ({ key: 'password.common' })],
  [/^The password cannot contain line breaks/i, () => ({ key: 'password.controlCharacters' })],
  [/^The current password is wrong\.?$/i, () => ({ key: 'error.currentPasswordWrong' })],
  [/must differ from the current one/i, () => ({ key: 'error.samePassword' })],
  [/not a valid e-mail address/i, () => ({ key: 'error.invalidEmail' })],
  [/already your e-mail address/i, () => ({ key: 'error.sameEmail' })],
  [/link is invalid or has expired/i, () => ({ key: 'error.invalidLink' })],
  [/now used by another account/i, () => ({ key: 'error.emailTaken' })],
  [/^The name must be at most (\d+) characters/i, (m) => ({ key: 'error.nameTooLong', params: { max: m[1] ?? 100 } })],
  [/^The name cannot contain/i, () => ({ key: 'error.nameInvalid' })],
  // Uploads (the server decides the type by content and checks size and pixels).
  [/^The (image|video|file) is ([\d.]+) MiB; at most ([\d.]+) MiB is accepted/i, (m) => tooLarge(m[1], m[3])],
  [/^The (image|video|file) is larger than the ([\d.]+) MiB allowed/i, (m) => tooLarge(m[1], m[2])],
  [
    /^The image is (\d+)×(\d+) \(([\d.]+) megapixels\); at most ([\d.]+) megapixels/i,
    (m) => ({ key: 'error.imageTooManyPixels', params: { width: m[1] ?? '', height: m[2] ?? '', max: m[4] ?? '' } }),
  ],
  [/^This file type is not accepted \([^)]*\): (.*)$/i, (m) => ({ key: refusedTypeKey(m[1] ?? '') })],
  [/^The file is a Matroska file/i, () => ({ key: 'error.fileType' })],
  [/^The file is empty\.?$/i, () => ({ key: 'error.fileEmpty' })],
  [/^The image is damaged or incomplete/i, () => ({ key: 'error.imageDamaged' })],
  [/^The file could not be processed/i, () => ({ key: 'error.fileDamaged' })],
  [/^At most (\d+) files may be uploaded in one request/i, (m) => ({ key: 'error.tooManyFiles', params: { max: m[1] ?? '' } })],
  [/^A multipart request authenticated by cookie must carry/i, () => ({ key: 'error.csrf' })],
  // Cropping.
  [/^Only images can be cropped/i, () => ({ key: 'error.cropNotImage' })],
  [/^The crop rectangle .* reaches outside/i, () => ({ key: 'error.cropOutside' })],
  [/^The crop rectangle is .*preset needs/i, () => ({ key: 'error.cropRatio' })],
  [/^The crop rectangle must have a positive/i, () => ({ key: 'error.cropEmpty' })],
  [/^There is no crop preset/i, () => ({ key: 'error.cropPreset' })],
  [/^There is no media item with this id/i, () => ({ key: 'error.mediaNotFound' })],
  // Statistics settings.
  [/^(completedJobsBase|happyCustomersBase|contactMessagesBase) must be between 0 and/i, () => ({ key: 'error.baseRange' })],
  [/^foundedYear must be between (\d+) and (\d+)/i, (m) => ({ key: 'error.foundedYearRange', params: { min: m[1] ?? '', max: m[2] ?? '' } })],
  [/^happyThreshold must be between 1 and 5/i, () => ({ key: 'error.thresholdRange' })],
  // The catalogue (shown next to the field the error names).
  [/^The sale price must be below the price/i, () => ({ key: 'error.saleBelowPrice' })],
  [/^The sale must end after it starts/i, () => ({ key: 'error.saleEndsBeforeStart' })],
  [/^A price is in kuruş/i, () => ({ key: 'error.priceRange' })],
  [/^Another product has this SKU/i, () => ({ key: 'error.skuTaken' })],
  [/^Another (product|category) has this slug/i, () => ({ key: 'error.slugTaken' })],
  [/^A slug is lower-case letters and digits/i, () => ({ key: 'error.slugInvalid' })],
  [/^The VAT rate is a percentage from 0 to 100/i, () => ({ key: 'error.vatRange' })],
  [/^Stock is a count from 0 to (\d+)/i, (m) => ({ key: 'error.stockRange', params: { max: m[1] ?? '' } })],
  [/^The link must be a full http or https address/i, () => ({ key: 'error.externalUrl' })],
  [/^The description must be at most (\d+) characters/i, (m) => ({ key: 'error.tooLong', params: { max: m[1] ?? '' } })],
  [/^The description contains characters/i, () => ({ key: 'error.badCharacters' })],
  [/^A product has at most (\d+) pictures/i, (m) => ({ key: 'error.tooManyImages', params: { max: m[1] ?? '' } })],
  [/^The same picture is listed twice/i, () => ({ key: 'error.imageTwice' })],
  [/^This item is a video, not a picture/i, () => ({ key: 'error.notAnImage' })],
  [/^This item is a picture, not a video/i, () => ({ key: 'error.notAVideo' })],
  [/^The product's media changed at the same moment/i, () => ({ key: 'error.mediaChanged' })],
  [/^There is no product with this id/i, () => ({ key: 'error.productNotFound' })],
  [/^There is no category with this id/i, () => ({ key: 'error.categoryNotFound' })],
  [/^A category needs a name/i, () => ({ key: 'error.required' })],
  [/^Categories go at most (\d+) levels deep/i, (m) => ({ key: 'error.categoryDepth', params: { max: m[1] ?? '' } })],
  [/^A category cannot be moved under itself/i, () => ({ key: 'error.categoryUnderItself' })],
  [/^“(.+)” still holds (\d+) product/i, (m) => ({ key: 'error.categoryHasProducts', params: { name: m[1] ?? '', count: m[2] ?? '' } })],
  [/^“(.+)” has subcategories/i, (m) => ({ key: 'error.categoryHasChildren', params: { name: m[1] ?? '' } })],
  // Customers.
  [/^There is no customer with this id/i, () => ({ key: 'error.customerNotFound' })],
  // The shop: settings, coupons and orders.
  [/^An amount is in kuruş, from 0 to (\d+)/i, (m) => ({ key: 'error.amountRange', params: { max: liraOf(m[1]) } })],
  [/^At most (\d+) bank accounts/i, (m) => ({ key: 'error.tooManyBankAccounts', params: { max: m[1] ?? '' } })],
  [/^A Turkish IBAN is TR followed by 24 digits/i, () => ({ key: 'error.iban' })],
  [/^At most (\d+) hosts/i, (m) => ({ key: 'error.tooManyHosts', params: { max: m[1] ?? '' } })],
  [/^Give a host name only/i, () => ({ key: 'error.hostName' })],
  [/^A code is 3–32 letters/i, () => ({ key: 'error.couponCode' })],
  [/^Another coupon has this code/i, () => ({ key: 'error.couponCodeTaken' })],
  [/^A percent coupon takes 1 to 100/i, () => ({ key: 'error.couponPercent' })],
  [/^A fixed coupon takes an amount in kuruş, from 1 to (\d+)/i, (m) => ({ key: 'error.couponFixed', params: { max: liraOf(m[1]) } })],
  [/^The minimum is in kuruş, from 0 to (\d+)/i, (m) => ({ key: 'error.amountRange', params: { max: liraOf(m[1]) } })],
  [/^A coupon must end after it starts/i, () => ({ key: 'error.couponEndsBeforeStart' })],
  [/^A (usage limit|limit per customer) is at least 1/i, () => ({ key: 'error.limitAtLeastOne' })],
  [/^It has been used (\d+) times already; the limit cannot be/i, (m) => ({ key: 'error.usageLimitBelowUsed', params: { used: m[1] ?? '' } })],
  [/^At most (\d+)\.$/i, (m) => ({ key: 'error.tooManyChosen', params: { max: m[1] ?? '' } })],
  [/^There is no coupon with this id/i, () => ({ key: 'error.couponNotFound' })],
  [/^An order cannot go from/i, () => ({ key: 'error.transitionNotAllowed' })],
  [/^The order changed at the same moment/i, () => ({ key: 'error.orderChanged' })],
  [/^There is no order with this number/i, () => ({ key: 'error.orderNotFound' })],
  [/^A search is at most (\d+) characters/i, (m) => ({ key: 'error.searchTooLong', params: { max: m[1] ?? '' } })],
  // Customers' accounts (the storefront's /hesap pages).
  [/^Enter your name\.?$/i, () => ({ key: 'error.required' })],
  [/^Accept the terms of use/i, () => ({ key: 'error.acceptTerms' })],
  [/already verified/i, () => ({ key: 'error.alreadyVerified' })],
  [/^That account no longer exists/i, () => ({ key: 'error.accountGone' })],
  [/^Administrator accounts are removed/i, () => ({ key: 'error.adminAccount' })],
  [/^Sign in again with Google or Facebook, then delete the account within (\d+) minutes/i, (m) => ({ key: 'error.recentSignIn', params: { minutes: m[1] ?? '' } })],
  [/^This connection has expired or belongs to another account/i, () => ({ key: 'error.connectionExpired' })],
  [/already has a connection of that provider/i, () => ({ key: 'error.connectionTaken' })],
  [/^That provider is not connected/i, () => ({ key: 'error.providerNotConnected' })],
  [/^This is your only way to sign in/i, () => ({ key: 'error.lastSignInMethod' })],
  [/^A phone number may hold only/i, () => ({ key: 'error.phoneCharacters' })],
  [/^Enter a Turkish phone number/i, () => ({ key: 'error.phoneFormat' })],
  [/^This is not a Turkish mobile/i, () => ({ key: 'error.phoneNotTurkish' })],
  [/^Choose one of Türkiye's 81 provinces/i, () => ({ key: 'error.province' })],
  [/^A postal code is five digits/i, () => ({ key: 'error.postalCode' })],
  [/^Postal codes in (.+) start with (\d+)/i, (m) => ({ key: 'error.postalCodeProvince', params: { city: m[1] ?? '', code: m[2] ?? '' } })],
  [/^We deliver only within Türkiye/i, () => ({ key: 'error.country' })],
  [/^You have no address with this id/i, () => ({ key: 'error.addressNotFound' })],
  [/^You can keep at most (\d+) addresses/i, (m) => ({ key: 'error.tooManyAddresses', params: { max: m[1] ?? '' } })],
  // Text fields checked by the server's clean_text ("name cannot be empty.", and in a
  // list "bankAccounts.0.bank cannot be empty.").
  [/^[\w.]+ cannot be empty\.?$/i, () => ({ key: 'error.required' })],
  [/^[\w.]+ must be at most (\d+) characters long/i, (m) => ({ key: 'error.tooLong', params: { max: m[1] ?? '' } })],
  [/^[\w.]+ contains characters that are not allowed/i, () => ({ key: 'error.badCharacters' })],
];

/** Whole lira of an amount the server wrote in kuruş ("100000000" → "1000000"). */
function liraOf(kurus: string | undefined): string {
  return /^\d+$/.test(kurus ?? '') ? (BigInt(kurus ?? '0') / 100n).toString() : '';
}

/** Refusals the dashboard words by their `extensions.reason` rather than their message. */
const KNOWN_REASONS: Readonly<Record<string, MessageKey>> = {
  TRANSITION_NOT_ALLOWED: 'error.transitionNotAllowed',
};

function tooLarge(what: string | undefined, max: string | undefined): ErrorText {
  const key = what === 'video' ? 'error.videoTooLarge' : what === 'image' ? 'error.imageTooLarge' : 'error.fileTooLarge';
  return { key, params: { max: max ?? '' } };
}

/** Why a file type was refused, in the dashboard's words where the reason is known. */
function refusedTypeKey(reason: string): MessageKey {
  if (/PHP script/i.test(reason)) return 'error.fileTypeScript';
  if (/SVG/i.test(reason)) return 'error.fileTypeSvg';
  if (/HTML page/i.test(reason)) return 'error.fileTypeHtml';
  if (/GIF/i.test(reason)) return 'error.fileTypeGif';
  if (/PDF/i.test(reason)) return 'error.fileTypePdf';
  if (/HEIC|AVIF|QuickTime/i.test(reason)) return 'error.fileTypeHeic';
  if (/text file/i.test(reason)) return 'error.fileTypeText';
  return 'error.fileType';
}

/** The message key of a server message the dashboard knows, if it does. */
export function knownMessage(message: string): ErrorText | null {
  for (const [pattern, make] of KNOWN_MESSAGES) {
    const match = message.match(pattern);
    if (match) return make(match);
  }
  return null;
}

export interface DescribeOptions {
  /** Signing in: UNAUTHENTICATED means wrong credentials, throttling counts failures. */
  login?: boolean;
}

/** What to tell the owner about `error` (any thrown value). */
export function describeError(error: unknown, options: DescribeOptions = {}): ErrorText {
  if (!(error instanceof ApiError)) return { key: 'error.unknown' };
  switch (error.code) {
    case 'UNAUTHENTICATED':
      return options.login ? { key: 'error.wrongCredentials' } : { key: 'error.sessionEnded' };
    case 'RATE_LIMITED':
      // The wait is formatted per language by errorMessage.
      return { key: options.login ? 'error.rateLimitedLogin' : 'error.rateLimited' };
    case 'FORBIDDEN':
      return knownMessage(error.message) ?? { key: 'error.forbidden' };
    case 'NETWORK':
      return { key: 'error.network' };
    case 'INTERNAL_SERVER_ERROR':
      return { key: 'error.internal' };
    case 'NOT_FOUND':
      return knownMessage(error.message) ?? { key: 'error.notFound' };
    case 'CONFLICT':
      return knownMessage(error.message) ?? { key: 'error.conflict' };
    case 'BAD_USER_INPUT': {
      const byReason = error.reason === null ? undefined : KNOWN_REASONS[error.reason];
      if (byReason) return { key: byReason };
      return knownMessage(error.message) ?? (error.message ? { raw: error.message } : { key: 'error.unknown' });
    }
    case 'UNKNOWN':
      return knownMessage(error.message) ?? { key: 'error.unknown' };
  }
}

/** `describeError` in words of `lang`. */
export function errorMessage(error: unknown, lang: Lang, options: DescribeOptions = {}): string {
  const text = describeError(error, options);
  if ('raw' in text) return text.raw;
  const params: Params = {};
  // Numbers the server wrote ("15.7") in the language's own way ("15,7"); a leading zero
  // makes a code (a province's postal prefix, "07"), kept as written.
  for (const [name, value] of Object.entries(text.params ?? {})) {
    const numeric = typeof value === 'number' ? value : /^(0|[1-9]\d*)(\.\d+)?$/.test(value) ? Number(value) : null;
    params[name] = numeric === null ? value : new Intl.NumberFormat(INTL_LOCALE[lang], { maximumFractionDigits: 2, useGrouping: false }).format(numeric);
  }
  if (error instanceof ApiError && error.code === 'RATE_LIMITED') {
    params.wait = formatWait(error.retryAfter ?? 60, lang);
  }
  return translate(lang, text.key, params);
}

/** Whether the error says the session has ended (or never began). */
export function isSessionEnded(error: unknown): boolean {
  return error instanceof ApiError && error.code === 'UNAUTHENTICATED';
}

/** Whether the error is a refused reset or confirmation link. */
export function isInvalidLink(error: unknown): boolean {
  return error instanceof ApiError && error.code === 'BAD_USER_INPUT' && /link is invalid or has expired/i.test(error.message);
}
