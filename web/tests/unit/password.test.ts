import { describe, expect, it } from 'vitest';
import { PASSWORD_MAX, PASSWORD_MIN, passwordFeedback, passwordProblem } from '../../src/lib/password';

describe('passwordFeedback', () => {
  it('follows the server: 8 to 128 characters', () => {
    expect(PASSWORD_MIN).toBe(8);
    expect(PASSWORD_MAX).toBe(128);
    expect(passwordFeedback('1234567')).toMatchObject({ length: 7, tooShort: true, lengthOk: false, ok: false });
    expect(passwordFeedback('12345678')).toMatchObject({ length: 8, tooShort: false, lengthOk: true, ok: true });
    expect(passwordFeedback('a'.repeat(128)).ok).toBe(true);
    expect(passwordFeedback('a'.repeat(129))).toMatchObject({ tooLong: true, ok: false });
  });

  it('has no composition rules: a plain lowercase sentence passes', () => {
    expect(passwordFeedback('kirmizi bisiklet').ok).toBe(true);
    expect(passwordFeedback('çok gizli bir parola').ok).toBe(true);
  });

  it('counts characters, not UTF-16 code units', () => {
    // Four emoji are 8 UTF-16 units but 4 characters: too short for the server.
    expect(passwordFeedback('🔒🔑🗝🔐').length).toBe(4);
    expect(passwordFeedback('🔒🔑🗝🔐').tooShort).toBe(true);
    expect(passwordFeedback('ğğğğğğğğ').ok).toBe(true);
  });

  it('asks for more when the page does (its minlength)', () => {
    expect(passwordFeedback('a'.repeat(11), undefined, 12)).toMatchObject({ tooShort: true, lengthOk: false });
    expect(passwordFeedback('a'.repeat(12), undefined, 12).ok).toBe(true);
  });

  it('checks the repetition only once it is typed', () => {
    expect(passwordFeedback('uzun bir parola', '').matches).toBeNull();
    expect(passwordFeedback('uzun bir parola', 'uzun bir').matches).toBe(false);
    expect(passwordFeedback('uzun bir parola', 'uzun bir').ok).toBe(false);
    expect(passwordFeedback('uzun bir parola', 'uzun bir parola')).toMatchObject({ matches: true, ok: true });
  });
});

describe('passwordProblem', () => {
  it('names the first problem to report on submit', () => {
    expect(passwordProblem('')).toBe('password.missing');
    expect(passwordProblem('kısa')).toBe('password.tooShort');
    expect(passwordProblem('x'.repeat(200))).toBe('password.tooLong');
    expect(passwordProblem('uzun bir parola', 'başka')).toBe('password.mismatch');
    expect(passwordProblem('uzun bir parola', 'uzun bir parola')).toBeNull();
    expect(passwordProblem('uzun bir parola')).toBeNull();
  });
});
