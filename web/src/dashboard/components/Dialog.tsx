import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef } from 'preact/hooks';
import { t } from '../../lib/i18n';
import { useLang } from '../hooks';

interface DialogProps {
  open: boolean;
  title: string;
  onClose(): void;
  children: ComponentChildren;
  /** A wider box (the crop dialog). */
  wide?: boolean;
  /** Shown under the title, and the dialog's accessible description. */
  description?: string;
  /** Where focus goes on closing when what opened the dialog is gone (or was no control). */
  fallbackFocus?: () => HTMLElement | null;
}

/**
 * A modal dialog on the native <dialog>: the rest of the page is inert while it is open
 * (focus stays inside), Escape closes it, and focus goes back to what opened it.
 */
export function Dialog({ open, title, onClose, children, wide = false, description, fallbackFocus }: DialogProps) {
  useLang();
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLElement | null>(null);
  const titleId = useId();
  const descriptionId = useId();
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;
  const fallbackRef = useRef(fallbackFocus);
  fallbackRef.current = fallbackFocus;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      dialog.showModal();
      const first = dialog.querySelector<HTMLElement>('[autofocus], input, select, textarea');
      first?.focus();
    } else if (!open && dialog.open) {
      dialog.close();
    }
  }, [open]);

  // The dialog can close by itself (Escape): tell the owner, and give focus back.
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const closed = () => {
      const back = opener.current;
      opener.current = null;
      const returnable = back !== null && back.isConnected && back !== document.body;
      if (returnable) back.focus();
      onCloseRef.current();
      // What opened it is gone (a deleted item's button) or was not a control (opened
      // by itself): after the owner has updated, focus goes to the fallback.
      if (!returnable) window.setTimeout(() => fallbackRef.current?.()?.focus(), 0);
    };
    dialog.addEventListener('close', closed);
    return () => dialog.removeEventListener('close', closed);
  }, []);

  return (
    <dialog
      ref={ref}
      class={`dialog${wide ? ' dialog-wide' : ''}`}
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      onClick={(event) => {
        // A click on the backdrop (outside the inner box) closes the dialog.
        if (event.target === ref.current) ref.current?.close();
      }}
    >
      <div class="dialog-box">
        <div class="dialog-head">
          <h2 id={titleId} class="dialog-title">
            {title}
          </h2>
          <button type="button" class="icon-button" aria-label={t('common.close')} onClick={() => ref.current?.close()}>
            <span aria-hidden="true">×</span>
          </button>
        </div>
        {description && (
          <p id={descriptionId} class="muted dialog-description">
            {description}
          </p>
        )}
        {open && children}
      </div>
    </dialog>
  );
}
