import { useState } from 'preact/hooks';
import { CustomersDocument, SetCustomerDisabledDocument, type CustomerRowFragment } from '../../generated/graphql';
import { errorMessage } from '../../lib/errors';
import { tri, type Tri } from '../../lib/filters';
import { formatDateTime } from '../../lib/format';
import { request } from '../../lib/graphql';
import { t } from '../../lib/i18n';
import { Button } from '../components/Button';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ListStatus } from '../components/ListStatus';
import { MoreButton } from '../components/MoreButton';
import { Notice } from '../components/Notice';
import { PageHeading } from '../components/PageHeading';
import { TriFilter } from '../components/TriFilter';
import { SEARCH_PAUSE, useAction, useDebounced, useLang } from '../hooks';
import { usePagedList } from '../paged';

export const CUSTOMERS_PAGE = 20;

const setCustomerDisabled = async (id: string, disabled: boolean) => (await request(SetCustomerDisabledDocument, { id, disabled })).setCustomerDisabled;

/** `/dashboard/customers/`: the shop's customers, newest first, searched, filtered and paged; disabling and enabling them. */
export function CustomersPage() {
  const lang = useLang();
  const [search, setSearch] = useState('');
  const query = useDebounced(search, SEARCH_PAUSE).trim();
  const [verified, setVerified] = useState<Tri>('');
  const [disabled, setDisabled] = useState<Tri>('');
  const [disabling, setDisabling] = useState<CustomerRowFragment | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  const list = usePagedList(
    async (after) =>
      (
        await request(CustomersDocument, {
          search: query === '' ? null : query,
          verified: tri(verified),
          disabled: tri(disabled),
          first: CUSTOMERS_PAGE,
          after,
        })
      ).customers,
    [query, verified, disabled],
  );
  const filtered = query !== '' || verified !== '' || disabled !== '';

  // The row stays even when it no longer matches the status filter: its button undoes
  // the change, and focus stays on it.
  const changed = (customer: CustomerRowFragment) => {
    list.update(customer);
    setMessage(t(customer.disabled ? 'customers.disabledDone' : 'customers.enabledDone', { email: customer.email }));
  };

  return (
    <>
      <PageHeading title={t('customers.title')}>
        <p class="lead">{t('customers.intro')}</p>
      </PageHeading>
      <section class="card section" aria-labelledby="customers-list-title">
        <h2 id="customers-list-title" class="visually-hidden">
          {t('customers.listTitle')}
        </h2>
        <div class="filters customer-filters" role="search" aria-label={t('customers.filters')}>
          <label class="filter filter-search">
            <span class="field-label">{t('customers.search')}</span>
            <input class="input" type="search" value={search} onInput={(e) => setSearch(e.currentTarget.value)} />
          </label>
          <TriFilter
            label={t('customers.verification')}
            value={verified}
            onChange={setVerified}
            all={t('media.all')}
            choices={[
              ['yes', t('customers.verifiedOnly')],
              ['no', t('customers.unverifiedOnly')],
            ]}
          />
          <TriFilter
            label={t('customers.status')}
            value={disabled}
            onChange={setDisabled}
            all={t('media.all')}
            choices={[
              ['no', t('customers.active')],
              ['yes', t('customers.disabled')],
            ]}
          />
        </div>
        <p class="sr-status" role="status">
          {message}
        </p>
        <ListStatus list={list} />
        {list.items && (
          <>
            <p class="muted customer-count" role="status">
              {list.total === 0
                ? filtered
                  ? t('customers.emptyFiltered')
                  : t('customers.empty')
                : t('customers.count', { shown: list.items.length, total: list.total })}
            </p>
            {list.items.length > 0 && (
              <div class="table-scroll">
                <table class="data-table customer-table">
                  <thead>
                    <tr>
                      <th scope="col">{t('customers.email')}</th>
                      <th scope="col">{t('customers.name')}</th>
                      <th scope="col">{t('customers.verification')}</th>
                      <th scope="col">{t('customers.createdAt')}</th>
                      <th scope="col">{t('customers.status')}</th>
                      <th scope="col">
                        <span class="visually-hidden">{t('customers.actions')}</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {list.items.map((customer) => (
                      <CustomerRow
                        key={customer.id}
                        customer={customer}
                        onDisable={() => {
                          setMessage(null);
                          setDisabling(customer);
                        }}
                        onEnable={() => setMessage(null)}
                        onChanged={changed}
                      />
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
      <ConfirmDialog
        open={disabling !== null}
        title={t('customers.disableTitle')}
        text={disabling ? t('customers.disableText', { email: disabling.email }) : ''}
        confirmLabel={t('customers.disableConfirm')}
        busyLabel={t('customers.disabling')}
        onConfirm={async () => {
          if (!disabling) return;
          changed(await setCustomerDisabled(disabling.id, true));
        }}
        onClose={() => setDisabling(null)}
      />
    </>
  );
}

function CustomerRow({
  customer,
  onDisable,
  onEnable,
  onChanged,
}: {
  customer: CustomerRowFragment;
  /** Asks first (in the page's dialog). */
  onDisable(): void;
  /** Enabling has begun. */
  onEnable(): void;
  onChanged(customer: CustomerRowFragment): void;
}) {
  const lang = useLang();
  // Enabling takes nothing away, so it does not ask first.
  const enable = useAction(() => setCustomerDisabled(customer.id, false));
  const label = t(customer.disabled ? 'customers.enable' : 'customers.disable');
  return (
    <tr data-customer-id={customer.id}>
      <td class="customer-email">{customer.email}</td>
      <td>{customer.name.trim() === '' ? <span class="muted">—</span> : customer.name}</td>
      <td>
        <span class={`badge ${customer.emailVerified ? 'badge-on' : 'badge-off'}`}>
          {t(customer.emailVerified ? 'customers.verifiedBadge' : 'customers.unverifiedBadge')}
        </span>
      </td>
      <td>
        <time dateTime={customer.createdAt}>{formatDateTime(customer.createdAt, lang)}</time>
      </td>
      <td>
        <span class={`badge ${customer.disabled ? 'badge-off' : 'badge-on'}`}>{t(customer.disabled ? 'customers.disabled' : 'customers.active')}</span>
      </td>
      <td>
        {/* One button for both states, so that focus stays on it when the state flips. */}
        <Button
          variant={customer.disabled ? 'secondary' : 'ghost'}
          class={`btn-small${customer.disabled ? '' : ' btn-danger-text'}`}
          busy={enable.busy}
          busyText={t('customers.enabling')}
          aria-haspopup={customer.disabled ? undefined : 'dialog'}
          aria-label={enable.busy ? undefined : `${label}: ${customer.email}`}
          onClick={async () => {
            if (!customer.disabled) {
              onDisable();
              return;
            }
            onEnable();
            const done = await enable.run();
            if (done) onChanged(done);
          }}
        >
          {label}
        </Button>
        {enable.error !== null && <Notice kind="error">{errorMessage(enable.error, lang)}</Notice>}
      </td>
    </tr>
  );
}
