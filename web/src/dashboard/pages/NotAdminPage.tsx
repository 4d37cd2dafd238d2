import { t } from '../../lib/i18n';
import { PageHeading } from '../components/PageHeading';
import { SignOutButton } from '../components/SignOutButton';
import { useLang } from '../hooks';

/** A signed-in customer has no business in the dashboard. */
export function NotAdminPage() {
  useLang();
  return (
    <>
      <PageHeading title={t('notAdmin.title')}>
        <p class="lead">{t('notAdmin.text')}</p>
      </PageHeading>
      <div class="form-actions">
        <SignOutButton variant="secondary" />
      </div>
    </>
  );
}
