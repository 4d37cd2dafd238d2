import type { ComponentChildren, JSX, Ref } from 'preact';
import { useId } from 'preact/hooks';

type InputProps = Omit<JSX.InputHTMLAttributes<HTMLInputElement>, 'id' | 'label' | 'class' | 'className' | 'ref'>;

export interface FieldProps extends InputProps {
  label: string;
  hint?: ComponentChildren;
  /** A message shown under the input and announced with it. */
  error?: string | null;
  /** More text the input is described by (e.g. the password policy's id). */
  describedBy?: string;
  inputRef?: Ref<HTMLInputElement>;
  /** Shown beside the input (e.g. the show-password button). */
  addon?: ComponentChildren;
}

/** A labelled input with an optional hint and error, wired for assistive technology. */
export function Field({ label, hint, error, describedBy, inputRef, addon, 'aria-invalid': invalid, ...input }: FieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const described = [errorId, hintId, describedBy].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`field${error ? ' has-error' : ''}`}>
      <label class="field-label" for={id}>
        {label}
      </label>
      <div class={`field-control${addon ? ' has-addon' : ''}`}>
        <input
          {...input}
          ref={inputRef}
          id={id}
          class="input"
          aria-invalid={error ? 'true' : invalid}
          aria-describedby={described}
        />
        {addon}
      </div>
      {error && (
        <p class="field-error" id={errorId}>
          {error}
        </p>
      )}
      {hint && (
        <p class="field-hint" id={hintId}>
          {hint}
        </p>
      )}
    </div>
  );
}
