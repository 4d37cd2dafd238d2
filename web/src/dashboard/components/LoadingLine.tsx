import type { ComponentChildren } from 'preact';
import { t } from '../../lib/i18n';

/**
 * A spinner and "Yükleniyor…" (or `children`). `status` makes it a polite live region;
 * leave it off where the section has its own status line.
 */
export function LoadingLine({ status = true, children }: { status?: boolean; children?: ComponentChildren }) {
  return (
    <p class="loading-line" role={status ? 'status' : undefined}>
      <span class="spinner" aria-hidden="true" /> {children ?? t('app.loading')}
    </p>
  );
}
