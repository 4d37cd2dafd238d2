import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { CreateCouponDocument, DeleteCouponDocument, UpdateCouponDocument, type CouponInput, type CouponKind } from '../../generated/graphql';
import { ApiError, errorMessage } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { request } from '../../lib/graphql';
import { t } from '../../lib/i18n';
import { Button } from '../components/Button';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Field } from '../components/Field';
import { Notice } from '../components/Notice';
import { TextAreaField } from '../components/TextAreaField';
import { CategoryChecklist, Part } from '../catalog/ProductForm';
import type { Categories } from '../catalog/useCategories';
import { useAction, useLang } from '../hooks';
import { navigate } from '../router';
import { couponPath } from '../routes';
import { amountEcho } from './amounts';
import {
  COUPON_KINDS,
  COUPON_LIMITS,
  couponDraftOf,
  couponFieldOfError,
  couponInput,
  couponUses,
  emptyCouponDraft,
  firstCouponProblem,
  KIND_LABEL,
  type Coupon,
  type CouponDraft,
  type CouponField,
  type CouponProblems,
} from './coupons';
import { ProductPicker } from './ProductPicker';

export const COUPONS_PATH = '/dashboard/coupons/';

/** Deletes a coupon: gone when nobody used it, switched off (and kept for its orders) otherwise. */
export async function deleteCoupon(id: string) {
  return (await request(DeleteCouponDocument, { id })).deleteCoupon;
}

const KIND_HINT: Record<CouponKind, 'coupons.kindHint.PERCENT' | 'coupons.kindHint.FIXED' | 'coupons.kindHint.FREE_SHIPPING'> = {
  PERCENT: 'coupons.kindHint.PERCENT',
  FIXED: 'coupons.kindHint.FIXED',
  FREE_SHIPPING: 'coupons.kindHint.FREE_SHIPPING',
};

interface CouponFormProps {
  /** The coupon to edit; null for a new one. */
  coupon: Coupon | null;
  categories: Categories;
}

/** Creates or edits a coupon: every term of CouponInput, errors at the field the server names. */
export function CouponForm({ coupon, categories }: CouponFormProps) {
  const lang = useLang();
  const [saved, setSaved] = useState<Coupon | null>(coupon);
  const [draft, setDraft] = useState<CouponDraft>(() => (coupon ? couponDraftOf(coupon, lang) : emptyCouponDraft()));
  const [problems, setProblems] = useState<CouponProblems>({});
  const [done, setDone] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const fields = useRef<Partial<Record<CouponField, HTMLElement | null>>>({});
  const formId = useId();
  const ref = (field: CouponField) => (el: HTMLElement | null) => {
    fields.current[field] = el;
  };

  const save = useAction(async (input: CouponInput): Promise<Coupon> =>
    saved ? (await request(UpdateCouponDocument, { id: saved.id, input })).updateCoupon : (await request(CreateCouponDocument, { input })).createCoupon,
  );
  const serverField = save.error instanceof ApiError ? couponFieldOfError(save.error.field, draft.kind) : null;

  // A refusal that names a field puts the focus there.
  useEffect(() => {
    if (serverField) fields.current[serverField]?.focus();
  }, [save.error]);

  const edit = (patch: Partial<CouponDraft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setDone(false);
    if (!save.busy) save.reset();
    // Another kind shows another value field: the hidden one's problem goes with it.
    const changed = 'kind' in patch ? [...Object.keys(patch), 'percent', 'amount'] : Object.keys(patch);
    if (changed.some((f) => f in problems)) setProblems((p) => Object.fromEntries(Object.entries(p).filter(([f]) => !changed.includes(f))));
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    if (save.busy) return;
    setDone(false);
    const built = couponInput(draft, saved?.usedCount ?? 0, lang);
    if (!built.ok) {
      setProblems(built.problems);
      save.reset();
      const first = firstCouponProblem(built.problems);
      if (first) fields.current[first]?.focus();
      return;
    }
    setProblems({});
    const result = await save.run(built.input);
    if (!result) return;
    if (!coupon) {
      navigate(couponPath(result.id), { replace: true, flash: { kind: 'success', key: 'coupons.created', params: { code: result.code } } });
      return;
    }
    setSaved(result);
    setDraft(couponDraftOf(result, lang));
    setDone(true);
  };

  const errorOf = (field: CouponField): string | null => {
    const problem = problems[field];
    if (problem) return t(problem.key, problem.params);
    return serverField === field ? errorMessage(save.error, lang) : null;
  };

  const echo = (text: string, fallback: string) => {
    const read = amountEcho(text, lang);
    return read ? t('products.priceReads', { price: read }) : fallback;
  };

  const limit = (field: 'usageLimit' | 'perCustomerLimit', label: 'coupons.usageLimit' | 'coupons.perCustomerLimit', hint: string) => (
    <Field
      label={t(label)}
      hint={hint}
      type="number"
      inputMode="numeric"
      min={1}
      step={1}
      value={draft[field]}
      inputRef={ref(field)}
      error={errorOf(field)}
      onInput={(e) => edit({ [field]: e.currentTarget.value })}
    />
  );

  const generalError = save.error !== null && serverField === null;

  return (
    <>
      <form id={formId} class="form product-form coupon-form" noValidate onSubmit={submit}>
        <Part title={t('coupons.basics')}>
          <Field
            label={t('coupons.code')}
            hint={t('coupons.codeHint', { min: COUPON_LIMITS.codeMin, max: COUPON_LIMITS.codeMax })}
            required
            maxLength={COUPON_LIMITS.codeMax}
            autoCapitalize="characters"
            autoComplete="off"
            spellcheck={false}
            value={draft.code}
            inputRef={ref('code')}
            error={errorOf('code')}
            onInput={(e) => edit({ code: e.currentTarget.value })}
          />
          <TextAreaField
            label={t('coupons.description')}
            hint={t('coupons.descriptionHint', { max: COUPON_LIMITS.description })}
            required
            rows={2}
            maxLength={COUPON_LIMITS.description}
            value={draft.description}
            inputRef={ref('description')}
            error={errorOf('description')}
            onInput={(e) => edit({ description: e.currentTarget.value })}
          />
        </Part>

        <Part title={t('coupons.discountPart')}>
          <fieldset class="fieldset">
            <legend class="field-label">{t('coupons.kind')}</legend>
            {COUPON_KINDS.map((kind) => (
              <label class="check" key={kind}>
                <input type="radio" name={`${formId}-kind`} value={kind} checked={draft.kind === kind} onChange={() => edit({ kind })} />
                <span>
                  {t(KIND_LABEL[kind])}
                  <span class="field-hint check-hint">{t(KIND_HINT[kind])}</span>
                </span>
              </label>
            ))}
          </fieldset>
          <div class="form-grid">
            {draft.kind === 'PERCENT' && (
              <Field
                label={t('coupons.percent')}
                hint={t('coupons.percentHint')}
                type="number"
                inputMode="numeric"
                min={1}
                max={COUPON_LIMITS.percentMax}
                step={1}
                required
                value={draft.percent}
                inputRef={ref('percent')}
                error={errorOf('percent')}
                onInput={(e) => edit({ percent: e.currentTarget.value })}
              />
            )}
            {draft.kind === 'FIXED' && (
              <Field
                label={t('coupons.amount')}
                hint={echo(draft.amount, t('coupons.amountHint'))}
                inputMode="decimal"
                autoComplete="off"
                required
                value={draft.amount}
                inputRef={ref('amount')}
                error={errorOf('amount')}
                onInput={(e) => edit({ amount: e.currentTarget.value })}
              />
            )}
            <Field
              label={t('coupons.minSubtotal')}
              hint={echo(draft.minSubtotal, t('coupons.minSubtotalHint'))}
              inputMode="decimal"
              autoComplete="off"
              value={draft.minSubtotal}
              inputRef={ref('minSubtotal')}
              error={errorOf('minSubtotal')}
              onInput={(e) => edit({ minSubtotal: e.currentTarget.value })}
            />
          </div>
        </Part>

        <Part title={t('coupons.termsPart')}>
          <div class="form-grid">
            <Field
              label={t('coupons.startsAt')}
              hint={t('coupons.startsAtHint')}
              type="datetime-local"
              value={draft.startsAt}
              inputRef={ref('startsAt')}
              error={errorOf('startsAt')}
              onInput={(e) => edit({ startsAt: e.currentTarget.value })}
            />
            <Field
              label={t('coupons.endsAt')}
              hint={t('coupons.endsAtHint')}
              type="datetime-local"
              value={draft.endsAt}
              inputRef={ref('endsAt')}
              error={errorOf('endsAt')}
              onInput={(e) => edit({ endsAt: e.currentTarget.value })}
            />
            {limit('usageLimit', 'coupons.usageLimit', saved && saved.usedCount > 0 ? t('coupons.usageLimitHintUsed', { used: saved.usedCount }) : t('coupons.usageLimitHint'))}
            {limit('perCustomerLimit', 'coupons.perCustomerLimit', t('coupons.perCustomerLimitHint'))}
          </div>
        </Part>

        <Part title={t('coupons.scope')}>
          <p class="field-hint">{t('coupons.scopeHint')}</p>
          <ProductPicker chosen={draft.productIds} error={errorOf('productIds')} groupRef={ref('productIds')} onChange={(productIds) => edit({ productIds })} />
          <div class="scope-part">
            <h3>{t('products.categories')}</h3>
            <p class="field-hint">{t('coupons.categoriesHint')}</p>
            <CategoryChecklist
              categories={categories}
              chosen={draft.categoryIds}
              error={errorOf('categoryIds')}
              groupRef={ref('categoryIds')}
              onChange={(categoryIds) => edit({ categoryIds })}
            />
          </div>
        </Part>

        <Part title={t('coupons.publishing')}>
          <label class="check">
            <input type="checkbox" checked={draft.active} onChange={(e) => edit({ active: e.currentTarget.checked })} />
            <span>
              {t('coupons.active')}
              <span class="field-hint check-hint">{t('coupons.activeHint')}</span>
            </span>
          </label>
          <label class="check">
            <input type="checkbox" checked={draft.public} onChange={(e) => edit({ public: e.currentTarget.checked })} />
            <span>
              {t('coupons.public')}
              <span class="field-hint check-hint">{t('coupons.publicHint')}</span>
            </span>
          </label>
        </Part>
      </form>

      <div class="product-actions">
        {Object.keys(problems).length > 0 && <Notice kind="error">{t('products.fixFields')}</Notice>}
        {generalError && (
          <Notice kind="error" focus>
            {errorMessage(save.error, lang)}
          </Notice>
        )}
        {done && saved && <Notice kind="success">{t('coupons.saved', { code: saved.code })}</Notice>}
        <div class="form-actions">
          <Button type="submit" form={formId} busy={save.busy} busyText={t('common.saving')}>
            {t(saved ? 'common.save' : 'coupons.create')}
          </Button>
          {saved && (
            <a class="btn btn-secondary" href={saved.url} target="_blank" rel="noopener noreferrer">
              {t('coupons.viewInStore')}
              <span class="visually-hidden"> ({t('common.newTab')})</span>
            </a>
          )}
          <a class="btn btn-ghost" href={COUPONS_PATH}>
            {t('coupons.backToList')}
          </a>
          {saved && (
            <Button variant="ghost" class="btn-danger-text push-end" aria-haspopup="dialog" onClick={() => setDeleting(true)}>
              {t('coupons.delete')}
            </Button>
          )}
        </div>
        {saved && (
          <p class="muted">
            {t('coupons.usedSoFar', { uses: couponUses(saved, lang) })} · {t('coupons.createdAt', { date: formatDateTime(saved.createdAt, lang) })}
          </p>
        )}
      </div>

      <ConfirmDialog
        open={deleting}
        title={t('coupons.deleteTitle')}
        text={saved ? t('coupons.deleteText', { code: saved.code }) : ''}
        confirmLabel={t('coupons.deleteConfirm')}
        busyLabel={t('coupons.deleting')}
        onConfirm={async () => {
          if (!saved) return;
          const removal = await deleteCoupon(saved.id);
          navigate(COUPONS_PATH, { flash: { kind: 'success', key: removal === 'DELETED' ? 'coupons.deleted' : 'coupons.deactivated', params: { code: saved.code } } });
        }}
        onClose={() => setDeleting(false)}
      />
    </>
  );
}
