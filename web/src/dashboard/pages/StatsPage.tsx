import { t } from '../../lib/i18n';
import { PageHeading } from '../components/PageHeading';
import { useLang } from '../hooks';
import { ContactMessages } from '../stats/ContactMessages';
import { LiveNumbers } from '../stats/LiveNumbers';
import { ReviewsQueue } from '../stats/ReviewsQueue';
import { SettingsForm } from '../stats/SettingsForm';

/** `/dashboard/stats/`: the live numbers, reviews to moderate, messages, settings. */
export function StatsPage() {
  useLang();
  return (
    <>
      <PageHeading title={t('stats.title')}>
        <p class="lead">{t('stats.intro')}</p>
      </PageHeading>
      <nav class="page-toc" aria-label={t('stats.sections')}>
        <ul>
          <li>
            <a href="#numbers-title">{t('stats.numbersTitle')}</a>
          </li>
          <li>
            <a href="#reviews-title">{t('reviews.title')}</a>
          </li>
          <li>
            <a href="#messages-title">{t('messages.title')}</a>
          </li>
          <li>
            <a href="#settings-title">{t('settings.title')}</a>
          </li>
        </ul>
      </nav>
      <div class="wide-stack">
        <LiveNumbers />
        <ReviewsQueue />
        <ContactMessages />
        <SettingsForm />
      </div>
    </>
  );
}
