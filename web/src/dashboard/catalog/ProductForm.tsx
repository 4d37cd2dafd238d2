import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { CreateProductDocument, DeleteProductDocument, SetProductMediaDocument, UpdateProductDocument, type ProductInput } from '../../generated/graphql';
import { ApiError, errorMessage } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { request } from '../../lib/graphql';
import { t } from '../../lib/i18n';
import { formatKurus, parseLira } from '../../lib/money';
import { mediaChanged } from '../../lib/productMedia';
import { Button } from '../components/Button';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Field } from '../components/Field';
import { Notice } from '../components/Notice';
import { TextAreaField } from '../components/TextAreaField';
import { useAction, useLang } from '../hooks';
import { navigate } from '../router';
import { productPath } from '../routes';
import { draftOf, emptyDraft, fieldOfError, firstProblem, LIMITS, productInput, type Problems, type Product, type ProductDraft, type ProductField } from './form';
import { MediaPicker, type PickedMedia } from './MediaPicker';
import type { Categories } from './useCategories';

interface ProductFormProps {
  /** The product to edit; null for a new one. */
  product: Product | null;
  categories: Categories;
}

/** Which save step failed: the product's fields, or its media after them. */
type Stage = 'product' | 'media';

/**
 * Creates or edits a product: its fields, categories and media. Saving sends the fields
 * (createProduct / updateProduct) and then, when the pictures or the video changed, the
 * whole media choice in one setProductMedia. Errors naming a field are shown at it.
 */
export function ProductForm({ product, categories }: ProductFormProps) {
  const lang = useLang();
  const [saved, setSaved] = useState<Product | null>(product);
  const [draft, setDraft] = useState<ProductDraft>(() => (product ? draftOf(product, lang) : emptyDraft()));
  const [media, setMedia] = useState<PickedMedia>({ images: product?.images ?? [], video: product?.video ?? null });
  const [problems, setProblems] = useState<Problems>({});
  const [done, setDone] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [uploading, setUploading] = useState(false);
  const stage = useRef<Stage>('product');
  const fields = useRef<Partial<Record<ProductField, HTMLElement | null>>>({});
  const formId = useId();
  const ref = (field: ProductField) => (el: HTMLElement | null) => {
    fields.current[field] = el;
  };

  const save = useAction(async (input: ProductInput): Promise<Product> => {
    stage.current = 'product';
    let result = saved
      ? (await request(UpdateProductDocument, { id: saved.id, input })).updateProduct
      : (await request(CreateProductDocument, { input })).createProduct;
    // From here on the form edits this product, even if its media fail below.
    setSaved(result);
    if (mediaChanged(result, media)) {
      stage.current = 'media';
      result = (await request(SetProductMediaDocument, { productId: result.id, imageIds: media.images.map((m) => m.id), videoId: media.video?.id ?? null }))
        .setProductMedia;
      setSaved(result);
    }
    return result;
  });

  const serverField = save.error instanceof ApiError ? fieldOfError(save.error.field) : null;
  const mediaFailed = save.error !== null && (stage.current === 'media' || serverField === 'media');

  // A refusal that names a field puts the focus there.
  useEffect(() => {
    if (serverField && serverField !== 'media') fields.current[serverField]?.focus();
  }, [save.error]);

  const edit = (patch: Partial<ProductDraft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setDone(false);
    if (!save.busy) save.reset();
    const changed = Object.keys(patch) as ProductField[];
    if (changed.some((f) => problems[f])) setProblems((p) => Object.fromEntries(Object.entries(p).filter(([f]) => !changed.includes(f as ProductField))));
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    if (save.busy || uploading) return;
    setDone(false);
    const built = productInput(draft, saved ? { slug: saved.slug, stock: saved.stock } : null);
    if (!built.ok) {
      setProblems(built.problems);
      save.reset();
      const first = firstProblem(built.problems);
      if (first) fields.current[first]?.focus();
      return;
    }
    setProblems({});
    const result = await save.run(built.input);
    if (!result) return;
    // A new product gets its own address (where the form shows what the server made of it).
    if (!product) {
      navigate(productPath(result.id), { replace: true, flash: { kind: 'success', key: 'products.created', params: { name: result.name } } });
      return;
    }
    setDraft(draftOf(result, lang));
    setMedia({ images: result.images, video: result.video });
    setDone(true);
  };

  /** The message for a field: the browser's check, or the server's refusal naming it. */
  const errorOf = (field: ProductField): string | null => {
    const problem = problems[field];
    if (problem) return t(problem.key, problem.params);
    if (serverField === field && !mediaFailed) return errorMessage(save.error, lang);
    return null;
  };

  const priceEcho = (text: string): string | null => {
    const parsed = parseLira(text);
    return parsed.ok ? t('products.priceReads', { price: formatKurus(parsed.kurus, lang) }) : null;
  };

  const text = (field: 'name' | 'slug' | 'sku' | 'seoTitle' | 'externalUrl') => ({
    value: draft[field],
    inputRef: ref(field),
    error: errorOf(field),
    onInput: (e: Event) => edit({ [field]: (e.currentTarget as HTMLInputElement).value }),
  });

  const generalError = save.error !== null && !mediaFailed && serverField === null;

  return (
    <>
      <form id={formId} class="form product-form" noValidate onSubmit={submit}>
        <Part title={t('products.basics')}>
          <Field label={t('products.name')} required maxLength={LIMITS.name} {...text('name')} />
          <Field
            label={t('products.slug')}
            hint={saved ? t('products.slugHintSaved', { slug: saved.slug }) : t('products.slugHintNew')}
            spellcheck={false}
            autoCapitalize="off"
            maxLength={LIMITS.slug}
            {...text('slug')}
          />
          <TextAreaField
            label={t('products.description')}
            hint={t('products.descriptionHint')}
            rows={8}
            value={draft.description}
            inputRef={ref('description')}
            error={errorOf('description')}
            onInput={(e) => edit({ description: e.currentTarget.value })}
          />
          <details class="preview">
            <summary>{t('products.preview')}</summary>
            {saved ? (
              <>
                <p class="field-hint">{t('products.previewHint')}</p>
                {draft.description !== saved.description && <p class="field-hint preview-stale">{t('products.previewStale')}</p>}
                {saved.descriptionHtml.trim() === '' ? (
                  <p class="muted">{t('products.previewEmpty')}</p>
                ) : (
                  // The server's sanitised HTML (scripts, handlers and unknown tags removed).
                  <div class="description-preview" dangerouslySetInnerHTML={{ __html: saved.descriptionHtml }} />
                )}
              </>
            ) : (
              <p class="muted">{t('products.previewAfterSave')}</p>
            )}
          </details>
          <Field label={t('products.sku')} hint={t('products.skuHint')} maxLength={LIMITS.sku} spellcheck={false} {...text('sku')} />
        </Part>

        <Part title={t('products.pricing')}>
          <div class="form-grid">
            <Field
              label={t('products.price')}
              hint={priceEcho(draft.price) ?? t('products.priceHint')}
              inputMode="decimal"
              autoComplete="off"
              required
              value={draft.price}
              inputRef={ref('price')}
              error={errorOf('price')}
              onInput={(e) => edit({ price: e.currentTarget.value })}
            />
            <Field
              label={t('products.salePrice')}
              hint={priceEcho(draft.salePrice) ?? t('products.salePriceHint')}
              inputMode="decimal"
              autoComplete="off"
              value={draft.salePrice}
              inputRef={ref('salePrice')}
              error={errorOf('salePrice')}
              onInput={(e) => edit({ salePrice: e.currentTarget.value })}
            />
            <Field
              label={t('products.saleStartsAt')}
              hint={t('products.saleStartsAtHint')}
              type="datetime-local"
              value={draft.saleStartsAt}
              inputRef={ref('saleStartsAt')}
              error={errorOf('saleStartsAt')}
              onInput={(e) => edit({ saleStartsAt: e.currentTarget.value })}
            />
            <Field
              label={t('products.saleEndsAt')}
              hint={t('products.saleEndsAtHint')}
              type="datetime-local"
              value={draft.saleEndsAt}
              inputRef={ref('saleEndsAt')}
              error={errorOf('saleEndsAt')}
              onInput={(e) => edit({ saleEndsAt: e.currentTarget.value })}
            />
            <Field
              label={t('products.vatRate')}
              hint={t('products.vatRateHint')}
              type="number"
              inputMode="numeric"
              min={0}
              max={100}
              step={1}
              value={draft.vatRate}
              inputRef={ref('vatRate')}
              error={errorOf('vatRate')}
              onInput={(e) => edit({ vatRate: e.currentTarget.value })}
            />
            <Field
              label={t('products.stock')}
              type="number"
              inputMode="numeric"
              min={0}
              max={LIMITS.stock}
              step={1}
              value={draft.stock}
              inputRef={ref('stock')}
              error={errorOf('stock')}
              onInput={(e) => edit({ stock: e.currentTarget.value })}
            />
          </div>
          {saved?.onSale && <p class="field-hint">{t('products.onSaleNow')}</p>}
        </Part>

        <Part title={t('products.categories')}>
          <CategoryChecklist
            categories={categories}
            chosen={draft.categoryIds}
            error={errorOf('categoryIds')}
            groupRef={ref('categoryIds')}
            onChange={(categoryIds) => edit({ categoryIds })}
          />
        </Part>

        <Part title={t('products.publishing')}>
          <label class="check">
            <input type="checkbox" checked={draft.active} onChange={(e) => edit({ active: e.currentTarget.checked })} />
            <span>
              {t('products.active')}
              <span class="field-hint check-hint">{t('products.activeHint')}</span>
            </span>
          </label>
          <Field label={t('products.externalUrl')} hint={t('products.externalUrlHint')} type="url" inputMode="url" spellcheck={false} {...text('externalUrl')} />
          <Field label={t('products.seoTitle')} hint={t('products.seoTitleHint', { max: LIMITS.seoTitle })} maxLength={LIMITS.seoTitle} {...text('seoTitle')} />
          <TextAreaField
            label={t('products.seoDescription')}
            hint={t('products.seoDescriptionHint', { max: LIMITS.seoDescription })}
            rows={3}
            maxLength={LIMITS.seoDescription}
            value={draft.seoDescription}
            inputRef={ref('seoDescription')}
            error={errorOf('seoDescription')}
            onInput={(e) => edit({ seoDescription: e.currentTarget.value })}
          />
        </Part>
      </form>

      {/* Outside the form: its dialogs' controls must not submit it. */}
      <MediaPicker
        value={media}
        onChange={(next) => {
          setMedia(next);
          setDone(false);
        }}
        error={mediaFailed ? t('products.mediaFailed', { message: errorMessage(save.error, lang) }) : null}
        onUploading={setUploading}
      />

      <div class="product-actions">
        {Object.keys(problems).length > 0 && <Notice kind="error">{t('products.fixFields')}</Notice>}
        {generalError && (
          <Notice kind="error" focus>
            {errorMessage(save.error, lang)}
          </Notice>
        )}
        {done && saved && <Notice kind="success">{t('products.saved', { name: saved.name })}</Notice>}
        {uploading && (
          <p class="field-hint" id={`${formId}-uploading`}>
            {t('products.waitForUploads')}
          </p>
        )}
        <div class="form-actions">
          <Button type="submit" form={formId} busy={save.busy} busyText={t('common.saving')} disabled={uploading} aria-describedby={uploading ? `${formId}-uploading` : undefined}>
            {t(saved ? 'common.save' : 'products.create')}
          </Button>
          {saved && (
            <a class="btn btn-secondary" href={saved.url} target="_blank" rel="noopener noreferrer">
              {t('products.viewInStore')}
              <span class="visually-hidden"> ({t('common.newTab')})</span>
            </a>
          )}
          <a class="btn btn-ghost" href="/dashboard/products/">
            {t('products.backToList')}
          </a>
          {saved && (
            <Button variant="ghost" class="btn-danger-text push-end" aria-haspopup="dialog" onClick={() => setDeleting(true)}>
              {t('products.delete')}
            </Button>
          )}
        </div>
        {saved && (
          <p class="muted">
            {t('products.updatedAt', { date: formatDateTime(saved.updatedAt, lang) })}
          </p>
        )}
      </div>

      <ConfirmDialog
        open={deleting}
        title={t('products.deleteTitle')}
        text={saved ? t('products.deleteText', { name: saved.name }) : ''}
        confirmLabel={t('products.deleteConfirm')}
        busyLabel={t('products.deleting')}
        onConfirm={async () => {
          if (!saved) return;
          await request(DeleteProductDocument, { id: saved.id });
          navigate('/dashboard/products/', { flash: { kind: 'success', key: 'products.deleted', params: { name: saved.name } } });
        }}
        onClose={() => setDeleting(false)}
      />
    </>
  );
}

export function Part({ title, children }: { title: string; children: ComponentChildren }) {
  const id = useId();
  return (
    <section class="card section form-part" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <div class="form">{children}</div>
    </section>
  );
}

interface CategoryChecklistProps {
  categories: Categories;
  chosen: readonly string[];
  error: string | null;
  groupRef(el: HTMLElement | null): void;
  onChange(ids: string[]): void;
}

/** Every category as a checkbox, indented under its parent. */
export function CategoryChecklist({ categories, chosen, error, groupRef, onChange }: CategoryChecklistProps) {
  const lang = useLang();
  const errorId = useId();
  if (categories.error !== null) return <Notice kind="error">{errorMessage(categories.error, lang)}</Notice>;
  if (!categories.tree) return <p class="muted">{t('app.loading')}</p>;
  if (categories.nodes.length === 0) {
    return (
      <p class="muted">
        {t('products.noCategories')} <a href="/dashboard/categories/">{t('products.toCategories')}</a>
      </p>
    );
  }
  return (
    <fieldset class={`fieldset category-checklist${error ? ' has-error' : ''}`} aria-describedby={error ? errorId : undefined} ref={groupRef} tabIndex={-1}>
      <legend class="visually-hidden">{t('products.categories')}</legend>
      {categories.nodes.map((node) => (
        <label key={node.id} class={`check depth-${node.depth}`}>
          <input
            type="checkbox"
            checked={chosen.includes(node.id)}
            onChange={(e) => onChange(e.currentTarget.checked ? [...chosen, node.id] : chosen.filter((id) => id !== node.id))}
          />
          <span>{node.name}</span>
        </label>
      ))}
      {error && (
        <p class="field-error" id={errorId}>
          {error}
        </p>
      )}
    </fieldset>
  );
}
