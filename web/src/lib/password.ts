/**
 * The password policy, mirrored from the server for live feedback: 8 to 128 characters,
 * no composition rules. Only the server knows the list of common passwords it refuses.
 */
import { charCount } from './format';

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

export interface PasswordFeedback {
  /** Characters as the server counts them. */
  length: number;
  tooShort: boolean;
  tooLong: boolean;
  /** Within 8–128 characters. */
  lengthOk: boolean;
  /** Whether the repetition matches; null while it is still empty. */
  matches: boolean | null;
  /** Acceptable as far as the client can tell. */
  ok: boolean;
}

/** `min`: a page may ask for more than the server's least (its input's `minlength`). */
export function passwordFeedback(password: string, repeat?: string, min = PASSWORD_MIN): PasswordFeedback {
  const length = charCount(password);
  const tooShort = length < min;
  const tooLong = length > PASSWORD_MAX;
  const lengthOk = !tooShort && !tooLong;
  const matches = repeat === undefined || repeat === '' ? null : repeat === password;
  const ok = lengthOk && (repeat === undefined || matches === true);
  return { length, tooShort, tooLong, lengthOk, matches, ok };
}

/** The first problem to report when a form is submitted, as a message key. */
export type PasswordProblem = 'password.missing' | 'password.tooShort' | 'password.tooLong' | 'password.mismatch';

export function passwordProblem(password: string, repeat?: string): PasswordProblem | null {
  if (password === '') return 'password.missing';
  const f = passwordFeedback(password, repeat);
  if (f.tooShort) return 'password.tooShort';
  if (f.tooLong) return 'password.tooLong';
  if (repeat !== undefined && repeat !== password) return 'password.mismatch';
  return null;
}
