import { useEffect, useState } from 'preact/hooks';
import { ProductDocument } from '../../generated/graphql';
import { request } from '../../lib/graphql';
import { t } from '../../lib/i18n';
import { LoadingLine } from '../components/LoadingLine';
import { Notice } from '../components/Notice';
import { PageHeading } from '../components/PageHeading';
import { RetryNotice } from '../components/RetryNotice';
import type { Product } from '../catalog/form';
import { ProductForm } from '../catalog/ProductForm';
import { useCategories } from '../catalog/useCategories';
import { useLang, useStore } from '../hooks';
import { route } from '../router';
import { productIdFromPath } from '../routes';

type Loaded = { status: 'loading' } | { status: 'found'; product: Product } | { status: 'missing' } | { status: 'error'; error: unknown };

/** `/dashboard/products/new` and `/dashboard/products/<id>`: the product form. */
export function ProductEditPage() {
  useLang();
  const { path } = useStore(route);
  const id = productIdFromPath(path);
  const categories = useCategories();
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' });

  const load = () => {
    if (id === null) return;
    setLoaded({ status: 'loading' });
    request(ProductDocument, { id }).then(
      ({ product }) => setLoaded(product ? { status: 'found', product } : { status: 'missing' }),
      (error: unknown) => setLoaded({ status: 'error', error }),
    );
  };
  useEffect(load, [id]);

  if (id === null) {
    return (
      <>
        <PageHeading title={t('products.newTitle')}>
          <p class="lead">{t('products.newIntro')}</p>
        </PageHeading>
        <ProductForm product={null} categories={categories} />
      </>
    );
  }
  return (
    <>
      <PageHeading title={t('products.editTitle')} />
      {loaded.status === 'loading' && <LoadingLine />}
      {loaded.status === 'missing' && (
        <Notice kind="error">
          {t('products.missing')} <a href="/dashboard/products/">{t('products.backToList')}</a>
        </Notice>
      )}
      {loaded.status === 'error' && <RetryNotice error={loaded.error} onRetry={load} />}
      {loaded.status === 'found' && <ProductForm product={loaded.product} categories={categories} />}
    </>
  );
}
