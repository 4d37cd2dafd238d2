import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { useStore, useTitle } from '../hooks';
import { route } from '../router';

interface PageHeadingProps {
  /** The page's title: the heading and the document's title. */
  title: string;
  children?: ComponentChildren;
}

let focusedSeq = 0;

/**
 * The page's <h1>. After a move inside the dashboard, focus goes to it so that keyboard
 * and screen reader users start at the new page (not on the initial load).
 */
export function PageHeading({ title, children }: PageHeadingProps) {
  const ref = useRef<HTMLHeadingElement>(null);
  const { seq } = useStore(route);
  useTitle(title);
  useEffect(() => {
    if (seq > 0 && seq !== focusedSeq) {
      focusedSeq = seq;
      const active = document.activeElement;
      // Keep focus where a page deliberately put it (an alert, a field).
      if (!active || active === document.body || !ref.current?.closest('main')?.contains(active)) {
        ref.current?.focus({ preventScroll: true });
      }
    }
  }, [seq]);
  return (
    <div class="page-heading">
      <h1 ref={ref} tabIndex={-1}>
        {title}
      </h1>
      {children}
    </div>
  );
}
