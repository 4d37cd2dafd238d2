import { t } from '../../lib/i18n';
import { SITE_NAME } from '../config';
import { useLang } from '../hooks';

/** The site's name and "dashboard", linking home. */
export function Brand() {
  useLang();
  return (
    <a class="brand" href="/dashboard/">
      <span class="brand-mark" aria-hidden="true">
        {[...SITE_NAME][0] ?? 'V'}
      </span>
      <span class="brand-text">
        <span class="brand-name">{SITE_NAME}</span>
        <span class="brand-tagline">{t('app.tagline')}</span>
      </span>
    </a>
  );
}
