/**
 * Texts in Turkish (the default) and English. A text missing in English falls back to
 * Turkish; an unknown key shows as itself. The chosen language is remembered in
 * localStorage and, once signed in, taken from the user's `locale`.
 */
import type { Locale } from '../generated/graphql';
import { en } from './messages/en';
import { tr, type MessageKey } from './messages/tr';
import { createStore } from './store';

export type { MessageKey };
export type Lang = 'tr' | 'en';
export type Params = Record<string, string | number>;
export type Dictionary = Partial<Record<string, string>>;

export const LANGS: readonly Lang[] = ['tr', 'en'];
export const DEFAULT_LANG: Lang = 'tr';
export const STORAGE_KEY = 'vitrin.lang';

const DICTIONARIES: Record<Lang, Dictionary> = { tr, en };

/** Fills `{name}` placeholders; unknown placeholders stay as they are. */
export function interpolate(template: string, params?: Params): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  );
}

/** Looks a text up in `lang`, then in Turkish, then gives the key back. */
export function lookup(
  dictionaries: Partial<Record<Lang, Dictionary>>,
  lang: Lang,
  key: string,
  params?: Params,
): string {
  const template = dictionaries[lang]?.[key] ?? dictionaries[DEFAULT_LANG]?.[key] ?? key;
  return interpolate(template, params);
}

/** A dashboard text in `lang`. */
export function translate(lang: Lang, key: MessageKey, params?: Params): string {
  return lookup(DICTIONARIES, lang, key, params);
}

export function isLang(value: unknown): value is Lang {
  return value === 'tr' || value === 'en';
}

/** The language of a user's GraphQL `locale`. */
export function langFromLocale(locale: Locale): Lang {
  return locale === 'EN' ? 'en' : 'tr';
}

/** The GraphQL `locale` of a language. */
export function localeFromLang(lang: Lang): Locale {
  return lang === 'en' ? 'EN' : 'TR';
}

function storedLang(): Lang {
  try {
    const value = globalThis.localStorage?.getItem(STORAGE_KEY);
    return isLang(value) ? value : DEFAULT_LANG;
  } catch {
    return DEFAULT_LANG;
  }
}

/** The current language. */
export const language = createStore<Lang>(storedLang());

/** Switches the language, remembers it and marks up the document. */
export function setLanguage(lang: Lang): void {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, lang);
  } catch {
    // Storage may be unavailable (private windows): the choice then lasts for this page.
  }
  language.set(lang);
  applyDocumentLanguage(lang);
}

export function applyDocumentLanguage(lang: Lang): void {
  if (typeof document !== 'undefined') document.documentElement.lang = lang;
}

/** A dashboard text in the current language. */
export function t(key: MessageKey, params?: Params): string {
  return translate(language.get(), key, params);
}
