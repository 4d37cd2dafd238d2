import { t } from '../../lib/i18n';
import { PASSWORD_MAX, PASSWORD_MIN, passwordFeedback } from '../../lib/password';
import { useLang } from '../hooks';

interface PasswordPolicyProps {
  id: string;
  password: string;
  /** The repetition; omit to leave out the "same twice" rule. */
  repeat?: string;
}

/** Live feedback on the policy while a new password is typed. */
export function PasswordPolicy({ id, password, repeat }: PasswordPolicyProps) {
  useLang();
  const f = passwordFeedback(password, repeat);
  const rules: Array<{ key: string; met: boolean; text: string }> = [
    {
      key: 'length',
      met: f.lengthOk,
      text: t('password.ruleLength', { min: PASSWORD_MIN, max: PASSWORD_MAX, count: f.length }),
    },
  ];
  if (repeat !== undefined) {
    rules.push({ key: 'match', met: f.matches === true && f.lengthOk, text: t('password.ruleMatch') });
  }
  return (
    <div class="policy" id={id}>
      <ul class="policy-rules">
        {rules.map((rule) => (
          <li key={rule.key} class={rule.met ? 'is-met' : 'is-unmet'} data-rule={rule.key}>
            <span class="policy-mark" aria-hidden="true" />
            <span>{rule.text}</span>
            <span class="visually-hidden">: {rule.met ? t('password.ruleMet') : t('password.ruleUnmet')}</span>
          </li>
        ))}
      </ul>
      <p class="policy-hint">{t('password.hint')}</p>
    </div>
  );
}
