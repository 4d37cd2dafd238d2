import { useEffect } from 'preact/hooks';
import { errorMessage } from '../lib/errors';
import { t } from '../lib/i18n';
import { DASHBOARD_BASE, loginPath, sanitizeNext } from '../lib/redirect';
import { Button } from './components/Button';
import { PublicLayout, Shell } from './components/Layouts';
import { Notice } from './components/Notice';
import { useLang, useStore } from './hooks';
import { CategoriesPage } from './pages/CategoriesPage';
import { CouponEditPage } from './pages/CouponEditPage';
import { CouponsPage } from './pages/CouponsPage';
import { ConfirmEmailPage } from './pages/ConfirmEmailPage';
import { CustomersPage } from './pages/CustomersPage';
import { ForgotPasswordPage } from './pages/ForgotPasswordPage';
import { HomePage } from './pages/HomePage';
import { LoginPage } from './pages/LoginPage';
import { MediaPage } from './pages/MediaPage';
import { NotAdminPage } from './pages/NotAdminPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { OrderPage } from './pages/OrderPage';
import { OrdersPage } from './pages/OrdersPage';
import { ProductEditPage } from './pages/ProductEditPage';
import { ProductsPage } from './pages/ProductsPage';
import { ProfilePage } from './pages/ProfilePage';
import { ResetPasswordPage } from './pages/ResetPasswordPage';
import { ShopSettingsPage } from './pages/ShopSettingsPage';
import { StatsPage } from './pages/StatsPage';
import { currentLocation, navigate, route } from './router';
import type { RouteName } from './routes';
import { loadSession, session } from './session';

function Loading() {
  useLang();
  return (
    <div class="splash" role="status">
      <span class="spinner spinner-large" aria-hidden="true" />
      <span>{t('app.loading')}</span>
    </div>
  );
}

function Unavailable({ error }: { error: unknown }) {
  const lang = useLang();
  return (
    <PublicLayout>
      <Notice kind="error">{errorMessage(error, lang)}</Notice>
      <div class="form-actions">
        <Button onClick={() => void loadSession()}>{t('confirm.retry')}</Button>
      </div>
    </PublicLayout>
  );
}

function page(name: RouteName, signedIn: boolean) {
  switch (name) {
    case 'home':
      return <HomePage />;
    case 'login':
      return <LoginPage />;
    case 'forgotPassword':
      return <ForgotPasswordPage />;
    case 'resetPassword':
      return <ResetPasswordPage />;
    case 'confirmEmail':
      return <ConfirmEmailPage />;
    case 'profile':
      return <ProfilePage />;
    case 'media':
      return <MediaPage />;
    case 'products':
      return <ProductsPage />;
    case 'productEdit':
      return <ProductEditPage />;
    case 'categories':
      return <CategoriesPage />;
    case 'customers':
      return <CustomersPage />;
    case 'orders':
      return <OrdersPage />;
    case 'orderDetail':
      return <OrderPage />;
    case 'coupons':
      return <CouponsPage />;
    case 'couponEdit':
      return <CouponEditPage />;
    case 'shopSettings':
      return <ShopSettingsPage />;
    case 'stats':
      return <StatsPage />;
    case 'notFound':
      return <NotFoundPage signedIn={signedIn} />;
  }
}

/** Picks the page for the address and the session, and its frame. */
export function App() {
  useLang();
  const r = useStore(route);
  const s = useStore(session);

  // Signed-in pages send visitors to sign in (and back); the sign-in page sends
  // signed-in users on.
  const redirect =
    s.status === 'anonymous' && r.def.auth === 'required'
      ? loginPath(currentLocation(), window.location.origin)
      : s.status === 'signedIn' && r.def.auth === 'guest'
        ? (sanitizeNext(r.params.get('next'), window.location.origin) ?? DASHBOARD_BASE)
        : null;
  useEffect(() => {
    if (redirect) navigate(redirect, { replace: true, flash: r.flash ?? undefined });
  }, [redirect]);

  if (s.status === 'loading' || redirect) return <Loading />;
  if (s.status === 'unavailable') return <Unavailable error={s.error} />;

  const signedIn = s.status === 'signedIn';
  // Keyed by the move, so that each visit starts with a fresh page.
  const content = <div key={`${r.path}#${r.seq}`}>{page(r.def.name, signedIn)}</div>;
  const shell = r.def.layout === 'shell' || (r.def.layout === 'auto' && signedIn);
  if (s.status === 'signedIn' && shell) {
    if (s.user.role !== 'ADMIN' && r.def.auth === 'required') {
      return (
        <PublicLayout>
          <NotAdminPage />
        </PublicLayout>
      );
    }
    return <Shell user={s.user}>{content}</Shell>;
  }
  return <PublicLayout>{content}</PublicLayout>;
}
