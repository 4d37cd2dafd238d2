import { t } from '../../lib/i18n';
import { Icon } from '../components/Icon';
import { Notice } from '../components/Notice';
import { PageHeading } from '../components/PageHeading';
import { useLang, useUser } from '../hooks';

/** `/dashboard/`: a welcome and the way to each part of the dashboard. */
export function HomePage() {
  useLang();
  const user = useUser();
  const name = user.name.trim();
  const cards = [
    { href: '/dashboard/profile/edit/', title: t('nav.profile'), text: t('home.profileText'), soon: false, icon: 'user' as const },
    { href: '/dashboard/media/', title: t('nav.media'), text: t('home.mediaText'), soon: true, icon: 'image' as const },
    { href: '/dashboard/stats/', title: t('nav.stats'), text: t('home.statsText'), soon: true, icon: 'chart' as const },
  ];
  return (
    <>
      <PageHeading title={name ? t('home.title', { name }) : t('home.titleNoName')}>
        <p class="lead">{t('home.intro')}</p>
      </PageHeading>
      {!name && (
        <Notice kind="info">
          {t('home.addName')} <a href="/dashboard/profile/edit/">{t('home.addNameLink')}</a>
        </Notice>
      )}
      <ul class="cards">
        {cards.map((card) => (
          <li key={card.href}>
            <a class="card card-link" href={card.href}>
              <span class="card-icon">
                <Icon name={card.icon} />
              </span>
              <span class="card-title">
                {card.title}
                {card.soon && <span class="badge">{t('common.comingSoon')}</span>}
              </span>
              <span class="card-text">{card.text}</span>
            </a>
          </li>
        ))}
      </ul>
    </>
  );
}
