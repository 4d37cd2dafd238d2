import { useEffect, useState } from 'preact/hooks';
import { ConfirmEmailChangeDocument } from '../../generated/graphql';
import { errorMessage, isInvalidLink } from '../../lib/errors';
import { forgetFragmentParam, takeFragmentParam } from '../../lib/fragment';
import { request } from '../../lib/graphql';
import { t } from '../../lib/i18n';
import { Button } from '../components/Button';
import { LoadingLine } from '../components/LoadingLine';
import { Notice } from '../components/Notice';
import { PageHeading } from '../components/PageHeading';
import { useAction, useLang, useStore } from '../hooks';
import { session, setSignedIn } from '../session';

/** `/dashboard/confirm-email#token=…`: the link sent to a new e-mail address. */
export function ConfirmEmailPage() {
  const lang = useLang();
  const s = useStore(session);
  const [token] = useState(() => takeFragmentParam('token'));
  const confirm = useAction(async (value: string) => {
    const { confirmEmailChange } = await request(ConfirmEmailChangeDocument, { token: value });
    forgetFragmentParam();
    const current = session.get();
    if (current.status === 'signedIn' && current.user.id === confirmEmailChange.id) setSignedIn(confirmEmailChange);
    return confirmEmailChange;
  });

  useEffect(() => {
    if (token) void confirm.run(token);
  }, [token]);

  const signedIn = s.status === 'signedIn';
  const nextStep = signedIn ? (
    <a class="btn btn-primary" href="/dashboard/profile/edit/">
      {t('confirm.toProfile')}
    </a>
  ) : (
    <a class="btn btn-primary" href="/dashboard/login/">
      {t('confirm.toLogin')}
    </a>
  );

  let body;
  if (!token) {
    body = <Notice kind="error">{t('confirm.missing')}</Notice>;
  } else if (confirm.state.status === 'done') {
    body = (
      <Notice kind="success">
        <p>{t('confirm.done', { email: confirm.state.result.email })}</p>
        {!signedIn && <p>{t('confirm.doneSignIn')}</p>}
      </Notice>
    );
  } else if (confirm.state.status === 'error') {
    const invalid = isInvalidLink(confirm.error);
    body = (
      <>
        <Notice kind="error" focus>
          <p>{t('confirm.failed')}</p>
          <p>{invalid ? t('confirm.invalid') : errorMessage(confirm.error, lang)}</p>
        </Notice>
        {!invalid && (
          <div class="form-actions">
            <Button variant="secondary" onClick={() => void confirm.run(token)}>
              {t('confirm.retry')}
            </Button>
          </div>
        )}
      </>
    );
  } else {
    body = (
      <LoadingLine>{t('confirm.working')}</LoadingLine>
    );
  }

  return (
    <>
      <PageHeading title={t('confirm.title')} />
      {body}
      {confirm.state.status !== 'busy' && confirm.state.status !== 'idle' && <div class="form-actions">{nextStep}</div>}
      {!token && <div class="form-actions">{nextStep}</div>}
    </>
  );
}
