import { useRef, useState } from 'preact/hooks';
import { CouponsDocument } from '../../generated/graphql';
import { errorMessage } from '../../lib/errors';
import { request } from '../../lib/graphql';
import { t } from '../../lib/i18n';
import { Button } from '../components/Button';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ListStatus } from '../components/ListStatus';
import { MoreButton } from '../components/MoreButton';
import { Notice } from '../components/Notice';
import { PageHeading } from '../components/PageHeading';
import { useLang } from '../hooks';
import { usePagedList } from '../paged';
import { couponPath } from '../routes';
import { deleteCoupon } from '../shop/CouponForm';
import { couponUses, couponValueLabel, couponWindow, type Coupon } from '../shop/coupons';

export const COUPONS_PAGE = 20;

/** `/dashboard/coupons/`: every coupon, newest first, with its terms and uses; deleting (or, once used, switching off). */
export function CouponsPage() {
  const lang = useLang();
  const [deleting, setDeleting] = useState<Coupon | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const listHeading = useRef<HTMLHeadingElement>(null);
  const list = usePagedList(async (after) => (await request(CouponsDocument, { first: COUPONS_PAGE, after })).coupons, []);

  return (
    <>
      <PageHeading title={t('coupons.title')}>
        <p class="lead">{t('coupons.intro')}</p>
        <div class="heading-actions">
          <a class="btn btn-primary" href="/dashboard/coupons/new">
            {t('coupons.new')}
          </a>
        </div>
      </PageHeading>
      <section class="card section" aria-labelledby="coupons-list-title">
        <h2 id="coupons-list-title" class="visually-hidden" ref={listHeading} tabIndex={-1}>
          {t('coupons.listTitle')}
        </h2>
        <p class="sr-status" role="status">
          {message}
        </p>
        <ListStatus list={list} />
        {list.items && (
          <>
            <p class="muted coupon-count" role="status">
              {list.total === 0 ? t('coupons.empty') : t('coupons.count', { shown: list.items.length, total: list.total })}
            </p>
            {list.items.length > 0 && (
              <div class="table-scroll">
                <table class="data-table coupon-table">
                  <thead>
                    <tr>
                      <th scope="col">{t('coupons.code')}</th>
                      <th scope="col">{t('coupons.value')}</th>
                      <th scope="col">{t('coupons.window')}</th>
                      <th scope="col" class="numeric">
                        {t('coupons.usesColumn')}
                      </th>
                      <th scope="col">{t('coupons.listed')}</th>
                      <th scope="col">{t('coupons.state')}</th>
                      <th scope="col">
                        <span class="visually-hidden">{t('coupons.actions')}</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {list.items.map((coupon) => (
                      <tr key={coupon.id} data-coupon-id={coupon.id}>
                        <td>
                          <a class="coupon-code" href={couponPath(coupon.id)}>
                            {coupon.code}
                          </a>
                          {coupon.description !== '' && <span class="product-slug muted">{coupon.description}</span>}
                        </td>
                        <td class="coupon-value">
                          {couponValueLabel(coupon, lang)}
                          {coupon.limited && <span class="product-slug muted">{t('coupons.limitedBadge')}</span>}
                        </td>
                        <td>{couponWindow(coupon, lang)}</td>
                        <td class="numeric">{couponUses(coupon, lang)}</td>
                        <td>
                          <span class={`badge ${coupon.public ? 'badge-on' : 'badge-off'}`}>{t(coupon.public ? 'coupons.publicBadge' : 'coupons.privateBadge')}</span>
                        </td>
                        <td>
                          <span class={`badge ${coupon.active ? 'badge-on' : 'badge-off'}`}>{t(coupon.active ? 'coupons.activeBadge' : 'coupons.inactiveBadge')}</span>
                        </td>
                        <td>
                          <Button
                            variant="ghost"
                            class="btn-small btn-danger-text"
                            aria-haspopup="dialog"
                            aria-label={`${t('coupons.delete')}: ${coupon.code}`}
                            onClick={() => {
                              setMessage(null);
                              setDeleting(coupon);
                            }}
                          >
                            {t('coupons.delete')}
                          </Button>
                        </td>
                      </tr>
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
        open={deleting !== null}
        title={t('coupons.deleteTitle')}
        text={deleting ? t('coupons.deleteText', { code: deleting.code }) : ''}
        confirmLabel={t('coupons.deleteConfirm')}
        busyLabel={t('coupons.deleting')}
        onConfirm={async () => {
          if (!deleting) return;
          const removal = await deleteCoupon(deleting.id);
          if (removal === 'DELETED') {
            list.remove(deleting.id);
            setMessage(t('coupons.deleted', { code: deleting.code }));
          } else {
            // Orders used it: it stays for them, switched off.
            list.update({ ...deleting, active: false });
            setMessage(t('coupons.deactivated', { code: deleting.code }));
          }
        }}
        onClose={() => setDeleting(null)}
        // A deleted coupon's button is gone: focus goes to the list.
        fallbackFocus={() => listHeading.current}
      />
    </>
  );
}
