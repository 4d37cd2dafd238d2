import { describe, expect, it } from 'vitest';
import { interpolate, isLang, langFromLocale, localeFromLang, lookup, translate } from '../../src/lib/i18n';
import { en } from '../../src/lib/messages/en';
import { tr } from '../../src/lib/messages/tr';

describe('lookup', () => {
  const dictionaries = {
    tr: { hello: 'Merhaba {name}', onlyTr: 'Yalnızca Türkçe' },
    en: { hello: 'Hello {name}' },
  };

  it('finds a text in the chosen language', () => {
    expect(lookup(dictionaries, 'en', 'hello', { name: 'Ayşe' })).toBe('Hello Ayşe');
    expect(lookup(dictionaries, 'tr', 'hello', { name: 'Ayşe' })).toBe('Merhaba Ayşe');
  });

  it('falls back to Turkish when English lacks the text', () => {
    expect(lookup(dictionaries, 'en', 'onlyTr')).toBe('Yalnızca Türkçe');
  });

  it('shows the key when no language has it', () => {
    expect(lookup(dictionaries, 'en', 'missing.key')).toBe('missing.key');
  });
});

describe('interpolate', () => {
  it('fills placeholders and leaves unknown ones alone', () => {
    expect(interpolate('{a} ve {b}', { a: 1, b: 'iki' })).toBe('1 ve iki');
    expect(interpolate('{a} ve {c}', { a: 1 })).toBe('1 ve {c}');
    expect(interpolate('sabit')).toBe('sabit');
  });
});

describe('the dashboard texts', () => {
  it('are Turkish by default, with the usual words', () => {
    expect(translate('tr', 'login.submit')).toBe('Giriş yap');
    expect(translate('tr', 'login.forgot')).toBe('Parolamı unuttum');
    expect(translate('tr', 'login.email')).toBe('E-posta');
    expect(translate('tr', 'login.password')).toBe('Parola');
    expect(translate('tr', 'auth.signOut')).toBe('Çıkış yap');
    expect(translate('tr', 'nav.profile')).toBe('Profil');
    expect(translate('tr', 'common.save')).toBe('Kaydet');
    expect(translate('tr', 'common.saved')).toBe('Değişiklikler kaydedildi.');
  });

  it('exist in English for every Turkish text, with the same placeholders', () => {
    const missing = Object.keys(tr).filter((key) => !(key in en));
    expect(missing).toEqual([]);
    for (const [key, text] of Object.entries(tr)) {
      const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(placeholders(en[key as keyof typeof tr] ?? ''), key).toEqual(placeholders(text));
    }
  });

  it('have no English texts without a Turkish original', () => {
    expect(Object.keys(en).filter((key) => !(key in tr))).toEqual([]);
  });
});

describe('languages and locales', () => {
  it('map both ways', () => {
    expect(langFromLocale('TR')).toBe('tr');
    expect(langFromLocale('EN')).toBe('en');
    expect(localeFromLang('tr')).toBe('TR');
    expect(localeFromLang('en')).toBe('EN');
    expect(isLang('en')).toBe(true);
    expect(isLang('de')).toBe(false);
    expect(isLang(null)).toBe(false);
  });
});
