import { errorMessage } from '../../lib/errors';
import { t } from '../../lib/i18n';
import { useLang } from '../hooks';
import { Button } from './Button';
import { Notice } from './Notice';

/** Why loading failed, with a button that asks again. */
export function RetryNotice({ error, onRetry }: { error: unknown; onRetry(): unknown }) {
  const lang = useLang();
  return (
    <Notice kind="error">
      {errorMessage(error, lang)}{' '}
      <Button variant="secondary" class="btn-small" onClick={() => void onRetry()}>
        {t('confirm.retry')}
      </Button>
    </Notice>
  );
}
