import { useRef, useState } from 'preact/hooks';
import { RequestPasswordResetDocument } from '../../generated/graphql';
import { errorMessage } from '../../lib/errors';
import { request } from '../../lib/graphql';
import { t } from '../../lib/i18n';
import { looksLikeEmail } from '../../lib/validate';
import { Button } from '../components/Button';
import { Field } from '../components/Field';
import { Notice } from '../components/Notice';
import { PageHeading } from '../components/PageHeading';
import { useAction, useLang } from '../hooks';

export function ForgotPasswordPage() {
  const lang = useLang();
  const [email, setEmail] = useState('');
  const [problem, setProblem] = useState<'missing' | 'invalid' | null>(null);
  const emailRef = useRef<HTMLInputElement>(null);
  const send = useAction(() => request(RequestPasswordResetDocument, { email: email.trim() }));

  const submit = async (event: Event) => {
    event.preventDefault();
    const p = email.trim() === '' ? 'missing' : looksLikeEmail(email) ? null : 'invalid';
    setProblem(p);
    if (p) return emailRef.current?.focus();
    await send.run();
  };

  return (
    <>
      <PageHeading title={t('forgot.title')}>
        {send.state.status !== 'done' && <p class="lead">{t('forgot.intro')}</p>}
      </PageHeading>
      {send.state.status === 'done' ? (
        <Notice kind="success" focus>
          {t('forgot.sent')}
        </Notice>
      ) : (
        <>
          {send.error !== null && (
            <Notice kind="error" focus>
              {errorMessage(send.error, lang)}
            </Notice>
          )}
          <form class="form" noValidate onSubmit={submit}>
            <Field
              label={t('forgot.email')}
              type="email"
              name="email"
              autocomplete="username"
              inputMode="email"
              autoCapitalize="off"
              spellcheck={false}
              required
              value={email}
              inputRef={emailRef}
              error={problem === 'missing' ? t('error.emailMissing') : problem === 'invalid' ? t('error.invalidEmail') : null}
              onInput={(e) => setEmail(e.currentTarget.value)}
            />
            <div class="form-actions">
              <Button type="submit" busy={send.busy} busyText={t('forgot.submitting')} class="btn-block">
                {t('forgot.submit')}
              </Button>
            </div>
          </form>
        </>
      )}
      <p class="form-links">
        <a href="/dashboard/login/">{t('forgot.backToLogin')}</a>
      </p>
    </>
  );
}
