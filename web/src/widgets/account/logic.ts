/**
 * The account pages' logic, free of the DOM (unit-tested): the browser's checks of a
 * control, which control a server error belongs to, a form's values as GraphQL
 * variables, and the texts of an address card and of the connected accounts.
 */
import type { AccountAddressFragment, AddressInput, IdentityProvider, Locale, ProfileInput, RegisterInput } from '../../generated/account/graphql';
import { ApiError, knownMessage } from '../../lib/errors';
import { charCount } from '../../lib/format';
import { localeFromLang, translate, type Lang, type MessageKey, type Params } from '../../lib/i18n';
import { PASSWORD_MAX } from '../../lib/password';
import { looksLikeEmail } from '../../lib/validate';

/** A text of the message tables with its parameters. */
export interface Problem {
  key: MessageKey;
  params?: Params;
}

/** What the checks need of a control (an `<input>` or a `<select>`). */
export interface ControlState {
  /** `text`, `email`, `password`, `checkbox`, `select-one`… */
  type: string;
  value: string;
  checked: boolean;
  required: boolean;
  /** The `minlength` / `maxlength` attributes; 0 or less when absent (the DOM says -1). */
  minLength: number;
  maxLength: number;
}

/**
 * What is wrong with a control before anything is sent, by its `required`, `type`,
 * `minlength` and `maxlength`; null when nothing is. Lengths count characters as the
 * server does (not UTF-16 units, as the browser would).
 */
export function controlProblem(control: ControlState): Problem | null {
  const { type, required, minLength: min, maxLength: max } = control;
  if (type === 'checkbox') return required && !control.checked ? { key: 'account.checkRequired' } : null;
  if (type.startsWith('select')) return required && control.value === '' ? { key: 'account.chooseOne' } : null;
  if (type === 'password') {
    // Spaces count in a password: it is never trimmed.
    const length = charCount(control.value);
    if (length === 0) return required ? { key: 'password.missing' } : null;
    if (min > 0 && length < min) return { key: 'password.tooShort', params: { min } };
    if (length > (max > 0 ? max : PASSWORD_MAX)) return { key: 'password.tooLong', params: { max: max > 0 ? max : PASSWORD_MAX } };
    return null;
  }
  const value = control.value.trim();
  if (value === '') return required ? { key: type === 'email' ? 'error.emailMissing' : 'error.required' } : null;
  if (type === 'email' && !looksLikeEmail(value)) return { key: 'error.invalidEmail' };
  const length = charCount(value);
  if (min > 0 && length < min) return { key: 'account.tooShort', params: { min } };
  if (max > 0 && length > max) return { key: 'error.tooLong', params: { max } };
  return null;
}

/** The control a server error names: `extensions.field` without its `input.` (`input.postalCode` → `postalCode`). */
export function errorField(field: string | null): string | null {
  if (!field) return null;
  const name = field.startsWith('input.') ? field.slice('input.'.length) : field;
  return name === '' ? null : name;
}

/**
 * The control of a password form that a server error without a field belongs to: a
 * wrong current password to `current`, the policy's refusals of a new one to `next`.
 */
export function passwordErrorField(error: unknown, names: { current?: string; next?: string }): string | null {
  if (!(error instanceof ApiError) || error.code !== 'BAD_USER_INPUT') return null;
  const known = knownMessage(error.message);
  if (!known || !('key' in known)) return null;
  if (known.key === 'error.currentPasswordWrong') return names.current ?? null;
  if (known.key.startsWith('password.') || known.key === 'error.samePassword') return names.next ?? null;
  return null;
}

/**
 * The control of the e-mail change form that a server error without a field belongs to:
 * a refused new address (not valid, or the current one) to `email`, a wrong current
 * password to `current`.
 */
export function emailChangeErrorField(error: unknown, names: { email: string; current: string }): string | null {
  if (!(error instanceof ApiError) || error.code !== 'BAD_USER_INPUT') return null;
  const known = knownMessage(error.message);
  if (!known || !('key' in known)) return null;
  if (known.key === 'error.invalidEmail' || known.key === 'error.sameEmail') return names.email;
  return passwordErrorField(error, { current: names.current });
}

/** A form's values by control name: checkboxes as booleans, the rest as they were typed. */
export type FormValues = Readonly<Record<string, string | boolean>>;

export function textOf(values: FormValues, name: string): string {
  const value = values[name];
  return typeof value === 'string' ? value.trim() : '';
}

/** Passwords as typed: spaces are part of them. */
export function secretOf(values: FormValues, name: string): string {
  const value = values[name];
  return typeof value === 'string' ? value : '';
}

function flag(values: FormValues, name: string): boolean {
  return values[name] === true;
}

/** A problem the page finds beyond one control's attributes. */
export interface FieldProblem {
  name: string;
  problem: Problem;
}

/** The repetition of a new password, when it differs. */
export function passwordsDiffer(values: FormValues, name: string, repeat: string): FieldProblem[] {
  return secretOf(values, name) === secretOf(values, repeat) ? [] : [{ name: repeat, problem: { key: 'password.mismatch' } }];
}

/** The sign-up; its e-mails come in the page's language. */
export function registerInput(values: FormValues, lang: Lang): RegisterInput {
  return {
    name: textOf(values, 'name'),
    email: textOf(values, 'email'),
    password: secretOf(values, 'password'),
    acceptTerms: flag(values, 'acceptTerms'),
    marketingOptIn: flag(values, 'marketingOptIn'),
    locale: localeFromLang(lang),
  };
}

/** A language the schema knows (`TR`, `EN`), else null. */
function localeOf(values: FormValues, name: string): Locale | null {
  const value = textOf(values, name);
  return value === 'TR' || value === 'EN' ? value : null;
}

/**
 * The profile; an empty phone clears the number (null), as the schema says. The e-mails'
 * language goes only when it is one the schema knows: omitted, it stays as it is.
 */
export function profileInput(values: FormValues): ProfileInput {
  const phone = textOf(values, 'phone');
  const locale = localeOf(values, 'locale');
  return {
    name: textOf(values, 'name'),
    phone: phone === '' ? null : phone,
    marketingOptIn: flag(values, 'marketingOptIn'),
    ...(locale ? { locale } : {}),
  };
}

export function addressInput(values: FormValues): AddressInput {
  const line2 = textOf(values, 'line2');
  return {
    title: textOf(values, 'title'),
    recipientName: textOf(values, 'recipientName'),
    phone: textOf(values, 'phone'),
    line1: textOf(values, 'line1'),
    line2: line2 === '' ? null : line2,
    district: textOf(values, 'district'),
    city: textOf(values, 'city'),
    postalCode: textOf(values, 'postalCode'),
    isDefault: flag(values, 'isDefault'),
  };
}

/** A stored number (`+905321234567`) as people write it in Türkiye: `0532 123 45 67`. */
export function formatPhone(phone: string): string {
  const m = /^\+90(\d{3})(\d{3})(\d{2})(\d{2})$/.exec(phone);
  return m ? `0${m[1]} ${m[2]} ${m[3]} ${m[4]}` : phone;
}

/** What the address form shows for an address being edited (by control name). */
export function addressFormValues(address: AccountAddressFragment): FormValues {
  return {
    id: address.id,
    title: address.title,
    recipientName: address.recipientName,
    phone: formatPhone(address.phone),
    line1: address.line1,
    line2: address.line2 ?? '',
    district: address.district,
    city: address.city,
    postalCode: address.postalCode,
    isDefault: address.isDefault,
  };
}

export type AddressAction = 'edit' | 'make-default' | 'delete';

export interface AddressCard {
  title: string;
  /** "Varsayılan" on the default address. */
  badge: string | null;
  lines: string[];
  /** The buttons; their labels name the address, as "Düzenle" alone would not. */
  buttons: Array<{ action: AddressAction; text: string; label: string }>;
}

export function addressCard(address: AccountAddressFragment, lang: Lang): AddressCard {
  const title = address.title;
  const button = (action: AddressAction, textKey: MessageKey, labelKey: MessageKey) => ({
    action,
    text: translate(lang, textKey),
    label: translate(lang, labelKey, { title }),
  });
  const buttons = [button('edit', 'account.edit', 'account.editLabel')];
  if (!address.isDefault) buttons.push(button('make-default', 'account.makeDefault', 'account.makeDefaultLabel'));
  buttons.push(button('delete', 'account.delete', 'account.deleteLabel'));
  return {
    title,
    badge: address.isDefault ? translate(lang, 'account.defaultBadge') : null,
    lines: [
      address.recipientName,
      formatPhone(address.phone),
      address.line1,
      ...(address.line2 ? [address.line2] : []),
      `${address.district} / ${address.city} ${address.postalCode}`,
    ],
    buttons,
  };
}

const PROVIDERS: ReadonlyArray<{ provider: IdentityProvider; path: string; name: string }> = [
  { provider: 'GOOGLE', path: 'google', name: 'Google' },
  { provider: 'FACEBOOK', path: 'facebook', name: 'Facebook' },
];

/** A provider by its path name (`google`), as `data-providers` and the addresses write it. */
export function providerByPath(path: string | null | undefined): (typeof PROVIDERS)[number] | null {
  const name = (path ?? '').trim().toLowerCase();
  return PROVIDERS.find((p) => p.path === name) ?? null;
}

export interface IdentityRow {
  provider: IdentityProvider;
  name: string;
  /** The address the provider gave, '' when it gave none; null when not connected. */
  email: string | null;
  /** Where connecting starts (coming back to the profile); null when the provider is not offered. */
  connectHref: string | null;
}

/**
 * One row per provider the site offers (`data-providers`, e.g. "google,facebook"), and
 * one for a connected provider the site no longer offers, so that it can still be
 * disconnected.
 */
export function identityRows(offered: string, identities: ReadonlyArray<{ provider: IdentityProvider; email: string | null }>): IdentityRow[] {
  const offers = offered.split(',').map(providerByPath);
  return PROVIDERS.filter((p) => offers.includes(p) || identities.some((i) => i.provider === p.provider)).map((p) => {
    const identity = identities.find((i) => i.provider === p.provider);
    return {
      provider: p.provider,
      name: p.name,
      email: identity ? (identity.email ?? '') : null,
      connectHref: offers.includes(p) ? `/auth/${p.path}/start?return=${encodeURIComponent('/hesap')}&baglan=1` : null,
    };
  });
}

/**
 * `?baglandi=google`, where the server sends the browser back after connecting a
 * provider: the provider's name, and the query without it (a reload does not say it again).
 */
export function connectedProvider(search: string): { name: string; search: string } | null {
  const params = new URLSearchParams(search);
  const provider = providerByPath(params.get('baglandi'));
  if (!provider) return null;
  params.delete('baglandi');
  const rest = params.toString();
  return { name: provider.name, search: rest === '' ? '' : `?${rest}` };
}
