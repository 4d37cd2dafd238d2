import { useEffect, useState } from 'preact/hooks';
import { CouponDocument } from '../../generated/graphql';
import { request } from '../../lib/graphql';
import { t } from '../../lib/i18n';
import { LoadingLine } from '../components/LoadingLine';
import { Notice } from '../components/Notice';
import { PageHeading } from '../components/PageHeading';
import { RetryNotice } from '../components/RetryNotice';
import { useCategories } from '../catalog/useCategories';
import { useLang, useStore } from '../hooks';
import { route } from '../router';
import { couponIdFromPath } from '../routes';
import { COUPONS_PATH, CouponForm } from '../shop/CouponForm';
import type { Coupon } from '../shop/coupons';

type Loaded = { status: 'loading' } | { status: 'found'; coupon: Coupon } | { status: 'missing' } | { status: 'error'; error: unknown };

/** `/dashboard/coupons/new` and `/dashboard/coupons/<id>`: the coupon form. */
export function CouponEditPage() {
  useLang();
  const { path } = useStore(route);
  const id = couponIdFromPath(path);
  const categories = useCategories();
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' });

  const load = () => {
    if (id === null) return;
    setLoaded({ status: 'loading' });
    request(CouponDocument, { id }).then(
      ({ coupon }) => setLoaded(coupon ? { status: 'found', coupon } : { status: 'missing' }),
      (error: unknown) => setLoaded({ status: 'error', error }),
    );
  };
  useEffect(load, [id]);

  if (id === null) {
    return (
      <>
        <PageHeading title={t('coupons.newTitle')}>
          <p class="lead">{t('coupons.newIntro')}</p>
        </PageHeading>
        <CouponForm coupon={null} categories={categories} />
      </>
    );
  }
  return (
    <>
      <PageHeading title={loaded.status === 'found' ? t('coupons.editTitleCode', { code: loaded.coupon.code }) : t('coupons.editTitle')} />
      {loaded.status === 'loading' && <LoadingLine />}
      {loaded.status === 'missing' && (
        <Notice kind="error">
          {t('coupons.missing')} <a href={COUPONS_PATH}>{t('coupons.backToList')}</a>
        </Notice>
      )}
      {loaded.status === 'error' && <RetryNotice error={loaded.error} onRetry={load} />}
      {loaded.status === 'found' && <CouponForm coupon={loaded.coupon} categories={categories} />}
    </>
  );
}
