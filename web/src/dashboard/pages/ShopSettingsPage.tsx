import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { ShopSettingsDocument, UpdateShopSettingsDocument, type ShopSettingsInput } from '../../generated/graphql';
import { ApiError, errorMessage } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { request } from '../../lib/graphql';
import { t } from '../../lib/i18n';
import { MAX_FEE_KURUS } from '../../lib/money';
import { Button } from '../components/Button';
import { Field } from '../components/Field';
import { LoadingLine } from '../components/LoadingLine';
import { Notice } from '../components/Notice';
import { PageHeading } from '../components/PageHeading';
import { RetryNotice } from '../components/RetryNotice';
import { TextAreaField } from '../components/TextAreaField';
import { Part } from '../catalog/ProductForm';
import { useAction, useLang } from '../hooks';
import { amountEcho } from '../shop/amounts';
import {
  accountField,
  draftOf,
  firstShopProblem,
  SHOP_LIMITS,
  settingsChanges,
  shopFieldOfError,
  type AccountPart,
  type BankAccountDraft,
  type ShopField,
  type ShopProblems,
  type ShopSettings,
  type ShopSettingsDraft,
} from '../shop/settings';

/** `/dashboard/shop-settings/`: shipping fees, cash on delivery, the bank accounts for transfers and the hosts external links may point to. */
export function ShopSettingsPage() {
  useLang();
  const [saved, setSaved] = useState<ShopSettings | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);

  const load = () => {
    setLoadError(null);
    request(ShopSettingsDocument, {}).then(
      ({ shopSettings }) => setSaved(shopSettings),
      (e: unknown) => setLoadError(e),
    );
  };
  useEffect(load, []);

  return (
    <>
      <PageHeading title={t('shop.title')}>
        <p class="lead">{t('shop.intro')}</p>
      </PageHeading>
      {!saved && loadError === null && <LoadingLine />}
      {!saved && loadError !== null && <RetryNotice error={loadError} onRetry={load} />}
      {saved && <ShopSettingsForm saved={saved} onSaved={setSaved} />}
    </>
  );
}

function ShopSettingsForm({ saved, onSaved }: { saved: ShopSettings; onSaved(settings: ShopSettings): void }) {
  const lang = useLang();
  const formId = useId();
  const [draft, setDraft] = useState<ShopSettingsDraft>(() => draftOf(saved, lang));
  const [problems, setProblems] = useState<ShopProblems>({});
  const [result, setResult] = useState<'saved' | 'unchanged' | null>(null);
  const [rowMessage, setRowMessage] = useState<string | null>(null);
  const fields = useRef<Partial<Record<ShopField, HTMLElement | null>>>({});
  const focusNext = useRef<ShopField | null>(null);
  const added = useRef(0);
  const addButtonId = `${formId}-add-account`;
  const ref = (field: ShopField) => (el: HTMLElement | null) => {
    fields.current[field] = el;
  };

  const save = useAction(async (input: ShopSettingsInput) => {
    const { updateShopSettings } = await request(UpdateShopSettingsDocument, { input });
    onSaved(updateShopSettings);
    setDraft(draftOf(updateShopSettings, lang));
    return updateShopSettings;
  });
  const serverField = save.error instanceof ApiError ? shopFieldOfError(save.error.field) : null;

  // A refusal that names a field puts the focus there.
  useEffect(() => {
    if (serverField) fields.current[serverField]?.focus();
  }, [save.error]);

  // A row added or taken away moves the focus once it is on screen.
  useEffect(() => {
    if (focusNext.current === null) return;
    const field = focusNext.current;
    focusNext.current = null;
    (fields.current[field] ?? document.getElementById(addButtonId))?.focus();
  }, [draft.bankAccounts.length]);

  const changed = () => {
    setResult(null);
    if (!save.busy) save.reset();
  };

  const edit = (patch: Partial<ShopSettingsDraft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    changed();
    const keys = Object.keys(patch);
    setProblems((p) => Object.fromEntries(Object.entries(p).filter(([f]) => !keys.includes(f))));
  };

  const editAccount = (index: number, part: AccountPart, value: string) => {
    setDraft((d) => ({ ...d, bankAccounts: d.bankAccounts.map((row, i) => (i === index ? { ...row, [part]: value } : row)) }));
    changed();
    const field = accountField(index, part);
    setProblems((p) => Object.fromEntries(Object.entries(p).filter(([f]) => f !== field)));
  };

  /** Rows move up when one goes: their problems (named by position) are checked again on saving. */
  const withoutAccountProblems = (p: ShopProblems): ShopProblems => Object.fromEntries(Object.entries(p).filter(([f]) => !f.startsWith('bankAccounts')));

  const addAccount = () => {
    const row: BankAccountDraft = { key: `new-${++added.current}`, bank: '', holder: '', iban: '' };
    focusNext.current = accountField(draft.bankAccounts.length, 'bank');
    setDraft((d) => ({ ...d, bankAccounts: [...d.bankAccounts, row] }));
    setRowMessage(t('shop.accountAdded', { n: draft.bankAccounts.length + 1 }));
    changed();
  };

  const removeAccount = (index: number) => {
    const rest = draft.bankAccounts.filter((_, i) => i !== index);
    // Focus goes to the row that took its place, the one before it, or "add".
    focusNext.current = rest.length === 0 ? null : accountField(Math.min(index, rest.length - 1), 'bank');
    if (rest.length === 0) window.setTimeout(() => document.getElementById(addButtonId)?.focus(), 0);
    setDraft((d) => ({ ...d, bankAccounts: rest }));
    setProblems(withoutAccountProblems);
    setRowMessage(t('shop.accountRemoved', { n: index + 1 }));
    changed();
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    if (save.busy) return;
    setResult(null);
    setRowMessage(null);
    const changes = settingsChanges(saved, draft, lang);
    if (!changes.ok) {
      setProblems(changes.problems);
      save.reset();
      const first = firstShopProblem(draft, changes.problems);
      if (first) fields.current[first]?.focus();
      return;
    }
    setProblems({});
    if (Object.keys(changes.input).length === 0) {
      setResult('unchanged');
      return;
    }
    if (await save.run(changes.input)) setResult('saved');
  };

  const errorOf = (field: ShopField): string | null => {
    const problem = problems[field];
    if (problem) return t(problem.key, problem.params);
    return serverField === field ? errorMessage(save.error, lang) : null;
  };

  const amount = (field: 'shippingFee' | 'freeShippingThreshold' | 'cashOnDeliveryFee', label: string, hint: string, max?: bigint) => {
    const read = amountEcho(draft[field], lang, max);
    return (
      <Field
        label={label}
        hint={read ? `${t('products.priceReads', { price: read })} · ${hint}` : hint}
        inputMode="decimal"
        autoComplete="off"
        required={field !== 'freeShippingThreshold'}
        value={draft[field]}
        inputRef={ref(field)}
        error={errorOf(field)}
        onInput={(e) => edit({ [field]: e.currentTarget.value })}
      />
    );
  };

  const full = draft.bankAccounts.length >= SHOP_LIMITS.bankAccounts;
  const generalError = save.error !== null && serverField === null;

  return (
    <>
      <form id={formId} class="form product-form shop-settings-form" noValidate onSubmit={submit}>
        <Part title={t('shop.shipping')}>
          <div class="form-grid">
            {amount('shippingFee', t('shop.shippingFee'), t('shop.shippingFeeHint'), MAX_FEE_KURUS)}
            {amount('freeShippingThreshold', t('shop.freeShippingThreshold'), t('shop.freeShippingThresholdHint'))}
          </div>
        </Part>

        <Part title={t('shop.cashOnDeliveryTitle')}>
          <label class="check">
            <input type="checkbox" checked={draft.cashOnDelivery} onChange={(e) => edit({ cashOnDelivery: e.currentTarget.checked })} />
            <span>
              {t('shop.cashOnDelivery')}
              <span class="field-hint check-hint">{t('shop.cashOnDeliveryHint')}</span>
            </span>
          </label>
          <div class="form-grid">{amount('cashOnDeliveryFee', t('shop.cashOnDeliveryFee'), t('shop.cashOnDeliveryFeeHint'), MAX_FEE_KURUS)}</div>
        </Part>

        <Part title={t('shop.bankAccounts')}>
          <p class="field-hint">{t('shop.bankAccountsHint', { max: SHOP_LIMITS.bankAccounts })}</p>
          <div class="bank-accounts" ref={ref('bankAccounts')} tabIndex={-1}>
            {draft.bankAccounts.length === 0 && <p class="muted">{t('shop.noBankAccounts')}</p>}
            {draft.bankAccounts.map((row, index) => (
              <fieldset key={row.key} class="fieldset bank-account">
                <legend class="field-label">{t('shop.accountN', { n: index + 1 })}</legend>
                <div class="form-grid">
                  <Field
                    label={t('shop.bank')}
                    required
                    maxLength={SHOP_LIMITS.bank}
                    value={row.bank}
                    inputRef={ref(accountField(index, 'bank'))}
                    error={errorOf(accountField(index, 'bank'))}
                    onInput={(e) => editAccount(index, 'bank', e.currentTarget.value)}
                  />
                  <Field
                    label={t('shop.holder')}
                    required
                    maxLength={SHOP_LIMITS.holder}
                    autoComplete="off"
                    value={row.holder}
                    inputRef={ref(accountField(index, 'holder'))}
                    error={errorOf(accountField(index, 'holder'))}
                    onInput={(e) => editAccount(index, 'holder', e.currentTarget.value)}
                  />
                  <Field
                    label={t('shop.iban')}
                    hint={t('shop.ibanHint')}
                    required
                    autoComplete="off"
                    spellcheck={false}
                    autoCapitalize="characters"
                    maxLength={40}
                    value={row.iban}
                    inputRef={ref(accountField(index, 'iban'))}
                    error={errorOf(accountField(index, 'iban'))}
                    onInput={(e) => editAccount(index, 'iban', e.currentTarget.value)}
                  />
                </div>
                <div class="form-actions">
                  <Button
                    variant="ghost"
                    class="btn-small btn-danger-text"
                    aria-label={t('shop.removeAccountLabel', { n: index + 1, bank: row.bank.trim() || t('shop.accountN', { n: index + 1 }) })}
                    onClick={() => removeAccount(index)}
                  >
                    {t('shop.removeAccount')}
                  </Button>
                </div>
              </fieldset>
            ))}
            {errorOf('bankAccounts') && <p class="field-error">{errorOf('bankAccounts')}</p>}
            <div class="form-actions">
              <Button id={addButtonId} variant="secondary" disabled={full} aria-describedby={full ? `${formId}-full` : undefined} onClick={addAccount}>
                {t('shop.addAccount')}
              </Button>
              {full && (
                <span class="field-hint" id={`${formId}-full`}>
                  {t('shop.accountsFull', { max: SHOP_LIMITS.bankAccounts })}
                </span>
              )}
            </div>
            <p class="sr-status" role="status">
              {rowMessage}
            </p>
          </div>
        </Part>

        <Part title={t('shop.externalLinks')}>
          <TextAreaField
            label={t('shop.externalLinkHosts')}
            hint={t('shop.externalLinkHostsHint', { max: SHOP_LIMITS.hosts })}
            rows={6}
            spellcheck={false}
            autoCapitalize="off"
            value={draft.externalLinkHosts}
            inputRef={ref('externalLinkHosts')}
            error={errorOf('externalLinkHosts')}
            onInput={(e) => edit({ externalLinkHosts: e.currentTarget.value })}
          />
        </Part>
      </form>

      <div class="product-actions">
        {Object.keys(problems).length > 0 && <Notice kind="error">{t('products.fixFields')}</Notice>}
        {generalError && (
          <Notice kind="error" focus>
            {errorMessage(save.error, lang)}
          </Notice>
        )}
        {result === 'saved' && <Notice kind="success">{t('shop.saved')}</Notice>}
        {result === 'unchanged' && <Notice kind="info">{t('settings.unchanged')}</Notice>}
        <div class="form-actions">
          <Button type="submit" form={formId} busy={save.busy} busyText={t('common.saving')}>
            {t('shop.save')}
          </Button>
        </div>
        <p class="muted">{t('products.updatedAt', { date: formatDateTime(saved.updatedAt, lang) })}</p>
      </div>
    </>
  );
}
