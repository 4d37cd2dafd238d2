import { useEffect, useState } from 'preact/hooks';
import { UpdateProfileDocument } from '../../generated/graphql';
import { errorMessage } from '../../lib/errors';
import { request } from '../../lib/graphql';
import { LANGS, localeFromLang, setLanguage, t, type Lang } from '../../lib/i18n';
import { useAction, useLang, useStore } from '../hooks';
import { session, setSignedIn } from '../session';

const NAMES: Record<Lang, string> = { tr: 'Türkçe', en: 'English' };

/**
 * Türkçe / English. Signed out it only changes this browser's choice; signed in it also
 * saves the language to the profile (the language of e-mails too).
 */
export function LanguageSwitch() {
  const lang = useLang();
  const s = useStore(session);
  const [message, setMessage] = useState<'saved' | null>(null);
  const save = useAction(async (next: Lang) => {
    const { updateProfile } = await request(UpdateProfileDocument, { input: { locale: localeFromLang(next) } });
    setSignedIn(updateProfile);
    return updateProfile;
  });

  useEffect(() => {
    if (message === null) return;
    const timer = window.setTimeout(() => setMessage(null), 5000);
    return () => window.clearTimeout(timer);
  }, [message]);

  const choose = async (next: Lang) => {
    if (next === lang || save.busy) return;
    setMessage(null);
    if (s.status !== 'signedIn') {
      setLanguage(next);
      return;
    }
    const previous = lang;
    setLanguage(next);
    const saved = await save.run(next);
    if (saved) setMessage('saved');
    else setLanguage(previous);
  };

  return (
    <div class="lang-switch">
      <div class="segmented" role="group" aria-label={t('lang.label')}>
        {LANGS.map((l) => (
          <button
            key={l}
            type="button"
            lang={l}
            class={`segment${l === lang ? ' is-current' : ''}`}
            aria-pressed={l === lang ? 'true' : 'false'}
            disabled={save.busy}
            onClick={() => void choose(l)}
          >
            {NAMES[l]}
          </button>
        ))}
      </div>
      <span class="lang-status" role="status">
        {save.busy && (
          <>
            <span class="spinner" aria-hidden="true" /> {t('lang.saving')}
          </>
        )}
        {!save.busy && message === 'saved' && t('lang.saved')}
        {!save.busy && save.error !== null && <span class="text-error">{errorMessage(save.error, lang)}</span>}
      </span>
    </div>
  );
}
