/**
 * The shop settings form's logic: what it holds, which changes it sends, the browser's
 * checks of IBANs and host names, and where the server's errors go (pure: unit-tested).
 */
import type { BankAccountInput, ShopSettingsFieldsFragment, ShopSettingsInput } from '../../generated/graphql';
import { charCount } from '../../lib/format';
import type { Lang } from '../../lib/i18n';
import { kurusInputValue, MAX_FEE_KURUS, MAX_PRICE_KURUS } from '../../lib/money';
import type { Problem } from '../catalog/form';
import { readAmount } from './amounts';

export type ShopSettings = ShopSettingsFieldsFragment;

/** The server's limits (shop::settings). */
export const SHOP_LIMITS = { bankAccounts: 5, hosts: 50, bank: 80, holder: 120 } as const;

export interface BankAccountDraft {
  /** Keeps a row's inputs when rows above it go (not sent). */
  key: string;
  bank: string;
  holder: string;
  iban: string;
}

/** What the form holds: amounts in lira as typed, the hosts one per line. */
export interface ShopSettingsDraft {
  shippingFee: string;
  /** Empty: orders never ship free. */
  freeShippingThreshold: string;
  cashOnDelivery: boolean;
  cashOnDeliveryFee: string;
  bankAccounts: BankAccountDraft[];
  externalLinkHosts: string;
}

export type AccountPart = 'bank' | 'holder' | 'iban';

/** A field of the form: an amount, the hosts, the accounts as a whole, or one account's part. */
export type ShopField = 'shippingFee' | 'freeShippingThreshold' | 'cashOnDeliveryFee' | 'bankAccounts' | `bankAccounts.${number}.${AccountPart}` | 'externalLinkHosts';

export type ShopProblems = Partial<Record<ShopField, Problem>>;

export const ACCOUNT_PARTS: readonly AccountPart[] = ['bank', 'holder', 'iban'];

/** The path of one account's part, as the server names it (without `input.`). */
export const accountField = (index: number, part: AccountPart): ShopField => `bankAccounts.${index}.${part}`;

export function draftOf(settings: ShopSettings, lang: Lang): ShopSettingsDraft {
  return {
    shippingFee: kurusInputValue(settings.shippingFee.amount, lang),
    freeShippingThreshold: settings.freeShippingThreshold ? kurusInputValue(settings.freeShippingThreshold.amount, lang) : '',
    cashOnDelivery: settings.cashOnDelivery,
    cashOnDeliveryFee: kurusInputValue(settings.cashOnDeliveryFee.amount, lang),
    bankAccounts: settings.bankAccounts.map((a, i) => ({ key: `saved-${i}`, bank: a.bank, holder: a.holder, iban: a.ibanFormatted })),
    externalLinkHosts: settings.externalLinkHosts.join('\n'),
  };
}

/**
 * A Turkish IBAN without spaces and in capitals, when it is `TR` and 24 digits whose
 * check digits hold (ISO 13616: the number read from the fifth character on, then the
 * first four with letters as 10–35, leaves 1 when divided by 97); null otherwise.
 */
export function normalizeIban(raw: string): string | null {
  const iban = raw.replace(/\s+/g, '').toUpperCase();
  if (!/^TR\d{24}$/.test(iban)) return null;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const c of rearranged) {
    const digits = /\d/.test(c) ? c : String(c.charCodeAt(0) - 55);
    for (const d of digits) remainder = (remainder * 10 + Number(d)) % 97;
  }
  return remainder === 1 ? iban : null;
}

/** Whether `host` is a host name with at least two labels (no scheme, port, path or IP address). */
export function isHostName(host: string): boolean {
  const labels = host.split('.');
  return (
    host.length <= 253 &&
    labels.length >= 2 &&
    labels.every((l) => l.length >= 1 && l.length <= 63 && /^[a-z0-9-]+$/.test(l) && !l.startsWith('-') && !l.endsWith('-')) &&
    !/^\d+$/.test(labels[labels.length - 1] ?? '')
  );
}

export type ParsedHosts = { ok: true; hosts: string[] } | { ok: false; problem: Problem };

/**
 * The hosts typed one per line: trimmed, in lower case, a final dot dropped, empty lines
 * and repeats left out; the first line that is not a host name is refused.
 */
export function parseHosts(text: string): ParsedHosts {
  const hosts: string[] = [];
  const lines = text.split(/\r?\n/);
  for (const [i, line] of lines.entries()) {
    const host = line.trim().replace(/\.$/, '').toLowerCase();
    if (host === '') continue;
    if (!isHostName(host)) return { ok: false, problem: { key: 'shop.hostInvalid', params: { line: i + 1, host: line.trim() } } };
    if (!hosts.includes(host)) hosts.push(host);
  }
  if (hosts.length > SHOP_LIMITS.hosts) return { ok: false, problem: { key: 'error.tooManyHosts', params: { max: SHOP_LIMITS.hosts } } };
  return { ok: true, hosts };
}

function sameAccounts(a: readonly BankAccountInput[], b: readonly BankAccountInput[]): boolean {
  return a.length === b.length && a.every((x, i) => x.bank === b[i]?.bank && x.holder === b[i]?.holder && x.iban === b[i]?.iban);
}

/**
 * The changes to send (only what differs from `saved`), or every problem the browser can
 * tell. An empty threshold sends null (never free); a change to the accounts or the hosts
 * sends the whole list (the server replaces it).
 */
export function settingsChanges(
  saved: ShopSettings,
  draft: ShopSettingsDraft,
  lang: Lang,
): { ok: true; input: ShopSettingsInput } | { ok: false; problems: ShopProblems } {
  const problems: ShopProblems = {};
  const input: ShopSettingsInput = {};

  const fee = (field: 'shippingFee' | 'cashOnDeliveryFee') => {
    const read = readAmount(draft[field], MAX_FEE_KURUS, lang);
    if (!read.ok) problems[field] = read.problem;
    else if (read.kurus !== saved[field].amount) input[field] = read.kurus;
  };
  fee('shippingFee');

  if (draft.freeShippingThreshold.trim() === '') {
    if (saved.freeShippingThreshold !== null) input.freeShippingThreshold = null;
  } else {
    const read = readAmount(draft.freeShippingThreshold, MAX_PRICE_KURUS, lang);
    if (!read.ok) problems.freeShippingThreshold = read.problem;
    else if (read.kurus !== saved.freeShippingThreshold?.amount) input.freeShippingThreshold = read.kurus;
  }

  if (draft.cashOnDelivery !== saved.cashOnDelivery) input.cashOnDelivery = draft.cashOnDelivery;
  fee('cashOnDeliveryFee');

  if (draft.bankAccounts.length > SHOP_LIMITS.bankAccounts) problems.bankAccounts = { key: 'error.tooManyBankAccounts', params: { max: SHOP_LIMITS.bankAccounts } };
  const accounts: BankAccountInput[] = draft.bankAccounts.map((row, i) => {
    const text = (part: 'bank' | 'holder') => {
      const value = row[part].trim();
      if (value === '') problems[accountField(i, part)] = { key: 'error.required' };
      else if (charCount(value) > SHOP_LIMITS[part]) problems[accountField(i, part)] = { key: 'error.tooLong', params: { max: SHOP_LIMITS[part] } };
      return value;
    };
    const bank = text('bank');
    const holder = text('holder');
    const iban = normalizeIban(row.iban);
    if (row.iban.trim() === '') problems[accountField(i, 'iban')] = { key: 'error.required' };
    else if (iban === null) problems[accountField(i, 'iban')] = { key: 'error.iban' };
    return { bank, holder, iban: iban ?? row.iban };
  });
  const savedAccounts = saved.bankAccounts.map(({ bank, holder, iban }) => ({ bank, holder, iban }));
  if (!sameAccounts(accounts, savedAccounts)) input.bankAccounts = accounts;

  const hosts = parseHosts(draft.externalLinkHosts);
  if (!hosts.ok) problems.externalLinkHosts = hosts.problem;
  // The server keeps them as a set (in its own order): a new order alone is no change.
  else if ([...hosts.hosts].sort().join('\n') !== [...saved.externalLinkHosts].sort().join('\n')) input.externalLinkHosts = hosts.hosts;

  return Object.keys(problems).length > 0 ? { ok: false, problems } : { ok: true, input };
}

/** The fields in the order the form shows them (the first with a problem gets focus). */
export function fieldOrder(draft: ShopSettingsDraft): ShopField[] {
  return [
    'shippingFee',
    'freeShippingThreshold',
    'cashOnDeliveryFee',
    'bankAccounts',
    ...draft.bankAccounts.flatMap((_, i) => ACCOUNT_PARTS.map((part) => accountField(i, part))),
    'externalLinkHosts',
  ];
}

/** The first field (in the form's order) that has a problem. */
export function firstShopProblem(draft: ShopSettingsDraft, problems: ShopProblems): ShopField | null {
  return fieldOrder(draft).find((f) => problems[f] !== undefined) ?? null;
}

/**
 * The form's field a server error names: `input.shippingFee` → shippingFee,
 * `input.bankAccounts.0.iban` → that account's IBAN, `input.externalLinkHosts.3` → the
 * hosts; null for the rest.
 */
export function shopFieldOfError(field: string | null): ShopField | null {
  if (!field) return null;
  const parts = field.split('.');
  if (parts[0] === 'input') parts.shift();
  const [name, index, part] = parts;
  switch (name) {
    case 'shippingFee':
    case 'freeShippingThreshold':
    case 'cashOnDeliveryFee':
    case 'externalLinkHosts':
      return name;
    case 'bankAccounts':
      if (index !== undefined && /^\d+$/.test(index) && (part === 'bank' || part === 'holder' || part === 'iban')) return accountField(Number(index), part);
      return 'bankAccounts';
    default:
      return null;
  }
}
