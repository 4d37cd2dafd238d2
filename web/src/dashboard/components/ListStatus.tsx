import type { PagedList } from '../paged';
import { LoadingLine } from './LoadingLine';
import { RetryNotice } from './RetryNotice';

/**
 * A paged list's first page on its way, or why it failed with a retry. Once a page is
 * shown this stays empty: a failed "more" is the list's own to report.
 */
export function ListStatus({ list }: { list: Pick<PagedList<{ id: string }>, 'items' | 'busy' | 'error' | 'reload'> }) {
  if (list.items !== null) return null;
  if (list.busy) return <LoadingLine />;
  if (list.error !== null) return <RetryNotice error={list.error} onRetry={list.reload} />;
  return null;
}
