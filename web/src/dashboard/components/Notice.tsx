import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

interface NoticeProps {
  kind: 'success' | 'info' | 'error';
  children: ComponentChildren;
  /** Move focus here when shown (errors after a submit). */
  focus?: boolean;
  class?: string;
}

const ICONS = { success: '✓', info: 'i', error: '!' } as const;

/** A message in the page: errors are alerts, the rest polite status messages. */
export function Notice({ kind, children, focus = false, class: extra }: NoticeProps) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (focus) ref.current?.focus();
  }, [focus]);
  return (
    <div
      ref={ref}
      class={`notice notice-${kind}${extra ? ` ${extra}` : ''}`}
      role={kind === 'error' ? 'alert' : 'status'}
      tabIndex={focus ? -1 : undefined}
    >
      <span class="notice-icon" aria-hidden="true">
        {ICONS[kind]}
      </span>
      <div class="notice-body">{children}</div>
    </div>
  );
}
