import { useRef, useState } from 'preact/hooks';
import { LoginDocument } from '../../generated/graphql';
import { ApiError, errorMessage } from '../../lib/errors';
import { request } from '../../lib/graphql';
import { t } from '../../lib/i18n';
import { DASHBOARD_BASE, sanitizeNext } from '../../lib/redirect';
import { Button } from '../components/Button';
import { Field } from '../components/Field';
import { Notice } from '../components/Notice';
import { PageHeading } from '../components/PageHeading';
import { PasswordField } from '../components/PasswordField';
import { useAction, useLang, useStore } from '../hooks';
import { navigate, route } from '../router';
import { setSignedIn } from '../session';

export function LoginPage() {
  const lang = useLang();
  const r = useStore(route);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [missing, setMissing] = useState<{ email?: boolean; password?: boolean }>({});
  const emailRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const login = useAction(() => request(LoginDocument, { email: email.trim(), password }, { expectUnauthenticated: true }));

  const submit = async (event: Event) => {
    event.preventDefault();
    const nowMissing = { email: email.trim() === '', password: password === '' };
    setMissing(nowMissing);
    if (nowMissing.email) return emailRef.current?.focus();
    if (nowMissing.password) return passwordRef.current?.focus();
    const data = await login.run();
    if (!data) return;
    const next = sanitizeNext(r.params.get('next'), window.location.origin) ?? DASHBOARD_BASE;
    navigate(next, { replace: true });
    setSignedIn(data.login.user);
  };

  const wrong = login.error instanceof ApiError && login.error.code === 'UNAUTHENTICATED';
  return (
    <>
      <PageHeading title={t('login.title')}>
        <p class="lead">{t('login.intro')}</p>
      </PageHeading>
      {login.error !== null && (
        <Notice kind="error" focus>
          {errorMessage(login.error, lang, { login: true })}
        </Notice>
      )}
      <form class="form" noValidate onSubmit={submit}>
        <Field
          label={t('login.email')}
          type="email"
          name="email"
          autocomplete="username"
          inputMode="email"
          autoCapitalize="off"
          spellcheck={false}
          required
          value={email}
          inputRef={emailRef}
          error={missing.email ? t('login.emailMissing') : null}
          aria-invalid={wrong ? 'true' : undefined}
          onInput={(e) => setEmail(e.currentTarget.value)}
        />
        <PasswordField
          label={t('login.password')}
          name="password"
          autocomplete="current-password"
          required
          value={password}
          inputRef={passwordRef}
          error={missing.password ? t('login.passwordMissing') : null}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
        <div class="form-actions">
          <Button type="submit" busy={login.busy} busyText={t('login.submitting')} class="btn-block">
            {t('login.submit')}
          </Button>
        </div>
        <p class="form-links">
          <a href="/dashboard/forgot-password/">{t('login.forgot')}</a>
        </p>
      </form>
    </>
  );
}
