/** Client-side checks before a request (the server has the last word). */
import { charCount } from './format';

/** Loosely an e-mail address: something@something, no spaces. */
export function looksLikeEmail(value: string): boolean {
  return /^[^\s@]+@[^\s@]+$/.test(value.trim());
}

/** The longest display name the server accepts. */
export const NAME_MAX = 100;

export function nameTooLong(name: string): boolean {
  return charCount(name.trim()) > NAME_MAX;
}
