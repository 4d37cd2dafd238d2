import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { PasswordResetTokenValidDocument, ResetPasswordDocument } from '../../generated/graphql';
import { ApiError, errorMessage, isInvalidLink } from '../../lib/errors';
import { forgetFragmentParam, takeFragmentParam } from '../../lib/fragment';
import { request } from '../../lib/graphql';
import { t } from '../../lib/i18n';
import { passwordProblem, PASSWORD_MAX, PASSWORD_MIN } from '../../lib/password';
import { LOGIN_PATH } from '../../lib/redirect';
import { Button } from '../components/Button';
import { LoadingLine } from '../components/LoadingLine';
import { Notice } from '../components/Notice';
import { PageHeading } from '../components/PageHeading';
import { PasswordField } from '../components/PasswordField';
import { PasswordPolicy } from '../components/PasswordPolicy';
import { useAction, useLang } from '../hooks';
import { navigate } from '../router';

type Check = { status: 'checking' } | { status: 'valid' } | { status: 'invalid' } | { status: 'error'; error: unknown };

/** `/dashboard/reset-password#token=…`: the link from the password reset e-mail. */
export function ResetPasswordPage() {
  const lang = useLang();
  // Read once, then gone from the address bar; it only ever goes to the GraphQL calls.
  const [token] = useState(() => takeFragmentParam('token'));
  const [check, setCheck] = useState<Check>(token ? { status: 'checking' } : { status: 'invalid' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!token) return;
    const abort = new AbortController();
    setCheck({ status: 'checking' });
    request(PasswordResetTokenValidDocument, { token }, { signal: abort.signal })
      .then(({ passwordResetTokenValid }) => setCheck({ status: passwordResetTokenValid ? 'valid' : 'invalid' }))
      .catch((error: unknown) => {
        if (!abort.signal.aborted) setCheck({ status: 'error', error });
      });
    return () => abort.abort();
  }, [token, attempt]);

  if (check.status === 'checking') {
    return (
      <>
        <PageHeading title={t('reset.title')} />
        <LoadingLine>{t('reset.checking')}</LoadingLine>
      </>
    );
  }
  if (check.status === 'invalid' || !token) return <InvalidLink />;
  if (check.status === 'error') {
    return (
      <>
        <PageHeading title={t('reset.title')} />
        <Notice kind="error" focus>
          {errorMessage(check.error, lang)}
        </Notice>
        <div class="form-actions">
          <Button variant="secondary" onClick={() => setAttempt((n) => n + 1)}>
            {t('confirm.retry')}
          </Button>
        </div>
      </>
    );
  }
  return <ResetForm token={token} onInvalid={() => setCheck({ status: 'invalid' })} />;
}

function InvalidLink() {
  return (
    <>
      <PageHeading title={t('reset.invalidTitle')} />
      <Notice kind="error">{t('reset.invalid')}</Notice>
      <div class="form-actions">
        <a class="btn btn-primary btn-block" href="/dashboard/forgot-password/">
          {t('reset.requestNew')}
        </a>
      </div>
      <p class="form-links">
        <a href="/dashboard/login/">{t('forgot.backToLogin')}</a>
      </p>
    </>
  );
}

function ResetForm({ token, onInvalid }: { token: string; onInvalid(): void }) {
  const lang = useLang();
  const policyId = useId();
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [problem, setProblem] = useState<{ field: 'password' | 'repeat'; text: string } | null>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const repeatRef = useRef<HTMLInputElement>(null);
  const reset = useAction(() => request(ResetPasswordDocument, { token, newPassword: password }));

  const submit = async (event: Event) => {
    event.preventDefault();
    const p = passwordProblem(password, repeat);
    if (p) {
      const field = p === 'password.mismatch' ? 'repeat' : 'password';
      setProblem({ field, text: t(p, { min: PASSWORD_MIN, max: PASSWORD_MAX }) });
      (field === 'repeat' ? repeatRef : passwordRef).current?.focus();
      return;
    }
    setProblem(null);
    const done = await reset.run();
    if (done) {
      forgetFragmentParam();
      navigate(LOGIN_PATH, { replace: true, flash: { kind: 'success', key: 'reset.done' } });
      return;
    }
  };

  // The server's verdict on the password (e.g. too common) belongs to the field.
  const error = reset.error;
  useEffect(() => {
    if (isInvalidLink(error)) onInvalid();
    else if (error instanceof ApiError && error.code === 'BAD_USER_INPUT') passwordRef.current?.focus();
  }, [error]);
  const fieldError = error instanceof ApiError && error.code === 'BAD_USER_INPUT' ? errorMessage(error, lang) : null;

  return (
    <>
      <PageHeading title={t('reset.title')}>
        <p class="lead">{t('reset.intro')}</p>
      </PageHeading>
      {error !== null && !fieldError && (
        <Notice kind="error" focus>
          {errorMessage(error, lang)}
        </Notice>
      )}
      <form class="form" noValidate onSubmit={submit}>
        <PasswordField
          label={t('reset.newPassword')}
          name="new-password"
          autocomplete="new-password"
          required
          value={password}
          inputRef={passwordRef}
          describedBy={policyId}
          error={problem?.field === 'password' ? problem.text : fieldError}
          onInput={(e) => {
            setPassword(e.currentTarget.value);
            if (reset.error) reset.reset();
          }}
        />
        <PasswordField
          label={t('reset.repeatPassword')}
          name="repeat-password"
          autocomplete="new-password"
          required
          value={repeat}
          inputRef={repeatRef}
          describedBy={policyId}
          error={problem?.field === 'repeat' ? problem.text : null}
          onInput={(e) => setRepeat(e.currentTarget.value)}
        />
        <PasswordPolicy id={policyId} password={password} repeat={repeat} />
        <div class="form-actions">
          <Button type="submit" busy={reset.busy} busyText={t('reset.submitting')} class="btn-block">
            {t('reset.submit')}
          </Button>
        </div>
      </form>
    </>
  );
}
