import type { ComponentChildren } from 'preact';
import { displayName, initials } from '../../lib/format';
import { t } from '../../lib/i18n';
import { useLang, useStore } from '../hooks';
import { route, type Flash } from '../router';
import type { RouteName } from '../routes';
import type { User } from '../session';
import { Brand } from './Brand';
import { LanguageSwitch } from './LanguageSwitch';
import { Notice } from './Notice';
import { SignOutButton } from './SignOutButton';

function FlashNotice({ flash }: { flash: Flash | null }) {
  if (!flash) return null;
  return (
    <Notice kind={flash.kind} class="flash">
      {t(flash.key, flash.params)}
    </Notice>
  );
}

function SkipLink() {
  return (
    <a class="skip-link" href="#main">
      {t('app.skipToContent')}
    </a>
  );
}

/** The frame of the sign-in, recovery and confirmation pages: one centred card. */
export function PublicLayout({ children }: { children: ComponentChildren }) {
  useLang();
  const { flash } = useStore(route);
  return (
    <div class="public">
      <SkipLink />
      <header class="public-header">
        <Brand />
        <LanguageSwitch />
      </header>
      <main id="main" class="public-main" tabIndex={-1}>
        <div class="card auth-card">
          <FlashNotice flash={flash} />
          {children}
        </div>
      </main>
      <footer class="footer">{t('app.name')}</footer>
    </div>
  );
}

const NAV: Array<{
  names: RouteName[];
  href: string;
  label: 'nav.home' | 'nav.media' | 'nav.products' | 'nav.categories' | 'nav.customers' | 'nav.orders' | 'nav.coupons' | 'nav.shopSettings' | 'nav.stats' | 'nav.profile';
}> = [
  { names: ['home'], href: '/dashboard/', label: 'nav.home' },
  { names: ['media'], href: '/dashboard/media/', label: 'nav.media' },
  // The product form belongs to the products.
  { names: ['products', 'productEdit'], href: '/dashboard/products/', label: 'nav.products' },
  { names: ['categories'], href: '/dashboard/categories/', label: 'nav.categories' },
  { names: ['customers'], href: '/dashboard/customers/', label: 'nav.customers' },
  // An order's page and the coupon form belong to their lists.
  { names: ['orders', 'orderDetail'], href: '/dashboard/orders/', label: 'nav.orders' },
  { names: ['coupons', 'couponEdit'], href: '/dashboard/coupons/', label: 'nav.coupons' },
  { names: ['shopSettings'], href: '/dashboard/shop-settings/', label: 'nav.shopSettings' },
  { names: ['stats'], href: '/dashboard/stats/', label: 'nav.stats' },
  { names: ['profile'], href: '/dashboard/profile/edit/', label: 'nav.profile' },
];

/** The signed-in frame: header with the site, navigation, the user and signing out. */
export function Shell({ user, children }: { user: User; children: ComponentChildren }) {
  const lang = useLang();
  const r = useStore(route);
  const name = displayName(user);
  return (
    <div class="shell">
      <SkipLink />
      <header class="topbar">
        <div class="topbar-inner">
          <Brand />
          <nav class="mainnav" aria-label={t('nav.label')}>
            <ul>
              {NAV.map((item) => (
                <li key={item.href}>
                  <a href={item.href} aria-current={item.names.includes(r.def.name) ? 'page' : undefined}>
                    {t(item.label)}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <div class="account">
            <div class="lang-in-header">
              <LanguageSwitch />
            </div>
            <a class="user-chip" href="/dashboard/profile/edit/" title={t('nav.signedInAs', { name: user.email })}>
              <span class="avatar" aria-hidden="true">
                {initials(name, lang)}
              </span>
              <span class="visually-hidden">{t('nav.signedInAs', { name: '' })}</span>
              <span class="user-name">{name}</span>
            </a>
            <SignOutButton variant="ghost" />
          </div>
        </div>
      </header>
      <main id="main" class="shell-main" tabIndex={-1}>
        <FlashNotice flash={r.flash} />
        {children}
      </main>
      <footer class="footer">
        <div class="lang-in-footer">
          <LanguageSwitch />
        </div>
        <p>
          {t('app.name')} · {t('app.tagline')}
        </p>
      </footer>
    </div>
  );
}
