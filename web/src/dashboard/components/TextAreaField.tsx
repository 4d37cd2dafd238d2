import type { JSX, Ref } from 'preact';
import { FieldFrame, type FieldText } from './Field';

type TextAreaProps = Omit<JSX.TextareaHTMLAttributes<HTMLTextAreaElement>, 'id' | 'label' | 'class' | 'className' | 'ref'>;

export interface TextAreaFieldProps extends TextAreaProps, FieldText {
  inputRef?: Ref<HTMLTextAreaElement>;
}

/** `Field` for several lines of text. */
export function TextAreaField({ label, hint, error, inputRef, ...textarea }: TextAreaFieldProps) {
  return (
    <FieldFrame label={label} hint={hint} error={error}>
      {(control) => <textarea {...textarea} {...control} ref={inputRef} class="input textarea" />}
    </FieldFrame>
  );
}
