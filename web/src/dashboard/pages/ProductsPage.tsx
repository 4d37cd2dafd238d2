import { useState } from 'preact/hooks';
import { ProductsDocument, type ProductRowFragment, type ProductSort } from '../../generated/graphql';
import { errorMessage } from '../../lib/errors';
import { tri, type Tri } from '../../lib/filters';
import { formatNumber } from '../../lib/format';
import { request } from '../../lib/graphql';
import { t, type MessageKey } from '../../lib/i18n';
import { thumbnailUrl } from '../../lib/media';
import { formatKurus } from '../../lib/money';
import { ListStatus } from '../components/ListStatus';
import { MoreButton } from '../components/MoreButton';
import { Notice } from '../components/Notice';
import { PageHeading } from '../components/PageHeading';
import { TriFilter } from '../components/TriFilter';
import { formatAverage, formatRating } from '../catalog/rating';
import { useCategories } from '../catalog/useCategories';
import { SEARCH_PAUSE, useDebounced, useLang } from '../hooks';
import { usePagedList } from '../paged';
import { productPath } from '../routes';

export const PRODUCTS_PAGE = 20;
/** The server refuses longer searches. */
const SEARCH_MAX = 200;

const SORTS: Array<{ value: ProductSort; label: MessageKey }> = [
  { value: 'NEWEST', label: 'products.sort.NEWEST' },
  { value: 'NAME', label: 'products.sort.NAME' },
  { value: 'PRICE_ASC', label: 'products.sort.PRICE_ASC' },
  { value: 'PRICE_DESC', label: 'products.sort.PRICE_DESC' },
  { value: 'DISCOUNT', label: 'products.sort.DISCOUNT' },
  { value: 'FAVORITES', label: 'products.sort.FAVORITES' },
];

/** `/dashboard/products/`: every product (hidden ones too), searched, filtered and paged. */
export function ProductsPage() {
  const lang = useLang();
  const [search, setSearch] = useState('');
  const query = useDebounced(search, SEARCH_PAUSE).trim();
  const [category, setCategory] = useState('');
  const [active, setActive] = useState<Tri>('');
  const [onSale, setOnSale] = useState<Tri>('');
  const [inStock, setInStock] = useState<Tri>('');
  const [sort, setSort] = useState<ProductSort>('NEWEST');
  const categories = useCategories();

  const list = usePagedList(
    async (after) =>
      (
        await request(ProductsDocument, {
          filter: { search: query === '' ? null : query, categorySlug: category === '' ? null : category, onSale: tri(onSale), inStock: tri(inStock), active: tri(active) },
          sort,
          first: PRODUCTS_PAGE,
          after,
          includeInactive: true,
        })
      ).products,
    [query, category, active, onSale, inStock, sort],
  );
  const filtered = query !== '' || category !== '' || active !== '' || onSale !== '' || inStock !== '';

  return (
    <>
      <PageHeading title={t('products.title')}>
        <p class="lead">{t('products.intro')}</p>
        <div class="heading-actions">
          <a class="btn btn-primary" href="/dashboard/products/new">
            {t('products.new')}
          </a>
          <a class="btn btn-secondary" href="/dashboard/categories/">
            {t('nav.categories')}
          </a>
        </div>
      </PageHeading>
      <section class="card section" aria-labelledby="products-list-title">
        <h2 id="products-list-title" class="visually-hidden">
          {t('products.listTitle')}
        </h2>
        <div class="filters product-filters" role="search" aria-label={t('products.filters')}>
          <label class="filter filter-search">
            <span class="field-label">{t('products.search')}</span>
            <input class="input" type="search" maxLength={SEARCH_MAX} value={search} onInput={(e) => setSearch(e.currentTarget.value)} />
          </label>
          <label class="filter">
            <span class="field-label">{t('products.filterCategory')}</span>
            <select class="input" value={category} onChange={(e) => setCategory(e.currentTarget.value)}>
              <option value="">{t('media.all')}</option>
              {categories.nodes.map((node) => (
                <option key={node.id} value={node.slug}>
                  {node.path.join(' › ')}
                </option>
              ))}
            </select>
          </label>
          <TriFilter
            label={t('products.filterStatus')}
            value={active}
            onChange={setActive}
            all={t('products.statusAll')}
            choices={[
              ['yes', t('products.statusActive')],
              ['no', t('products.statusHidden')],
            ]}
          />
          <TriFilter
            label={t('products.filterSale')}
            value={onSale}
            onChange={setOnSale}
            all={t('media.all')}
            choices={[
              ['yes', t('products.onSale')],
              ['no', t('products.notOnSale')],
            ]}
          />
          <TriFilter
            label={t('products.filterStock')}
            value={inStock}
            onChange={setInStock}
            all={t('media.all')}
            choices={[
              ['yes', t('products.inStock')],
              ['no', t('products.outOfStock')],
            ]}
          />
          <label class="filter">
            <span class="field-label">{t('products.sortLabel')}</span>
            <select class="input" value={sort} onChange={(e) => setSort(e.currentTarget.value as ProductSort)}>
              {SORTS.map((s) => (
                <option key={s.value} value={s.value}>
                  {t(s.label)}
                </option>
              ))}
            </select>
          </label>
        </div>
        <ListStatus list={list} />
        {list.items && (
          <>
            <p class="muted product-count" role="status">
              {list.total === 0
                ? filtered
                  ? t('products.emptyFiltered')
                  : t('products.empty')
                : t('products.count', { shown: list.items.length, total: list.total })}
            </p>
            {list.items.length > 0 && (
              <div class="table-scroll">
                <table class="data-table product-table">
                  <thead>
                    <tr>
                      <th scope="col">
                        <span class="visually-hidden">{t('products.picture')}</span>
                      </th>
                      <th scope="col">{t('products.name')}</th>
                      <th scope="col">{t('products.sku')}</th>
                      <th scope="col" class="numeric">
                        {t('products.price')}
                      </th>
                      <th scope="col" class="numeric">
                        {t('products.stock')}
                      </th>
                      <th scope="col" class="numeric">
                        {t('products.favorites')}
                      </th>
                      <th scope="col" class="numeric">
                        {t('products.rating')}
                      </th>
                      <th scope="col">{t('products.status')}</th>
                      <th scope="col">
                        <span class="visually-hidden">{t('products.store')}</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {list.items.map((product) => (
                      <ProductRow key={product.id} product={product} />
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            <MoreButton list={list} />
            {list.items.length > 0 && list.error !== null && !list.busy && <Notice kind="error">{errorMessage(list.error, lang)}</Notice>}
          </>
        )}
      </section>
    </>
  );
}

function ProductRow({ product }: { product: ProductRowFragment }) {
  const lang = useLang();
  const first = product.images[0];
  const rating = formatRating(product.rating, lang);
  return (
    <tr data-product-id={product.id}>
      <td class="thumb-cell">
        {first ? (
          <img class="product-thumb" src={thumbnailUrl(first, 160)} alt="" width={56} height={56} loading="lazy" decoding="async" />
        ) : (
          <span class="product-thumb product-thumb-empty" aria-hidden="true" />
        )}
      </td>
      <td>
        <a class="product-name" href={productPath(product.id)}>
          {product.name}
        </a>
        <span class="product-slug muted">/{product.slug}</span>
      </td>
      <td>{product.sku ?? <span class="muted">—</span>}</td>
      <td class="numeric">
        {product.onSale && (
          <>
            <del class="price-old">{formatKurus(product.price.amount, lang)}</del>{' '}
          </>
        )}
        <span class="price-now">{formatKurus(product.currentPrice.amount, lang)}</span>
        {product.discountPercent !== null && (
          <>
            {' '}
            <span class="badge badge-sale">{t('products.discount', { percent: product.discountPercent })}</span>
          </>
        )}
      </td>
      <td class="numeric">{product.stock > 0 ? formatNumber(product.stock, lang) : <span class="badge badge-off">{t('products.outOfStock')}</span>}</td>
      <td class="numeric">{formatNumber(product.favoriteCount, lang)}</td>
      <td class="numeric">
        {rating === null ? (
          <>
            <span class="muted" aria-hidden="true">
              —
            </span>
            <span class="visually-hidden">{t('products.noRating')}</span>
          </>
        ) : (
          <>
            <span aria-hidden="true">{rating}</span>
            <span class="visually-hidden">
              {t('products.ratingText', { average: formatAverage(product.rating.average, lang), count: formatNumber(product.rating.count, lang) })}
            </span>
          </>
        )}
      </td>
      <td>
        <span class={`badge ${product.active ? 'badge-on' : 'badge-off'}`}>{t(product.active ? 'products.activeBadge' : 'products.hiddenBadge')}</span>
      </td>
      <td>
        <a href={product.url} target="_blank" rel="noopener noreferrer" class="store-link">
          {t('products.viewInStore')}{' '}
          <span class="visually-hidden">
            ({product.name}, {t('common.newTab')})
          </span>
        </a>
      </td>
    </tr>
  );
}
