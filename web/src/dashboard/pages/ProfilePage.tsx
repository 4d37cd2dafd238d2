import { useEffect, useId, useRef, useState } from 'preact/hooks';
import {
  ChangePasswordDocument,
  RequestEmailChangeDocument,
  UpdateProfileDocument,
  type Locale,
} from '../../generated/graphql';
import { ApiError, describeError, errorMessage } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { request } from '../../lib/graphql';
import { t } from '../../lib/i18n';
import { passwordProblem, PASSWORD_MAX, PASSWORD_MIN } from '../../lib/password';
import { looksLikeEmail, NAME_MAX, nameTooLong } from '../../lib/validate';
import { Button } from '../components/Button';
import { Dialog } from '../components/Dialog';
import { Field } from '../components/Field';
import { Notice } from '../components/Notice';
import { PageHeading } from '../components/PageHeading';
import { PasswordField } from '../components/PasswordField';
import { PasswordPolicy } from '../components/PasswordPolicy';
import { SignOutButton } from '../components/SignOutButton';
import { useAction, useLang, useUser } from '../hooks';
import { setSignedIn, type User } from '../session';

/** `/dashboard/profile/edit/`: name, language, password, e-mail address, signing out. */
export function ProfilePage() {
  const user = useUser();
  useLang();
  return (
    <>
      <PageHeading title={t('profile.title')}>
        <p class="lead">{t('profile.intro')}</p>
      </PageHeading>
      <div class="stack">
        <ProfileDetails user={user} />
        <PasswordSection />
        <EmailSection user={user} />
        <section class="card section" aria-labelledby="profile-session">
          <h2 id="profile-session">{t('profile.sessionTitle')}</h2>
          <p class="muted">{t('profile.sessionIntro')}</p>
          <div class="form-actions">
            <SignOutButton variant="secondary" />
          </div>
        </section>
      </div>
    </>
  );
}

function ProfileDetails({ user }: { user: User }) {
  const lang = useLang();
  const [name, setName] = useState(user.name);
  const [locale, setLocale] = useState<Locale>(user.locale);
  const [nameError, setNameError] = useState<string | null>(null);
  const nameRef = useRef<HTMLInputElement>(null);
  const save = useAction(async () => {
    const { updateProfile } = await request(UpdateProfileDocument, { input: { name: name.trim(), locale } });
    setSignedIn(updateProfile);
    return updateProfile;
  });

  // The header's language switch changes the same setting.
  useEffect(() => setLocale(user.locale), [user.locale]);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (nameTooLong(name)) {
      setNameError(t('error.nameTooLong', { max: NAME_MAX }));
      nameRef.current?.focus();
      return;
    }
    setNameError(null);
    const saved = await save.run();
    if (saved) setName(saved.name);
  };

  const serverNameError =
    save.error instanceof ApiError && save.error.code === 'BAD_USER_INPUT' ? errorMessage(save.error, lang) : null;
  return (
    <section class="card section" aria-labelledby="profile-details">
      <h2 id="profile-details">{t('profile.infoTitle')}</h2>
      <form class="form" noValidate onSubmit={submit}>
        <Field
          label={t('profile.name')}
          name="name"
          autocomplete="name"
          maxLength={NAME_MAX * 2}
          value={name}
          inputRef={nameRef}
          hint={t('profile.nameHint')}
          error={nameError ?? serverNameError}
          onInput={(e) => {
            setName(e.currentTarget.value);
            if (save.state.status !== 'busy') save.reset();
          }}
        />
        <fieldset class="fieldset">
          <legend class="field-label">{t('profile.language')}</legend>
          <div class="choices">
            {(
              [
                ['TR', 'Türkçe', 'tr'],
                ['EN', 'English', 'en'],
              ] as const
            ).map(([value, label, code]) => (
              <label class="choice" key={value}>
                <input
                  type="radio"
                  name="locale"
                  value={value}
                  checked={locale === value}
                  onChange={() => {
                    setLocale(value);
                    if (save.state.status !== 'busy') save.reset();
                  }}
                />
                <span lang={code}>{label}</span>
              </label>
            ))}
          </div>
        </fieldset>
        {save.state.status === 'done' && <Notice kind="success">{t('common.saved')}</Notice>}
        {save.error !== null && !serverNameError && (
          <Notice kind="error" focus>
            {errorMessage(save.error, lang)}
          </Notice>
        )}
        <div class="form-actions">
          <Button type="submit" busy={save.busy} busyText={t('common.saving')}>
            {t('common.save')}
          </Button>
        </div>
        <p class="meta">
          {t('profile.memberSince', { date: formatDateTime(user.createdAt, lang) })}
          <br />
          {t('profile.updatedAt', { date: formatDateTime(user.updatedAt, lang) })}
        </p>
      </form>
    </section>
  );
}

type PasswordProblemAt = { field: 'current' | 'next' | 'repeat'; text: string } | null;

function PasswordSection() {
  const lang = useLang();
  const policyId = useId();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [problem, setProblem] = useState<PasswordProblemAt>(null);
  const refs = {
    current: useRef<HTMLInputElement>(null),
    next: useRef<HTMLInputElement>(null),
    repeat: useRef<HTMLInputElement>(null),
  };
  const change = useAction(() => request(ChangePasswordDocument, { currentPassword: current, newPassword: next }));

  const fail = (at: NonNullable<PasswordProblemAt>) => {
    setProblem(at);
    refs[at.field].current?.focus();
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    change.reset();
    if (current === '') return fail({ field: 'current', text: t('password.missing') });
    const p = passwordProblem(next, repeat);
    if (p) {
      return fail({ field: p === 'password.mismatch' ? 'repeat' : 'next', text: t(p, { min: PASSWORD_MIN, max: PASSWORD_MAX }) });
    }
    setProblem(null);
    const done = await change.run();
    if (done) {
      setCurrent('');
      setNext('');
      setRepeat('');
      return;
    }
  };

  // Which field the server's refusal is about.
  const error = change.error;
  let serverProblem: PasswordProblemAt = null;
  if (error instanceof ApiError && error.code === 'BAD_USER_INPUT') {
    const text = describeError(error);
    const field = 'key' in text && text.key === 'error.currentPasswordWrong' ? 'current' : 'next';
    serverProblem = { field, text: errorMessage(error, lang) };
  }
  useEffect(() => {
    if (serverProblem) refs[serverProblem.field].current?.focus();
  }, [error]);
  const shown = problem ?? serverProblem;

  return (
    <section class="card section" aria-labelledby="profile-password">
      <h2 id="profile-password">{t('profile.passwordTitle')}</h2>
      <p class="muted">{t('profile.passwordIntro')}</p>
      <form class="form" noValidate onSubmit={submit}>
        <PasswordField
          label={t('profile.currentPassword')}
          name="current-password"
          autocomplete="current-password"
          required
          value={current}
          inputRef={refs.current}
          error={shown?.field === 'current' ? shown.text : null}
          onInput={(e) => setCurrent(e.currentTarget.value)}
        />
        <PasswordField
          label={t('profile.newPassword')}
          name="new-password"
          autocomplete="new-password"
          required
          value={next}
          inputRef={refs.next}
          describedBy={policyId}
          error={shown?.field === 'next' ? shown.text : null}
          onInput={(e) => setNext(e.currentTarget.value)}
        />
        <PasswordField
          label={t('profile.repeatPassword')}
          name="repeat-password"
          autocomplete="new-password"
          required
          value={repeat}
          inputRef={refs.repeat}
          describedBy={policyId}
          error={shown?.field === 'repeat' ? shown.text : null}
          onInput={(e) => setRepeat(e.currentTarget.value)}
        />
        <PasswordPolicy id={policyId} password={next} repeat={repeat} />
        {change.state.status === 'done' && <Notice kind="success">{t('profile.passwordChanged')}</Notice>}
        {error !== null && !serverProblem && (
          <Notice kind="error" focus>
            {errorMessage(error, lang)}
          </Notice>
        )}
        <div class="form-actions">
          <Button type="submit" busy={change.busy} busyText={t('profile.changingPassword')}>
            {t('profile.changePassword')}
          </Button>
        </div>
      </form>
    </section>
  );
}

function EmailSection({ user }: { user: User }) {
  useLang();
  const [open, setOpen] = useState(false);
  const [sentTo, setSentTo] = useState<string | null>(null);
  return (
    <section class="card section" aria-labelledby="profile-email">
      <h2 id="profile-email">{t('profile.emailTitle')}</h2>
      <p class="muted">{t('profile.emailCurrent')}</p>
      <p class="email-current">
        <strong>{user.email}</strong>
      </p>
      {sentTo && <Notice kind="success">{t('profile.emailSent', { email: sentTo })}</Notice>}
      <div class="form-actions">
        <Button variant="secondary" aria-haspopup="dialog" onClick={() => setOpen(true)}>
          {t('profile.changeEmail')}
        </Button>
      </div>
      <Dialog open={open} title={t('profile.emailDialogTitle')} onClose={() => setOpen(false)}>
        <EmailChangeForm
          onSent={(email) => {
            setSentTo(email);
            setOpen(false);
          }}
          onCancel={() => setOpen(false)}
        />
      </Dialog>
    </section>
  );
}

function EmailChangeForm({ onSent, onCancel }: { onSent(email: string): void; onCancel(): void }) {
  const lang = useLang();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<{ field: 'email' | 'password'; text: string } | null>(null);
  const emailRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const send = useAction(() => request(RequestEmailChangeDocument, { newEmail: email.trim(), currentPassword: password }));

  const submit = async (event: Event) => {
    event.preventDefault();
    send.reset();
    let p: typeof problem = null;
    if (email.trim() === '') p = { field: 'email', text: t('error.emailMissing') };
    else if (!looksLikeEmail(email)) p = { field: 'email', text: t('error.invalidEmail') };
    else if (password === '') p = { field: 'password', text: t('password.missing') };
    setProblem(p);
    if (p) return (p.field === 'email' ? emailRef : passwordRef).current?.focus();
    const done = await send.run();
    if (done) onSent(email.trim());
  };

  const error = send.error;
  let serverProblem: typeof problem = null;
  if (error instanceof ApiError && error.code === 'BAD_USER_INPUT') {
    const text = describeError(error);
    const field = 'key' in text && text.key === 'error.currentPasswordWrong' ? 'password' : 'email';
    serverProblem = { field, text: errorMessage(error, lang) };
  }
  useEffect(() => {
    if (serverProblem) (serverProblem.field === 'email' ? emailRef : passwordRef).current?.focus();
  }, [error]);
  const shown = problem ?? serverProblem;

  return (
    <form class="form" noValidate onSubmit={submit}>
      <p class="muted">{t('profile.emailDialogIntro')}</p>
      <Field
        label={t('profile.newEmail')}
        type="email"
        name="new-email"
        autocomplete="email"
        inputMode="email"
        autoCapitalize="off"
        spellcheck={false}
        required
        value={email}
        inputRef={emailRef}
        error={shown?.field === 'email' ? shown.text : null}
        onInput={(e) => setEmail(e.currentTarget.value)}
      />
      <PasswordField
        label={t('profile.emailPassword')}
        name="current-password"
        autocomplete="current-password"
        required
        value={password}
        inputRef={passwordRef}
        error={shown?.field === 'password' ? shown.text : null}
        onInput={(e) => setPassword(e.currentTarget.value)}
      />
      {error !== null && !serverProblem && (
        <Notice kind="error" focus>
          {errorMessage(error, lang)}
        </Notice>
      )}
      <div class="form-actions">
        <Button type="submit" busy={send.busy} busyText={t('profile.sendingConfirmation')}>
          {t('profile.sendConfirmation')}
        </Button>
        <Button variant="ghost" onClick={onCancel} disabled={send.busy}>
          {t('common.cancel')}
        </Button>
      </div>
    </form>
  );
}
