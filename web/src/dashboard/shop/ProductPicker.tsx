import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { CouponProductDocument, ProductsDocument } from '../../generated/graphql';
import { errorMessage } from '../../lib/errors';
import { request } from '../../lib/graphql';
import { t } from '../../lib/i18n';
import { LoadingLine } from '../components/LoadingLine';
import { MoreButton } from '../components/MoreButton';
import { Notice } from '../components/Notice';
import { SEARCH_PAUSE, useDebounced, useLang } from '../hooks';
import { usePagedList } from '../paged';

export const PICKER_PAGE = 10;

interface Named {
  id: string;
  name: string;
  sku: string | null;
  active: boolean;
}

interface ProductPickerProps {
  /** The chosen products' ids. */
  chosen: readonly string[];
  error: string | null;
  groupRef(el: HTMLElement | null): void;
  onChange(ids: string[]): void;
}

/**
 * Products chosen by ticking them in a searchable list (every product, hidden ones
 * too, newest first); the chosen ones are listed above it with their names and can be
 * taken off one by one.
 */
export function ProductPicker({ chosen, error, groupRef, onChange }: ProductPickerProps) {
  const lang = useLang();
  const id = useId();
  const [names, setNames] = useState<ReadonlyMap<string, Named | null>>(new Map());
  const [search, setSearch] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const query = useDebounced(search, SEARCH_PAUSE).trim();
  const chosenList = useRef<HTMLUListElement>(null);

  const list = usePagedList(
    async (after) =>
      (
        await request(ProductsDocument, {
          filter: { search: query === '' ? null : query },
          sort: 'NEWEST',
          first: PICKER_PAGE,
          after,
          includeInactive: true,
        })
      ).products,
    [query],
  );

  // The coupon gives ids only: the names of those not seen in the list are asked one by one.
  useEffect(() => {
    const unknown = chosen.filter((c) => !names.has(c));
    if (unknown.length === 0) return;
    void Promise.all(
      unknown.map((productId) =>
        request(CouponProductDocument, { id: productId }).then(
          ({ product }) => [productId, product] as const,
          () => [productId, null] as const,
        ),
      ),
    ).then((found) => setNames((current) => new Map([...current, ...found])));
  }, [chosen.join(',')]);

  const label = (productId: string): string => {
    const named = names.get(productId);
    if (named === undefined) return t('app.loading');
    if (named === null) return t('coupons.productGone', { id: productId });
    return named.sku ? `${named.name} (${named.sku})` : named.name;
  };

  const toggle = (product: Named, on: boolean) => {
    setNames((current) => new Map(current).set(product.id, product));
    onChange(on ? [...chosen, product.id] : chosen.filter((c) => c !== product.id));
    setMessage(null);
  };

  const remove = (productId: string, index: number) => {
    const name = label(productId);
    onChange(chosen.filter((c) => c !== productId));
    setMessage(t('coupons.productRemoved', { name }));
    // Focus stays in the list: on the next product's button, or the one before it.
    window.setTimeout(() => {
      const buttons = chosenList.current?.querySelectorAll<HTMLButtonElement>('button');
      const next = buttons?.[Math.min(index, (buttons?.length ?? 1) - 1)];
      (next ?? document.getElementById(`${id}-search`))?.focus();
    }, 0);
  };

  return (
    <fieldset class={`fieldset product-picker${error ? ' has-error' : ''}`} aria-describedby={error ? `${id}-error` : `${id}-hint`} ref={groupRef} tabIndex={-1}>
      <legend class="field-label">{t('coupons.products')}</legend>
      <p class="field-hint" id={`${id}-hint`}>
        {t('coupons.productsHint')}
      </p>
      {chosen.length > 0 && (
        <ul class="chosen-list" ref={chosenList} aria-label={t('coupons.chosenProducts')}>
          {chosen.map((productId, index) => (
            <li key={productId} class="chosen-item">
              <span>{label(productId)}</span>
              <button type="button" class="btn btn-ghost btn-small btn-danger-text" aria-label={t('coupons.removeProduct', { name: label(productId) })} onClick={() => remove(productId, index)}>
                {t('picker.remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <p class="sr-status" role="status">
        {message}
      </p>
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
      <div class="field">
        <label class="field-label" for={`${id}-search`}>
          {t('coupons.productSearch')}
        </label>
        <input
          id={`${id}-search`}
          class="input"
          type="search"
          maxLength={200}
          value={search}
          onInput={(e) => setSearch(e.currentTarget.value)}
          // The picker sits in the coupon's form: Enter searches (as typing does), it does not save.
          onKeyDown={(e) => {
            if (e.key === 'Enter') e.preventDefault();
          }}
        />
      </div>
      {list.items === null && list.busy && <LoadingLine status={false} />}
      {list.error !== null && !list.busy && <Notice kind="error">{errorMessage(list.error, lang)}</Notice>}
      {list.items && list.items.length === 0 && <p class="muted">{t(query === '' ? 'coupons.noProducts' : 'coupons.noProductsFound')}</p>}
      {list.items && list.items.length > 0 && (
        <div class="product-choices">
          {list.items.map((product) => (
            <label key={product.id} class="check">
              <input
                type="checkbox"
                checked={chosen.includes(product.id)}
                onChange={(e) => toggle({ id: product.id, name: product.name, sku: product.sku, active: product.active }, e.currentTarget.checked)}
              />
              <span>
                {product.name}
                {product.sku && <span class="muted"> · {product.sku}</span>}
                {!product.active && <span class="muted"> · {t('products.hiddenBadge')}</span>}
              </span>
            </label>
          ))}
        </div>
      )}
      <MoreButton list={list} />
    </fieldset>
  );
}
