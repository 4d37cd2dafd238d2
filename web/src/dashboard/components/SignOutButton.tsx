import { errorMessage } from '../../lib/errors';
import { t } from '../../lib/i18n';
import { useAction, useLang } from '../hooks';
import { signOut } from '../session';
import { Button } from './Button';

/** Ends the session ("Çıkış yap"), saying so while it works and if it fails. */
export function SignOutButton({ variant = 'secondary' }: { variant?: 'secondary' | 'ghost' | 'danger' }) {
  const lang = useLang();
  const action = useAction(signOut);
  return (
    <span class="signout">
      <Button variant={variant} busy={action.busy} busyText={t('auth.signingOut')} onClick={() => void action.run()}>
        {t('auth.signOut')}
      </Button>
      {action.error !== null && (
        <span class="text-error" role="alert">
          {errorMessage(action.error, lang)}
        </span>
      )}
    </span>
  );
}
