import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

type ButtonProps = Omit<JSX.ButtonHTMLAttributes<HTMLButtonElement>, 'class' | 'className'> & {
  variant?: 'primary' | 'secondary' | 'danger' | 'ghost';
  /** In progress: disabled, with a spinner and `busyText`. */
  busy?: boolean;
  busyText?: string;
  class?: string;
  children?: ComponentChildren;
};

/** A real <button>; while busy it is disabled and says what it is doing. */
export function Button({ variant = 'primary', busy = false, busyText, class: extra, children, type = 'button', disabled, ...rest }: ButtonProps) {
  const ref = useRef<HTMLButtonElement>(null);
  const wasBusy = useRef(false);
  // A disabled button loses focus; when the work is done, give it back (unless the page
  // has put it somewhere on purpose, e.g. on an error message).
  useEffect(() => {
    if (wasBusy.current && !busy) {
      const active = document.activeElement;
      if ((!active || active === document.body) && ref.current?.isConnected) ref.current.focus();
    }
    wasBusy.current = busy;
  }, [busy]);
  return (
    <button
      {...rest}
      ref={ref}
      type={type}
      class={`btn btn-${variant}${busy ? ' is-busy' : ''}${extra ? ` ${extra}` : ''}`}
      disabled={busy || disabled}
      aria-busy={busy ? 'true' : undefined}
    >
      {busy ? (
        <>
          <span class="spinner" aria-hidden="true" />
          <span>{busyText ?? children}</span>
        </>
      ) : (
        children
      )}
    </button>
  );
}
