import { useState } from 'preact/hooks';
import { t } from '../../lib/i18n';
import { useLang } from '../hooks';
import { Field, type FieldProps } from './Field';

type PasswordFieldProps = Omit<FieldProps, 'type' | 'addon'>;

/** A password input with a button that shows what was typed. */
export function PasswordField(props: PasswordFieldProps) {
  useLang();
  const [shown, setShown] = useState(false);
  return (
    <Field
      {...props}
      type={shown ? 'text' : 'password'}
      spellcheck={false}
      autoCapitalize="off"
      addon={
        <button
          type="button"
          class="field-addon"
          aria-label={shown ? t('password.hideLabel') : t('password.showLabel')}
          onClick={() => setShown((s) => !s)}
        >
          {shown ? t('password.hide') : t('password.show')}
        </button>
      }
    />
  );
}
