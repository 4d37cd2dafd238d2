/**
 * The storefront's customer account pages (`/hesap/…`), served as /widgets/account.js.
 * The server renders each page whole, fields and words included, inside
 * `<div class="account" data-account-page="…" data-providers="google,facebook">`; this
 * script makes its forms talk to the GraphQL API (JSON, the session in an HttpOnly
 * cookie), fills the signed-in parts and announces what happened in `.sr-status`.
 * Plain DOM: no framework, nothing inline (the pages' CSP allows neither).
 */
import {
  AccountAddressesDocument,
  AccountChangePasswordDocument,
  AccountConfirmEmailDocument,
  AccountConnectPendingDocument,
  AccountCreateAddressDocument,
  AccountDeleteAddressDocument,
  AccountDeleteDocument,
  AccountDisconnectDocument,
  AccountLoginDocument,
  AccountLogoutDocument,
  AccountProfileDocument,
  AccountRegisterDocument,
  AccountRequestEmailChangeDocument,
  AccountRequestResetDocument,
  AccountResendVerificationDocument,
  AccountResetPasswordDocument,
  AccountSetDefaultAddressDocument,
  AccountUpdateAddressDocument,
  AccountUpdateProfileDocument,
  AccountVerifyEmailDocument,
  type AccountAddressFragment,
  type IdentityProvider,
  type Locale,
} from '../generated/account/graphql';
import { errorMessage, isInvalidLink, isSessionEnded } from '../lib/errors';
import { takeFragmentParam } from '../lib/fragment';
import { createClient, type Operation } from '../lib/graphql';
import { translate, type Lang, type MessageKey, type Params } from '../lib/i18n';
import { PASSWORD_MAX, PASSWORD_MIN, passwordFeedback } from '../lib/password';
import { sanitizeReturn } from '../lib/redirect';
import { alertAfter, clearErrors, conceal, fillForm, leave, onSubmit, reveal, setAlert, showFormMessage, whileBusy } from './account/dom';
import {
  addressCard,
  addressFormValues,
  addressInput,
  connectedProvider,
  emailChangeErrorField,
  formatPhone,
  identityRows,
  passwordErrorField,
  passwordsDiffer,
  profileInput,
  registerInput,
  secretOf,
  textOf,
} from './account/logic';

const request = createClient();

interface Page {
  root: HTMLElement;
  lang: Lang;
  t(key: MessageKey, params?: Params): string;
  /** Tells assistive technology (through `.sr-status`) what just happened. */
  say(text: string): void;
  find<T extends HTMLElement = HTMLElement>(selector: string): T | null;
  form(action: string): HTMLFormElement | null;
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, text = '', className = ''): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (text) el.textContent = text;
  if (className) el.className = className;
  return el;
}

function announcer(region: HTMLElement | null): (text: string) => void {
  let timer = 0;
  return (text) => {
    if (!region) return;
    // Emptied first, so that the same words again (a second save) are announced again.
    region.textContent = '';
    window.clearTimeout(timer);
    timer = window.setTimeout(() => {
      region.textContent = text;
    }, 100);
  };
}

/** Hides the form and shows (and focuses) the page's `[data-success]`. */
function succeed(page: Page, form: HTMLFormElement): void {
  conceal(form);
  reveal(page.find('[data-success]'), true);
}

/** Shows `[data-failure]` with `text` in its `[data-failure-text]`. */
function fail(page: Page, text: string, focus: boolean): void {
  const words = page.find('[data-failure-text]');
  if (words) words.textContent = text;
  reveal(page.find('[data-failure]'), focus);
}

/**
 * Live feedback on the length of a new password under its field, as the dashboard gives.
 * The page's `minlength` rules when it asks for more than the server's least.
 */
function passwordPolicy(page: Page, form: HTMLFormElement, name: string): void {
  const input = form.querySelector<HTMLInputElement>(`input[name="${name}"]`);
  if (!input) return;
  const min = input.minLength > 0 ? input.minLength : PASSWORD_MIN;
  const rule = element('p', '', 'field-hint password-policy');
  rule.id = `${input.id || name}-policy`;
  const words = element('span');
  const state = element('span', '', 'visually-hidden');
  rule.append(words, state);
  const slot = input.closest('.field')?.querySelector('.field-error');
  if (slot) slot.before(rule);
  else input.after(rule);
  input.setAttribute('aria-describedby', `${input.getAttribute('aria-describedby') ?? ''} ${rule.id}`.trim());
  const update = () => {
    const f = passwordFeedback(input.value, undefined, min);
    words.textContent = page.t('password.ruleLength', { min, max: PASSWORD_MAX, count: f.length });
    state.textContent = `: ${page.t(f.lengthOk ? 'password.ruleMet' : 'password.ruleUnmet')}`;
    rule.classList.toggle('is-met', f.lengthOk);
    rule.classList.toggle('is-unmet', !f.lengthOk);
  };
  input.addEventListener('input', update);
  // After reset() the value is gone without an input event.
  form.addEventListener('reset', () => window.setTimeout(update));
  update();
}

/**
 * The signed-in pages' data, `[data-signed-in]` shown; null when it could not be had (the
 * error shows under the heading). A visitor without a session goes to the sign-in page,
 * asked to come back to `back`: then it never settles, as the page is leaving.
 */
async function signedIn<T extends { me: unknown }>(page: Page, operation: Operation<T, Record<string, never>>, back: string): Promise<T | null> {
  try {
    const data = await request(operation, {});
    if (data.me) {
      reveal(page.find('[data-signed-in]'));
      return data;
    }
  } catch (error) {
    if (!isSessionEnded(error)) {
      setAlert(alertAfter(page.find('h1') ?? page.root), errorMessage(error, page.lang));
      return null;
    }
  }
  // Replaced: going back would only come here again.
  return leave(`/hesap/giris?return=${encodeURIComponent(back)}`, true);
}

function signIn(page: Page): void {
  // Taken at once, so that the token leaves the address bar (and the history) before anything else.
  const pending = takeFragmentParam('baglanti');
  const form = page.form('login');
  if (!form) return;
  onSubmit(
    form,
    page.lang,
    async (values) => {
      await request(AccountLoginDocument, { email: textOf(values, 'email'), password: secretOf(values, 'password') });
      const destination = sanitizeReturn(new URLSearchParams(window.location.search).get('return'), window.location.origin) ?? '/hesap';
      if (pending) {
        try {
          await request(AccountConnectPendingDocument, { token: pending });
        } catch (error) {
          // Signed in all the same; leaving at once would take the message away unread.
          conceal(page.find('[data-connect-notice]'));
          const message = showFormMessage(form, `${errorMessage(error, page.lang)} `);
          const onward = element('a', page.t('account.continue'));
          onward.href = destination;
          message?.append(onward);
          onward.focus();
          return;
        }
      }
      await leave(destination, true);
    },
    { describe: { login: true } },
  );
}

function signUp(page: Page): void {
  const form = page.form('register');
  if (!form) return;
  passwordPolicy(page, form, 'password');
  onSubmit(form, page.lang, async (values) => {
    await request(AccountRegisterDocument, { input: registerInput(values, page.lang) });
    succeed(page, form);
  });
}

/** A page that only opens an e-mail's link: `#token=…` goes to `use`, the outcome is shown. */
/** A page that uses up an e-mailed link; `use` answers the address it was for, shown so
 * that whoever opened someone else's link sees whose account this is. */
function linkPage(page: Page, use: (token: string) => Promise<string>): void {
  const token = takeFragmentParam('token');
  if (!token) {
    fail(page, page.t('error.invalidLink'), false);
    return;
  }
  const pending = page.find('[data-pending]');
  reveal(pending);
  use(token).then(
    (email) => {
      conceal(pending);
      const shown = page.find('[data-success] [data-email]');
      if (shown) shown.textContent = email;
      reveal(page.find('[data-success]'), true);
    },
    (error: unknown) => {
      conceal(pending);
      fail(page, errorMessage(error, page.lang), true);
    },
  );
}

function forgot(page: Page): void {
  const form = page.form('request-reset');
  if (!form) return;
  onSubmit(form, page.lang, async (values) => {
    await request(AccountRequestResetDocument, { email: textOf(values, 'email') });
    succeed(page, form);
  });
}

function reset(page: Page): void {
  const token = takeFragmentParam('token');
  const form = page.form('reset-password');
  if (!token) {
    conceal(form);
    fail(page, page.t('error.invalidLink'), false);
    return;
  }
  if (!form) return;
  passwordPolicy(page, form, 'newPassword');
  onSubmit(
    form,
    page.lang,
    async (values) => {
      try {
        await request(AccountResetPasswordDocument, { token, newPassword: secretOf(values, 'newPassword') });
      } catch (error) {
        if (!isInvalidLink(error)) throw error;
        conceal(form);
        fail(page, errorMessage(error, page.lang), true);
        return;
      }
      succeed(page, form);
    },
    {
      check: (values) => passwordsDiffer(values, 'newPassword', 'newPasswordAgain'),
      field: (error) => passwordErrorField(error, { next: 'newPassword' }),
    },
  );
}

/** A button outside any form: busy while `work` runs; its failure shows in the alert after `anchor`. */
function action(page: Page, button: HTMLButtonElement, anchor: Element, work: () => Promise<void>): Promise<void> {
  const alert = alertAfter(anchor);
  setAlert(alert, '');
  return whileBusy(button, null, () => work().catch((error: unknown) => setAlert(alert, errorMessage(error, page.lang))));
}

async function profile(page: Page): Promise<void> {
  const data = await signedIn(page, AccountProfileDocument, '/hesap');
  if (!data?.me) return;
  const me = data.me;
  const email = page.find('[data-email]');
  if (email) email.textContent = me.email;

  const details = page.form('profile');
  if (details) {
    const show = (user: { name: string; phone: string | null; marketingOptIn: boolean; locale: Locale }) =>
      fillForm(details, { name: user.name, phone: user.phone ? formatPhone(user.phone) : '', marketingOptIn: user.marketingOptIn, locale: user.locale });
    show(me);
    onSubmit(details, page.lang, async (values) => {
      const { updateProfile } = await request(AccountUpdateProfileDocument, { input: profileInput(values) });
      show(updateProfile);
      page.say(page.t('account.profileSaved'));
    });
  }

  if (!me.emailVerified) {
    const unverified = page.find('[data-unverified]');
    reveal(unverified);
    const resend = unverified?.querySelector<HTMLButtonElement>('[data-action="resend-verification"]');
    resend?.addEventListener('click', () =>
      action(page, resend, resend, async () => {
        await request(AccountResendVerificationDocument, {});
        page.say(page.t('account.verificationSent'));
      }),
    );
  }

  const password = page.form('change-password');
  if (password && !me.hasPassword) {
    conceal(password);
    reveal(page.find('[data-no-password]'));
  } else if (password) {
    passwordPolicy(page, password, 'newPassword');
    onSubmit(
      password,
      page.lang,
      async (values) => {
        await request(AccountChangePasswordDocument, {
          currentPassword: secretOf(values, 'currentPassword'),
          newPassword: secretOf(values, 'newPassword'),
        });
        password.reset();
        page.say(page.t('account.passwordChanged'));
      },
      { field: (error) => passwordErrorField(error, { current: 'currentPassword', next: 'newPassword' }) },
    );
  }

  const emailChange = page.form('change-email');
  if (emailChange && !me.hasPassword) {
    // The change is confirmed with the password, which such an account has yet to set.
    conceal(emailChange);
    reveal(page.find('[data-email-no-password]'));
  } else if (emailChange) {
    const sent = page.find('[data-email-success]');
    onSubmit(
      emailChange,
      page.lang,
      async (values) => {
        conceal(sent);
        const newEmail = textOf(values, 'newEmail');
        await request(AccountRequestEmailChangeDocument, { newEmail, currentPassword: secretOf(values, 'currentPassword') });
        emailChange.reset();
        const text = page.t('account.emailChangeSent', { email: newEmail });
        if (sent) sent.textContent = text;
        reveal(sent);
        page.say(text);
      },
      { field: (error) => emailChangeErrorField(error, { email: 'newEmail', current: 'currentPassword' }) },
    );
  }

  const list = page.find('[data-identities]');
  if (list) identities(page, list, data.myIdentities);
  const connected = connectedProvider(window.location.search);
  if (connected) {
    window.history.replaceState(window.history.state, '', window.location.pathname + connected.search + window.location.hash);
    page.say(page.t('account.connectedDone', { provider: connected.name }));
  }

  const logout = page.find<HTMLButtonElement>('[data-action="logout"]');
  logout?.addEventListener('click', () =>
    action(page, logout, logout, async () => {
      await request(AccountLogoutDocument, {});
      await leave('/hesap/giris');
    }),
  );

  const erase = page.form('delete-account');
  if (erase) {
    // Without a password the server takes a recent sign-in instead (and "" for the password).
    const confirmWith = erase.querySelector<HTMLInputElement>('input[name="currentPassword"]');
    if (confirmWith && !me.hasPassword) {
      confirmWith.required = false;
      conceal(confirmWith.closest('.field'));
    }
    onSubmit(
      erase,
      page.lang,
      async (values) => {
        await request(AccountDeleteDocument, { currentPassword: secretOf(values, 'currentPassword') });
        await leave('/urunler', true);
      },
      { field: (error) => passwordErrorField(error, { current: 'currentPassword' }) },
    );
  }
}

/** The connected accounts: one row per provider, connected (with a button) or not (with a link). */
function identities(page: Page, list: HTMLElement, connected: Array<{ provider: IdentityProvider; email: string | null }>): void {
  const offered = page.root.dataset.providers ?? '';
  let rows = identityRows(offered, connected);
  const render = () => {
    rows = identityRows(offered, connected);
    list.replaceChildren(
      ...rows.map((row) => {
        const item = element('li');
        item.dataset.provider = row.provider;
        item.append(element('strong', row.name), ' ');
        if (row.email !== null) {
          item.append(element('span', row.email ? page.t('account.connectedAs', { email: row.email }) : page.t('account.connectedBare')), ' ');
          const button = element('button', page.t('account.disconnect'), 'button button-secondary');
          button.type = 'button';
          button.dataset.action = 'disconnect';
          button.dataset.provider = row.provider;
          button.setAttribute('aria-label', page.t('account.disconnectLabel', { provider: row.name }));
          item.append(button);
        } else if (row.connectHref) {
          const link = element('a', page.t('account.connect', { provider: row.name }));
          link.href = row.connectHref;
          item.append(link);
        }
        return item;
      }),
    );
    // Nothing to connect and nothing connected: the section would be a heading over nothing.
    const section = list.closest('section');
    if (section) section.hidden = rows.length === 0;
  };
  render();
  list.addEventListener('click', (event) => {
    const button = event.target instanceof Element ? event.target.closest<HTMLButtonElement>('button[data-action="disconnect"]') : null;
    const provider = button?.dataset.provider as IdentityProvider | undefined;
    if (!button || !provider) return;
    const name = rows.find((r) => r.provider === provider)?.name ?? provider;
    void action(page, button, list, async () => {
      await request(AccountDisconnectDocument, { provider });
      connected.splice(0, connected.length, ...connected.filter((i) => i.provider !== provider));
      render();
      // The button is gone: the focus goes to the link that replaced it.
      list.querySelector<HTMLElement>(`li[data-provider="${provider}"] a`)?.focus();
      page.say(page.t('account.disconnectedDone', { provider: name }));
    });
  });
}

/** A modal question with "Vazgeç" (focused first, and what Esc means) and a confirming button. */
function confirmer(page: Page): (title: string, text: string, confirm: string) => Promise<boolean> {
  const dialog = element('dialog', '', 'account-dialog');
  const heading = element('h2');
  heading.id = 'account-dialog-title';
  dialog.setAttribute('aria-labelledby', heading.id);
  const words = element('p');
  const buttons = element('form');
  buttons.method = 'dialog';
  const cancel = element('button', page.t('common.cancel'), 'button button-secondary');
  cancel.value = 'cancel';
  const yes = element('button', '', 'button');
  yes.value = 'confirm';
  buttons.append(cancel, ' ', yes);
  dialog.append(heading, words, buttons);
  page.root.append(dialog);
  return (title, text, confirm) => {
    heading.textContent = title;
    words.textContent = text;
    yes.textContent = confirm;
    dialog.returnValue = '';
    dialog.showModal();
    return new Promise((resolve) => dialog.addEventListener('close', () => resolve(dialog.returnValue === 'confirm'), { once: true }));
  };
}

async function addresses(page: Page): Promise<void> {
  const data = await signedIn(page, AccountAddressesDocument, '/hesap/adresler');
  const list = page.find('[data-address-list]');
  const form = page.form('address');
  if (!data || !list || !form) return;
  let shown: AccountAddressFragment[] = data.myAddresses;
  const empty = page.find('[data-empty]');
  const formTitle = page.find('[data-form-title]');
  const newTitle = formTitle?.textContent ?? '';
  const cancel = form.querySelector<HTMLButtonElement>('[data-action="cancel-edit"]');
  const ask = confirmer(page);

  const card = (address: AccountAddressFragment) => {
    const c = addressCard(address, page.lang);
    const item = element('li', '', 'address-card');
    item.dataset.addressId = address.id;
    const heading = element('h2', c.title);
    if (c.badge) heading.append(' ', element('span', c.badge, 'badge'));
    const lines = element('p');
    c.lines.forEach((line, i) => {
      if (i > 0) lines.append(element('br'));
      lines.append(line);
    });
    const actions = element('div', '', 'address-actions');
    for (const b of c.buttons) {
      const button = element('button', b.text, b.action === 'edit' ? 'button' : 'button button-secondary');
      button.type = 'button';
      button.dataset.action = b.action;
      button.setAttribute('aria-label', b.label);
      actions.append(button, ' ');
    }
    item.append(heading, lines, actions);
    return item;
  };
  const render = () => {
    list.replaceChildren(...shown.map(card));
    if (empty) empty.hidden = shown.length > 0;
  };
  const reload = async () => {
    shown = (await request(AccountAddressesDocument, {})).myAddresses;
    render();
  };
  /** The card's first button (its "Düzenle"), else the empty list's words. */
  const focusCard = (index: number) => {
    const target = list.querySelectorAll<HTMLElement>('li.address-card')[Math.min(index, shown.length - 1)]?.querySelector<HTMLElement>('button');
    if (target) target.focus();
    else if (empty) {
      empty.tabIndex = -1;
      empty.focus();
    }
  };
  render();

  let editing: string | null = null;
  const endEdit = () => {
    clearErrors(form);
    form.reset();
    // reset() leaves a hidden input's value as it was set.
    fillForm(form, { id: '' });
    if (formTitle) formTitle.textContent = newTitle;
    conceal(cancel);
    editing = null;
  };
  const startEdit = (address: AccountAddressFragment) => {
    endEdit();
    fillForm(form, addressFormValues(address));
    editing = address.id;
    if (formTitle) formTitle.textContent = page.t('account.editTitle');
    reveal(cancel);
    form.querySelector<HTMLElement>('input:not([type="hidden"]), select')?.focus();
  };
  cancel?.addEventListener('click', () => {
    const was = shown.findIndex((a) => a.id === editing);
    endEdit();
    if (was >= 0) focusCard(was);
  });

  list.addEventListener('click', (event) => {
    const button = event.target instanceof Element ? event.target.closest<HTMLButtonElement>('button[data-action]') : null;
    const id = button?.closest<HTMLElement>('li[data-address-id]')?.dataset.addressId;
    const index = shown.findIndex((a) => a.id === id);
    const address = shown[index];
    if (!button || !address) return;
    const { title } = address;
    switch (button.dataset.action) {
      case 'edit':
        startEdit(address);
        break;
      case 'make-default':
        void action(page, button, list, async () => {
          await request(AccountSetDefaultAddressDocument, { id: address.id });
          await reload();
          // The default comes first now.
          focusCard(shown.findIndex((a) => a.id === address.id));
          page.say(page.t('account.addressDefault', { title }));
        });
        break;
      case 'delete':
        void ask(page.t('account.deleteTitle'), page.t('account.deleteText', { title }), page.t('account.deleteConfirm')).then(async (yes) => {
          if (!yes) return;
          await action(page, button, list, async () => {
            await request(AccountDeleteAddressDocument, { id: address.id });
            if (editing === address.id) endEdit();
            await reload();
            focusCard(index);
            page.say(page.t('account.addressDeleted', { title }));
          });
        });
        break;
    }
  });

  onSubmit(form, page.lang, async (values) => {
    const input = addressInput(values);
    const id = textOf(values, 'id');
    if (id) await request(AccountUpdateAddressDocument, { id, input });
    else await request(AccountCreateAddressDocument, { input });
    endEdit();
    page.say(page.t('account.addressSaved'));
    const alert = alertAfter(list);
    setAlert(alert, '');
    // Saved already: a failure to show the list again is not the form's.
    await reload().catch((error: unknown) => setAlert(alert, errorMessage(error, page.lang)));
  });
}

const PAGES: Record<string, (page: Page) => void | Promise<void>> = {
  'sign-in': signIn,
  'sign-up': signUp,
  verify: (page) => linkPage(page, async (token) => (await request(AccountVerifyEmailDocument, { token })).verifyEmail.user.email),
  forgot,
  reset,
  'confirm-email': (page) => linkPage(page, async (token) => (await request(AccountConfirmEmailDocument, { token })).confirmEmailChange.email),
  profile,
  addresses,
};

// A module script runs once the document is parsed: the page's elements are all there.
const root = document.querySelector<HTMLElement>('.account[data-account-page]');
if (root) {
  // Not the stats widget's parseLang: sharing a module would split the widgets into chunks.
  const lang: Lang = /^en\b/i.test(document.documentElement.lang) ? 'en' : 'tr';
  const page: Page = {
    root,
    lang,
    t: (key, params) => translate(lang, key, params),
    say: announcer(root.querySelector<HTMLElement>('.sr-status')),
    find: (selector) => root.querySelector(selector),
    form: (action) => root.querySelector(`form[data-form="${action}"]`),
  };
  void PAGES[root.dataset.accountPage ?? '']?.(page);
}
