import { describe, expect, it } from 'vitest';
import { amountEcho, readAmount } from '../../src/dashboard/shop/amounts';
import {
  draftOf,
  firstShopProblem,
  isHostName,
  normalizeIban,
  parseHosts,
  settingsChanges,
  shopFieldOfError,
  type ShopSettings,
  type ShopSettingsDraft,
} from '../../src/dashboard/shop/settings';
import { MAX_FEE_KURUS } from '../../src/lib/money';

const IBAN = 'TR330006100519786457841326';

const saved: ShopSettings = {
  shippingFee: { amount: '4990' },
  freeShippingThreshold: { amount: '100000' },
  cashOnDelivery: true,
  cashOnDeliveryFee: { amount: '1500' },
  bankAccounts: [{ bank: 'Ziraat Bankası', holder: 'Vitrin Ltd.', iban: IBAN, ibanFormatted: 'TR33 0006 1005 1978 6457 8413 26' }],
  externalLinkHosts: ['www.trendyol.com'],
  updatedAt: '2026-11-27T10:00:00Z',
};

const draft = (patch: Partial<ShopSettingsDraft> = {}): ShopSettingsDraft => ({ ...draftOf(saved, 'tr'), ...patch });

describe('amounts in lira', () => {
  it('become kuruş exactly, within the field’s limit', () => {
    expect(readAmount('49,90', MAX_FEE_KURUS, 'tr')).toEqual({ ok: true, kurus: '4990' });
    expect(readAmount('0,1', MAX_FEE_KURUS, 'tr')).toEqual({ ok: true, kurus: '10' });
    expect(readAmount('1.000.000', MAX_FEE_KURUS, 'tr')).toEqual({ ok: true, kurus: '100000000' });
    expect(readAmount('1.000.000,01', MAX_FEE_KURUS, 'en')).toEqual({ ok: false, problem: { key: 'amount.tooLarge', params: { max: '₺1,000,000.00' } } });
    expect(readAmount('', MAX_FEE_KURUS, 'tr')).toEqual({ ok: false, problem: { key: 'error.required' } });
    expect(readAmount('-5', MAX_FEE_KURUS, 'tr')).toEqual({ ok: false, problem: { key: 'amount.negative' } });
    expect(readAmount('4,999', MAX_FEE_KURUS, 'tr')).toEqual({ ok: false, problem: { key: 'amount.decimals' } });
    expect(readAmount('kırk', MAX_FEE_KURUS, 'tr')).toEqual({ ok: false, problem: { key: 'amount.invalid' } });
  });

  it('are read back as they will be saved', () => {
    expect(amountEcho('49,9', 'tr')).toBe('49,90 ₺');
    expect(amountEcho('49,999', 'tr')).toBeNull();
    expect(amountEcho('2.000.000', 'tr', MAX_FEE_KURUS)).toBeNull();
  });
});

describe('normalizeIban', () => {
  it('accepts a Turkish IBAN with valid check digits, spaces and case aside', () => {
    expect(normalizeIban(IBAN)).toBe(IBAN);
    expect(normalizeIban('tr33 0006 1005 1978 6457 8413 26')).toBe(IBAN);
  });

  it('refuses wrong check digits, other countries and wrong lengths', () => {
    expect(normalizeIban('TR340006100519786457841326')).toBeNull();
    expect(normalizeIban('TR330006100519786457841327')).toBeNull();
    expect(normalizeIban('DE89370400440532013000')).toBeNull();
    expect(normalizeIban('TR33000610051978645784132')).toBeNull();
    expect(normalizeIban('TR33 0006 1005 1978 6457 8413 2A')).toBeNull();
    expect(normalizeIban('')).toBeNull();
  });
});

describe('host names', () => {
  it('are names with two labels or more, not addresses', () => {
    expect(isHostName('www.trendyol.com')).toBe(true);
    expect(isHostName('hepsiburada.com')).toBe(true);
    expect(isHostName('xn--gzel-1qa.com.tr')).toBe(true);
    for (const bad of ['https://www.trendyol.com', 'trendyol', '127.0.0.1', 'a..b.com', 'x.com/path', '-a.com', 'a-.com', 'www.trendyol.com:443', 'güzel.com']) {
      expect(isHostName(bad), bad).toBe(false);
    }
  });

  it('are read one per line: trimmed, lower-cased, final dots, blank lines and repeats left out', () => {
    expect(parseHosts(' WWW.Trendyol.com. \n\nwww.trendyol.com\r\nn11.com\n')).toEqual({ ok: true, hosts: ['www.trendyol.com', 'n11.com'] });
    expect(parseHosts('')).toEqual({ ok: true, hosts: [] });
    expect(parseHosts('n11.com\nhttps://www.trendyol.com/x')).toEqual({ ok: false, problem: { key: 'shop.hostInvalid', params: { line: 2, host: 'https://www.trendyol.com/x' } } });
    const many = Array.from({ length: 51 }, (_, i) => `s${i}.example.com`).join('\n');
    expect(parseHosts(many)).toEqual({ ok: false, problem: { key: 'error.tooManyHosts', params: { max: 50 } } });
  });
});

describe('settingsChanges', () => {
  it('sends only what changed', () => {
    expect(settingsChanges(saved, draft(), 'tr')).toEqual({ ok: true, input: {} });
    expect(draftOf(saved, 'tr')).toMatchObject({ shippingFee: '49,90', freeShippingThreshold: '1000', cashOnDeliveryFee: '15', externalLinkHosts: 'www.trendyol.com' });
    expect(settingsChanges(saved, draft({ shippingFee: '59,90', cashOnDelivery: false }), 'tr')).toEqual({ ok: true, input: { shippingFee: '5990', cashOnDelivery: false } });
    // The same amount written another way is no change.
    expect(settingsChanges(saved, draft({ shippingFee: '49.90', freeShippingThreshold: '1.000,00' }), 'tr')).toEqual({ ok: true, input: {} });
  });

  it('sends null for an emptied threshold (never free), and nothing when there was none', () => {
    expect(settingsChanges(saved, draft({ freeShippingThreshold: '  ' }), 'tr')).toEqual({ ok: true, input: { freeShippingThreshold: null } });
    const none = { ...saved, freeShippingThreshold: null };
    expect(settingsChanges(none, { ...draftOf(none, 'tr') }, 'tr')).toEqual({ ok: true, input: {} });
    expect(settingsChanges(none, { ...draftOf(none, 'tr'), freeShippingThreshold: '750' }, 'tr')).toEqual({ ok: true, input: { freeShippingThreshold: '75000' } });
  });

  it('sends every account when one changes, with IBANs without spaces', () => {
    const added = draft({ bankAccounts: [...draft().bankAccounts, { key: 'new-1', bank: ' İş Bankası ', holder: 'Vitrin Ltd.', iban: 'tr33 0006 1005 1978 6457 8413 26' }] });
    expect(settingsChanges(saved, added, 'tr')).toEqual({
      ok: true,
      input: {
        bankAccounts: [
          { bank: 'Ziraat Bankası', holder: 'Vitrin Ltd.', iban: IBAN },
          { bank: 'İş Bankası', holder: 'Vitrin Ltd.', iban: IBAN },
        ],
      },
    });
    expect(settingsChanges(saved, draft({ bankAccounts: [] }), 'tr')).toEqual({ ok: true, input: { bankAccounts: [] } });
  });

  it('sends the hosts when they change', () => {
    expect(settingsChanges(saved, draft({ externalLinkHosts: 'www.trendyol.com\nwww.hepsiburada.com' }), 'tr')).toEqual({
      ok: true,
      input: { externalLinkHosts: ['www.trendyol.com', 'www.hepsiburada.com'] },
    });
    expect(settingsChanges(saved, draft({ externalLinkHosts: '' }), 'tr')).toEqual({ ok: true, input: { externalLinkHosts: [] } });
    // The server keeps a set: the same hosts in another order are no change.
    const two = { ...saved, externalLinkHosts: ['n11.com', 'www.trendyol.com'] };
    expect(settingsChanges(two, { ...draftOf(two, 'tr'), externalLinkHosts: 'www.trendyol.com\nN11.com' }, 'tr')).toEqual({ ok: true, input: {} });
  });

  it('tells every problem at its field, the first in the form’s order', () => {
    const bad = draft({
      shippingFee: '',
      cashOnDeliveryFee: '1.000.001',
      bankAccounts: [
        { key: 'a', bank: '', holder: 'x'.repeat(121), iban: 'TR340006100519786457841326' },
        { key: 'b', bank: 'B', holder: 'H', iban: '' },
      ],
      externalLinkHosts: 'trendyol',
    });
    const result = settingsChanges(saved, bad, 'tr');
    expect(result).toEqual({
      ok: false,
      problems: {
        shippingFee: { key: 'error.required' },
        cashOnDeliveryFee: { key: 'amount.tooLarge', params: { max: '1.000.000,00 ₺' } },
        'bankAccounts.0.bank': { key: 'error.required' },
        'bankAccounts.0.holder': { key: 'error.tooLong', params: { max: 120 } },
        'bankAccounts.0.iban': { key: 'error.iban' },
        'bankAccounts.1.iban': { key: 'error.required' },
        externalLinkHosts: { key: 'shop.hostInvalid', params: { line: 1, host: 'trendyol' } },
      },
    });
    expect(result.ok ? null : firstShopProblem(bad, result.problems)).toBe('shippingFee');
    const accountsOnly = draft({ bankAccounts: bad.bankAccounts });
    const second = settingsChanges(saved, accountsOnly, 'tr');
    expect(second.ok ? null : firstShopProblem(accountsOnly, second.problems)).toBe('bankAccounts.0.bank');
  });

  it('refuses more than five accounts', () => {
    const six = Array.from({ length: 6 }, (_, i) => ({ key: String(i), bank: 'B', holder: 'H', iban: IBAN }));
    expect(settingsChanges(saved, draft({ bankAccounts: six }), 'tr')).toEqual({ ok: false, problems: { bankAccounts: { key: 'error.tooManyBankAccounts', params: { max: 5 } } } });
  });
});

describe('shopFieldOfError', () => {
  it('finds the field the server names, an account’s part included', () => {
    expect(shopFieldOfError('input.shippingFee')).toBe('shippingFee');
    expect(shopFieldOfError('input.freeShippingThreshold')).toBe('freeShippingThreshold');
    expect(shopFieldOfError('input.cashOnDeliveryFee')).toBe('cashOnDeliveryFee');
    expect(shopFieldOfError('input.bankAccounts.0.iban')).toBe('bankAccounts.0.iban');
    expect(shopFieldOfError('input.bankAccounts.3.holder')).toBe('bankAccounts.3.holder');
    expect(shopFieldOfError('input.bankAccounts')).toBe('bankAccounts');
    expect(shopFieldOfError('input.externalLinkHosts.4')).toBe('externalLinkHosts');
    expect(shopFieldOfError('input.cashOnDelivery')).toBeNull();
    expect(shopFieldOfError(null)).toBeNull();
  });
});
