import { describe, expect, it } from 'vitest';
import type { AccountAddressFragment } from '../../src/generated/account/graphql';
import { apiErrorFrom } from '../../src/lib/errors';
import {
  addressCard,
  addressFormValues,
  addressInput,
  connectedProvider,
  controlProblem,
  emailChangeErrorField,
  errorField,
  formatPhone,
  identityRows,
  passwordErrorField,
  passwordsDiffer,
  profileInput,
  registerInput,
  secretOf,
  textOf,
  type ControlState,
} from '../../src/widgets/account/logic';

const input = (state: Partial<ControlState>): ControlState => ({
  type: 'text',
  value: '',
  checked: false,
  required: false,
  minLength: -1,
  maxLength: -1,
  ...state,
});

const gql = (code: string, message: string, field?: string) =>
  apiErrorFrom({ message, extensions: { code, ...(field ? { field } : {}) } });

const home: AccountAddressFragment = {
  id: '7',
  title: 'Ev',
  recipientName: 'Ayşe Yılmaz',
  phone: '+905321234567',
  line1: 'Bağdat Cad. No: 5 D: 3',
  line2: null,
  district: 'Kadıköy',
  city: 'İstanbul',
  postalCode: '34710',
  isDefault: true,
};

describe('the browser’s checks of a control', () => {
  it('asks for what is required, in the words of its type', () => {
    expect(controlProblem(input({ required: true, value: '   ' }))).toEqual({ key: 'error.required' });
    expect(controlProblem(input({ type: 'email', required: true }))).toEqual({ key: 'error.emailMissing' });
    expect(controlProblem(input({ type: 'password', required: true }))).toEqual({ key: 'password.missing' });
    expect(controlProblem(input({ type: 'checkbox', required: true }))).toEqual({ key: 'account.checkRequired' });
    expect(controlProblem(input({ type: 'checkbox', required: true, checked: true }))).toBeNull();
    expect(controlProblem(input({ type: 'select-one', required: true, value: '' }))).toEqual({ key: 'account.chooseOne' });
    expect(controlProblem(input({ type: 'select-one', required: true, value: 'İzmir' }))).toBeNull();
  });

  it('lets an optional control stay empty', () => {
    expect(controlProblem(input({ type: 'tel', minLength: 10 }))).toBeNull();
    expect(controlProblem(input({ type: 'checkbox' }))).toBeNull();
    expect(controlProblem(input({ type: 'password' }))).toBeNull();
  });

  it('checks an e-mail address loosely (the server has the last word)', () => {
    expect(controlProblem(input({ type: 'email', value: 'ayse@ornek' }))).toBeNull();
    expect(controlProblem(input({ type: 'email', value: 'ayse ornek.com' }))).toEqual({ key: 'error.invalidEmail' });
  });

  it('checks minlength and maxlength in characters, as the server counts', () => {
    expect(controlProblem(input({ value: '3471', minLength: 5 }))).toEqual({ key: 'account.tooShort', params: { min: 5 } });
    expect(controlProblem(input({ value: ' 34710 ', minLength: 5, maxLength: 5 }))).toBeNull();
    expect(controlProblem(input({ value: 'ğ'.repeat(41), maxLength: 40 }))).toEqual({ key: 'error.tooLong', params: { max: 40 } });
    // Four emoji: eight UTF-16 units, four characters.
    expect(controlProblem(input({ type: 'password', value: '🔒🔑🗝🔐', minLength: 8 }))).toEqual({ key: 'password.tooShort', params: { min: 8 } });
  });

  it('takes a password as typed: its spaces count', () => {
    expect(controlProblem(input({ type: 'password', required: true, value: '        ' }))).toBeNull();
    expect(controlProblem(input({ type: 'password', value: 'a'.repeat(129) }))).toEqual({ key: 'password.tooLong', params: { max: 128 } });
  });
});

describe('where a server error goes', () => {
  it('to the control the error names, without input.', () => {
    expect(errorField('input.postalCode')).toBe('postalCode');
    expect(errorField('email')).toBe('email');
    expect(errorField('input.')).toBeNull();
    expect(errorField(null)).toBeNull();
  });

  it('in a password form, by what the server said when it names no field', () => {
    const names = { current: 'currentPassword', next: 'newPassword' };
    expect(passwordErrorField(gql('BAD_USER_INPUT', 'The current password is wrong.'), names)).toBe('currentPassword');
    expect(passwordErrorField(gql('BAD_USER_INPUT', 'This password is among the most commonly used ones; choose another.'), names)).toBe('newPassword');
    expect(passwordErrorField(gql('BAD_USER_INPUT', 'The password must be at least 8 characters long.'), names)).toBe('newPassword');
    expect(passwordErrorField(gql('BAD_USER_INPUT', 'The new password must differ from the current one.'), names)).toBe('newPassword');
    // The reset form has no current password; throttling and the rest go to the form's message.
    expect(passwordErrorField(gql('BAD_USER_INPUT', 'The current password is wrong.'), { next: 'newPassword' })).toBeNull();
    expect(passwordErrorField(gql('RATE_LIMITED', 'Too many attempts. Try again in 15 minute(s).'), names)).toBeNull();
    expect(passwordErrorField(gql('BAD_USER_INPUT', 'Something new.'), names)).toBeNull();
    expect(passwordErrorField(new Error('boom'), names)).toBeNull();
  });

  it('in the e-mail change form, a refused address at the address and a wrong password at the password', () => {
    const names = { email: 'newEmail', current: 'currentPassword' };
    expect(emailChangeErrorField(gql('BAD_USER_INPUT', 'That is already your e-mail address.'), names)).toBe('newEmail');
    expect(emailChangeErrorField(gql('BAD_USER_INPUT', 'That is not a valid e-mail address.'), names)).toBe('newEmail');
    expect(emailChangeErrorField(gql('BAD_USER_INPUT', 'The current password is wrong.'), names)).toBe('currentPassword');
    // No new password here: the policy's words are not the current password's.
    expect(emailChangeErrorField(gql('BAD_USER_INPUT', 'The password must be at least 8 characters long.'), names)).toBeNull();
    expect(emailChangeErrorField(gql('RATE_LIMITED', 'Too many attempts. Try again in 15 minute(s).'), names)).toBeNull();
    expect(emailChangeErrorField(gql('BAD_USER_INPUT', 'Something new.'), names)).toBeNull();
    expect(emailChangeErrorField(new Error('boom'), names)).toBeNull();
  });
});

describe('a form’s values as variables', () => {
  it('trims text but never a password', () => {
    expect(textOf({ email: ' ayse@ornek.com ' }, 'email')).toBe('ayse@ornek.com');
    expect(secretOf({ password: ' gizli parola ' }, 'password')).toBe(' gizli parola ');
    expect(textOf({ marketingOptIn: true }, 'marketingOptIn')).toBe('');
    expect(textOf({}, 'missing')).toBe('');
  });

  it('signs up with both consents as booleans and the page’s language for the e-mails', () => {
    const values = { name: ' Ayşe ', email: 'ayse@ornek.com', password: 'uzun bir parola', acceptTerms: true, marketingOptIn: false };
    expect(registerInput(values, 'tr')).toEqual({
      name: 'Ayşe',
      email: 'ayse@ornek.com',
      password: 'uzun bir parola',
      acceptTerms: true,
      marketingOptIn: false,
      locale: 'TR',
    });
    expect(registerInput({}, 'en')).toMatchObject({ acceptTerms: false, marketingOptIn: false, locale: 'EN' });
  });

  it('clears the phone with null when it is left empty', () => {
    expect(profileInput({ name: 'Ayşe', phone: '  ', marketingOptIn: true })).toStrictEqual({ name: 'Ayşe', phone: null, marketingOptIn: true });
    expect(profileInput({ name: 'Ayşe', phone: '0532 123 45 67', marketingOptIn: false }).phone).toBe('0532 123 45 67');
  });

  it('sends the e-mails’ language when it is one the schema knows, else leaves it as it is', () => {
    expect(profileInput({ name: 'Ayşe', phone: '', marketingOptIn: false, locale: 'EN' })).toEqual({
      name: 'Ayşe',
      phone: null,
      marketingOptIn: false,
      locale: 'EN',
    });
    expect(profileInput({ name: 'Ayşe', locale: 'TR' }).locale).toBe('TR');
    expect(profileInput({ name: 'Ayşe', locale: 'de' })).not.toHaveProperty('locale');
    expect(profileInput({ name: 'Ayşe', locale: '' })).not.toHaveProperty('locale');
    expect(profileInput({ name: 'Ayşe' })).not.toHaveProperty('locale');
  });

  it('sends an address without an empty second line, and without the id', () => {
    const values = {
      id: '7',
      title: 'Ev ',
      recipientName: 'Ayşe Yılmaz',
      phone: '0532 123 45 67',
      line1: 'Bağdat Cad. No: 5',
      line2: ' ',
      district: 'Kadıköy',
      city: 'İstanbul',
      postalCode: '34710',
      isDefault: true,
    };
    expect(addressInput(values)).toEqual({
      title: 'Ev',
      recipientName: 'Ayşe Yılmaz',
      phone: '0532 123 45 67',
      line1: 'Bağdat Cad. No: 5',
      line2: null,
      district: 'Kadıköy',
      city: 'İstanbul',
      postalCode: '34710',
      isDefault: true,
    });
    expect(addressInput({ ...values, line2: 'Kat 3' }).line2).toBe('Kat 3');
  });

  it('finds a repetition that differs, at the repetition', () => {
    expect(passwordsDiffer({ newPassword: 'uzun bir parola', newPasswordAgain: 'uzun bir parola' }, 'newPassword', 'newPasswordAgain')).toEqual([]);
    expect(passwordsDiffer({ newPassword: 'uzun bir parola', newPasswordAgain: 'uzun bir parola ' }, 'newPassword', 'newPasswordAgain')).toEqual([
      { name: 'newPasswordAgain', problem: { key: 'password.mismatch' } },
    ]);
  });
});

describe('addresses', () => {
  it('writes a stored phone number as people write it', () => {
    expect(formatPhone('+905321234567')).toBe('0532 123 45 67');
    expect(formatPhone('+902125551234')).toBe('0212 555 12 34');
    expect(formatPhone('+12125551234')).toBe('+12125551234');
  });

  it('shows the default address with its badge and without "Varsayılan yap"', () => {
    const card = addressCard(home, 'tr');
    expect(card.title).toBe('Ev');
    expect(card.badge).toBe('Varsayılan');
    expect(card.lines).toEqual(['Ayşe Yılmaz', '0532 123 45 67', 'Bağdat Cad. No: 5 D: 3', 'Kadıköy / İstanbul 34710']);
    expect(card.buttons).toEqual([
      { action: 'edit', text: 'Düzenle', label: 'Düzenle: Ev' },
      { action: 'delete', text: 'Sil', label: 'Sil: Ev' },
    ]);
  });

  it('offers to make another address the default, and shows its second line', () => {
    const work = { ...home, id: '8', title: 'İş', line2: 'Kat 4', isDefault: false };
    const card = addressCard(work, 'en');
    expect(card.badge).toBeNull();
    expect(card.lines).toContain('Kat 4');
    expect(card.buttons.map((b) => b.label)).toEqual(['Edit: İş', 'Make default: İş', 'Delete: İş']);
  });

  it('fills the form to edit an address', () => {
    expect(addressFormValues(home)).toMatchObject({ id: '7', phone: '0532 123 45 67', line2: '', city: 'İstanbul', isDefault: true });
  });
});

describe('connected accounts', () => {
  it('offers each provider the site has, connected or not', () => {
    const rows = identityRows('google,facebook', [{ provider: 'GOOGLE', email: 'ayse@gmail.com' }]);
    expect(rows).toEqual([
      { provider: 'GOOGLE', name: 'Google', email: 'ayse@gmail.com', connectHref: '/auth/google/start?return=%2Fhesap&baglan=1' },
      { provider: 'FACEBOOK', name: 'Facebook', email: null, connectHref: '/auth/facebook/start?return=%2Fhesap&baglan=1' },
    ]);
  });

  it('keeps a connection the site no longer offers (it can still be removed), and nothing else', () => {
    expect(identityRows('', [])).toEqual([]);
    expect(identityRows(' Google , twitter', [])).toEqual([{ provider: 'GOOGLE', name: 'Google', email: null, connectHref: '/auth/google/start?return=%2Fhesap&baglan=1' }]);
    expect(identityRows('google', [{ provider: 'FACEBOOK', email: null }])).toEqual([
      { provider: 'GOOGLE', name: 'Google', email: null, connectHref: '/auth/google/start?return=%2Fhesap&baglan=1' },
      { provider: 'FACEBOOK', name: 'Facebook', email: '', connectHref: null },
    ]);
  });

  it('reads the connection just made from the address, and leaves the rest of the query', () => {
    expect(connectedProvider('?baglandi=google')).toEqual({ name: 'Google', search: '' });
    expect(connectedProvider('?a=1&baglandi=facebook')).toEqual({ name: 'Facebook', search: '?a=1' });
    expect(connectedProvider('?baglandi=myspace')).toBeNull();
    expect(connectedProvider('')).toBeNull();
  });
});
