import { useEffect, useRef, useState } from 'preact/hooks';
import { StatSettingsDocument, UpdateStatSettingsDocument, type StatSettingsInput } from '../../generated/graphql';
import { errorMessage } from '../../lib/errors';
import { request } from '../../lib/graphql';
import { t } from '../../lib/i18n';
import { Button } from '../components/Button';
import { Field } from '../components/Field';
import { LoadingLine } from '../components/LoadingLine';
import { Notice } from '../components/Notice';
import { useAction, useLang } from '../hooks';
import { draftOf, istanbulYear, settingsChanges, type NumberField, type Settings, type SettingsDraft, type SettingsProblem } from './settings';

const CHECKS: Array<{ field: 'autoApproveReviews' | 'countReviewsAsJobs' | 'countVisitsAsJobs'; label: 'settings.autoApprove' | 'settings.countReviews' | 'settings.countVisits'; hint: 'settings.autoApproveHint' | 'settings.countReviewsHint' | 'settings.countVisitsHint' }> = [
  { field: 'autoApproveReviews', label: 'settings.autoApprove', hint: 'settings.autoApproveHint' },
  { field: 'countReviewsAsJobs', label: 'settings.countReviews', hint: 'settings.countReviewsHint' },
  { field: 'countVisitsAsJobs', label: 'settings.countVisits', hint: 'settings.countVisitsHint' },
];

/** The settings behind the numbers; only what changed is sent. */
export function SettingsForm() {
  const lang = useLang();
  const [saved, setSaved] = useState<Settings | null>(null);
  const [draft, setDraft] = useState<SettingsDraft | null>(null);
  const [problem, setProblem] = useState<SettingsProblem | null>(null);
  const [result, setResult] = useState<'saved' | 'unchanged' | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const refs = {
    completedJobsBase: useRef<HTMLInputElement>(null),
    happyCustomersBase: useRef<HTMLInputElement>(null),
    contactMessagesBase: useRef<HTMLInputElement>(null),
    foundedYear: useRef<HTMLInputElement>(null),
    happyThreshold: useRef<HTMLSelectElement>(null),
  };

  useEffect(() => {
    request(StatSettingsDocument, {}).then(
      ({ statSettings }) => {
        setSaved(statSettings);
        setDraft(draftOf(statSettings));
      },
      (e: unknown) => setLoadError(e),
    );
  }, []);

  const save = useAction(async (input: StatSettingsInput) => {
    const { updateStatSettings } = await request(UpdateStatSettingsDocument, { input });
    setSaved(updateStatSettings);
    setDraft(draftOf(updateStatSettings));
    return updateStatSettings;
  });

  const edit = (patch: Partial<SettingsDraft>) => {
    setDraft((d) => (d ? { ...d, ...patch } : d));
    setResult(null);
    setProblem(null);
    if (!save.busy) save.reset();
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!saved || !draft) return;
    setResult(null);
    const changes = settingsChanges(saved, draft, istanbulYear());
    if (!changes.ok) {
      setProblem(changes.problem);
      refs[changes.problem.field].current?.focus();
      return;
    }
    setProblem(null);
    if (Object.keys(changes.input).length === 0) {
      setResult('unchanged');
      return;
    }
    if (await save.run(changes.input)) setResult('saved');
  };

  const problemText = (field: NumberField): string | null => {
    if (problem?.field !== field) return null;
    if (problem.key === 'error.foundedYearRange') return t(problem.key, { min: problem.min, max: problem.max });
    return t(problem.key);
  };
  const serverError = save.error !== null ? errorMessage(save.error, lang) : null;

  return (
    <section class="card section" aria-labelledby="settings-title">
      <h2 id="settings-title">{t('settings.title')}</h2>
      <p class="muted">{t('settings.intro')}</p>
      {!draft && loadError === null && <LoadingLine />}
      {!draft && loadError !== null && <Notice kind="error">{errorMessage(loadError, lang)}</Notice>}
      {draft && (
        <form class="form settings-form" noValidate onSubmit={submit}>
          <div class="form-grid">
            {(
              [
                ['completedJobsBase', 'settings.completedJobsBase', 'settings.completedJobsBaseHint'],
                ['happyCustomersBase', 'settings.happyCustomersBase', 'settings.happyCustomersBaseHint'],
                ['contactMessagesBase', 'settings.contactMessagesBase', 'settings.contactMessagesBaseHint'],
              ] as const
            ).map(([field, label, hint]) => (
              <Field
                key={field}
                label={t(label)}
                hint={t(hint)}
                type="number"
                inputMode="numeric"
                min={0}
                max={1_000_000_000}
                step={1}
                name={field}
                value={draft[field]}
                inputRef={refs[field]}
                error={problemText(field)}
                onInput={(e) => edit({ [field]: e.currentTarget.value })}
              />
            ))}
            <Field
              label={t('settings.foundedYear')}
              hint={t('settings.foundedYearHint')}
              type="number"
              inputMode="numeric"
              min={1800}
              max={istanbulYear()}
              step={1}
              name="foundedYear"
              value={draft.foundedYear}
              inputRef={refs.foundedYear}
              error={problemText('foundedYear')}
              onInput={(e) => edit({ foundedYear: e.currentTarget.value })}
            />
            <div class={`field${problem?.field === 'happyThreshold' ? ' has-error' : ''}`}>
              <label class="field-label" for="settings-threshold">
                {t('settings.happyThreshold')}
              </label>
              <select
                id="settings-threshold"
                ref={refs.happyThreshold}
                class="input"
                value={draft.happyThreshold}
                aria-describedby="settings-threshold-hint"
                onChange={(e) => edit({ happyThreshold: e.currentTarget.value })}
              >
                {[1, 2, 3, 4, 5].map((n) => (
                  <option key={n} value={String(n)}>
                    {t('settings.stars', { n })}
                  </option>
                ))}
              </select>
              {problem?.field === 'happyThreshold' && <p class="field-error">{problemText('happyThreshold')}</p>}
              <p class="field-hint" id="settings-threshold-hint">
                {t('settings.happyThresholdHint')}
              </p>
            </div>
          </div>
          <fieldset class="fieldset">
            <legend class="field-label">{t('settings.rules')}</legend>
            {CHECKS.map((c) => (
              <label class="check" key={c.field}>
                <input type="checkbox" name={c.field} checked={draft[c.field]} onChange={(e) => edit({ [c.field]: e.currentTarget.checked })} />
                <span>
                  {t(c.label)}
                  <span class="field-hint check-hint">{t(c.hint)}</span>
                </span>
              </label>
            ))}
          </fieldset>
          {result === 'saved' && <Notice kind="success">{t('settings.saved')}</Notice>}
          {result === 'unchanged' && <Notice kind="info">{t('settings.unchanged')}</Notice>}
          {serverError && (
            <Notice kind="error" focus>
              {serverError}
            </Notice>
          )}
          <div class="form-actions">
            <Button type="submit" busy={save.busy} busyText={t('common.saving')}>
              {t('settings.save')}
            </Button>
          </div>
        </form>
      )}
    </section>
  );
}
