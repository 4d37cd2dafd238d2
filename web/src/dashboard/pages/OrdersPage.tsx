import { useState } from 'preact/hooks';
import { OrdersDocument, type OrderStatus } from '../../generated/graphql';
import { errorMessage } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { request } from '../../lib/graphql';
import { t } from '../../lib/i18n';
import { formatKurus } from '../../lib/money';
import { ListStatus } from '../components/ListStatus';
import { MoreButton } from '../components/MoreButton';
import { Notice } from '../components/Notice';
import { PageHeading } from '../components/PageHeading';
import { SEARCH_PAUSE, useDebounced, useLang } from '../hooks';
import { usePagedList } from '../paged';
import { orderPath } from '../routes';
import { ORDER_LIMITS, ORDER_STATUSES, STATUS_BADGE, STATUS_LABEL, type OrderRow as Row } from '../shop/orders';

export const ORDERS_PAGE = 20;

/** `/dashboard/orders/`: the shop's orders, newest first, by status and searched by number, e-mail or name. */
export function OrdersPage() {
  const lang = useLang();
  const [search, setSearch] = useState('');
  const query = useDebounced(search, SEARCH_PAUSE).trim();
  const [status, setStatus] = useState<OrderStatus | ''>('');

  const list = usePagedList(
    async (after) =>
      (
        await request(OrdersDocument, {
          status: status === '' ? null : status,
          search: query === '' ? null : query,
          first: ORDERS_PAGE,
          after,
        })
      ).orders,
    [query, status],
  );
  const filtered = query !== '' || status !== '';

  return (
    <>
      <PageHeading title={t('orders.title')}>
        <p class="lead">{t('orders.intro')}</p>
      </PageHeading>
      <section class="card section" aria-labelledby="orders-list-title">
        <h2 id="orders-list-title" class="visually-hidden">
          {t('orders.listTitle')}
        </h2>
        <div class="filters order-filters" role="search" aria-label={t('orders.filters')}>
          <label class="filter filter-search">
            <span class="field-label">{t('orders.search')}</span>
            <input class="input" type="search" maxLength={ORDER_LIMITS.search} value={search} onInput={(e) => setSearch(e.currentTarget.value)} />
          </label>
          <label class="filter">
            <span class="field-label">{t('orders.statusFilter')}</span>
            <select class="input" value={status} onChange={(e) => setStatus(e.currentTarget.value as OrderStatus | '')}>
              <option value="">{t('media.all')}</option>
              {ORDER_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(STATUS_LABEL[s])}
                </option>
              ))}
            </select>
          </label>
        </div>
        <ListStatus list={list} />
        {list.items && (
          <>
            <p class="muted order-count" role="status">
              {list.total === 0
                ? filtered
                  ? t('orders.emptyFiltered')
                  : t('orders.empty')
                : t('orders.count', { shown: list.items.length, total: list.total })}
            </p>
            {list.items.length > 0 && (
              <div class="table-scroll">
                <table class="data-table order-table">
                  <thead>
                    <tr>
                      <th scope="col">{t('orders.number')}</th>
                      <th scope="col">{t('orders.date')}</th>
                      <th scope="col">{t('orders.email')}</th>
                      <th scope="col">{t('orders.status')}</th>
                      <th scope="col" class="numeric">
                        {t('orders.total')}
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {list.items.map((order) => (
                      <OrderRow key={order.id} order={order} />
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

function OrderRow({ order }: { order: Row }) {
  const lang = useLang();
  return (
    <tr data-order-number={order.number}>
      <td>
        <a class="order-number" href={orderPath(order.number)}>
          {order.number}
        </a>
      </td>
      <td>
        <time dateTime={order.createdAt}>{formatDateTime(order.createdAt, lang)}</time>
      </td>
      <td class="order-email">{order.email}</td>
      <td>
        <span class={`badge ${STATUS_BADGE[order.status]}`}>{t(STATUS_LABEL[order.status])}</span>
      </td>
      <td class="numeric">{formatKurus(order.total.amount, lang)}</td>
    </tr>
  );
}
