import { t } from '../../lib/i18n';
import { PageHeading } from '../components/PageHeading';
import { useLang } from '../hooks';

export function NotFoundPage({ signedIn }: { signedIn: boolean }) {
  useLang();
  return (
    <>
      <PageHeading title={t('notFound.title')}>
        <p class="lead">{t('notFound.text')}</p>
      </PageHeading>
      <p class="form-actions">
        {signedIn ? (
          <a class="btn btn-primary" href="/dashboard/">
            {t('notFound.back')}
          </a>
        ) : (
          <a class="btn btn-primary" href="/dashboard/login/">
            {t('notFound.toLogin')}
          </a>
        )}
      </p>
    </>
  );
}
