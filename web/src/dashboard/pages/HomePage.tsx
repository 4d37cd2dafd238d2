import { t } from '../../lib/i18n';
import { Icon } from '../components/Icon';
import { MailQueue } from '../components/MailQueue';
import { StorageBar } from '../components/StorageBar';
import { Notice } from '../components/Notice';
import { PageHeading } from '../components/PageHeading';
import { useLang, useUser } from '../hooks';

/** `/dashboard/`: a welcome and the way to each part of the dashboard. */
export function HomePage() {
  useLang();
  const user = useUser();
  const name = user.name.trim();
  const cards = [
    { href: '/dashboard/media/', title: t('nav.media'), text: t('home.mediaText'), icon: 'image' as const },
    { href: '/dashboard/products/', title: t('nav.products'), text: t('home.productsText'), icon: 'tag' as const },
    { href: '/dashboard/categories/', title: t('nav.categories'), text: t('home.categoriesText'), icon: 'folder' as const },
    { href: '/dashboard/stats/', title: t('nav.stats'), text: t('home.statsText'), icon: 'chart' as const },
    { href: '/dashboard/profile/edit/', title: t('nav.profile'), text: t('home.profileText'), icon: 'user' as const },
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
              <span class="card-title">{card.title}</span>
              <span class="card-text">{card.text}</span>
            </a>
          </li>
        ))}
      </ul>
      <div class="home-storage">
        <StorageBar compact />
      </div>
      <MailQueue />
    </>
  );
}
