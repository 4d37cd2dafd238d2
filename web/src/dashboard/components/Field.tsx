import type { AriaAttributes, ComponentChildren, JSX, Ref } from 'preact';
import { useId } from 'preact/hooks';

type InputProps = Omit<JSX.InputHTMLAttributes<HTMLInputElement>, 'id' | 'label' | 'class' | 'className' | 'ref'>;
type Invalid = AriaAttributes['aria-invalid'];

/** What a field shows around its control. */
export interface FieldText {
  label: string;
  hint?: ComponentChildren;
  /** A message shown under the control and announced with it. */
  error?: string | null;
}

export interface FieldProps extends InputProps, FieldText {
  /** More text the input is described by (e.g. the password policy's id). */
  describedBy?: string;
  inputRef?: Ref<HTMLInputElement>;
  /** Shown beside the input (e.g. the show-password button). */
  addon?: ComponentChildren;
}

/** What a field's control carries so that its label, error and hint belong to it. */
interface FieldControl {
  id: string;
  'aria-invalid': Invalid;
  'aria-describedby': string | undefined;
}

interface FieldFrameProps extends FieldText {
  describedBy?: string;
  /** `aria-invalid` while there is no error (an error makes it "true"). */
  invalid?: Invalid;
  children(control: FieldControl): ComponentChildren;
}

/** The label, error and hint around a field's control (an input, a text area). */
export function FieldFrame({ label, hint, error, describedBy, invalid, children }: FieldFrameProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const described = [errorId, hintId, describedBy].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`field${error ? ' has-error' : ''}`}>
      <label class="field-label" for={id}>
        {label}
      </label>
      {children({ id, 'aria-invalid': error ? 'true' : invalid, 'aria-describedby': described })}
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

/** A labelled input with an optional hint and error, wired for assistive technology. */
export function Field({ label, hint, error, describedBy, inputRef, addon, 'aria-invalid': invalid, ...input }: FieldProps) {
  return (
    <FieldFrame label={label} hint={hint} error={error} describedBy={describedBy} invalid={invalid}>
      {(control) => (
        <div class={`field-control${addon ? ' has-addon' : ''}`}>
          <input {...input} {...control} ref={inputRef} class="input" />
          {addon}
        </div>
      )}
    </FieldFrame>
  );
}
