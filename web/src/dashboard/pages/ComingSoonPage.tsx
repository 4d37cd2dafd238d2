import { t } from '../../lib/i18n';
import { PageHeading } from '../components/PageHeading';
import { useLang } from '../hooks';

/** Media and statistics arrive in phase 2: for now a friendly "yakında". */
export function ComingSoonPage({ section }: { section: 'nav.media' | 'nav.stats' }) {
  useLang();
  return (
    <>
      <PageHeading title={t(section)}>
        <p>
          <span class="badge badge-large">{t('common.comingSoon')}</span>
        </p>
      </PageHeading>
      <div class="card section empty-state">
        <p>{t('soon.text')}</p>
        <p>
          <a href="/dashboard/">{t('soon.back')}</a>
        </p>
      </div>
    </>
  );
}
