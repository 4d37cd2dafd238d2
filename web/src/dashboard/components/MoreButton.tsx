import { t } from '../../lib/i18n';
import type { PagedList } from '../paged';
import { Button } from './Button';

/** "Daha fazla göster" under a paged list, while there is a next page. */
export function MoreButton({ list }: { list: Pick<PagedList<{ id: string }>, 'hasNextPage' | 'busy' | 'more'> }) {
  if (!list.hasNextPage) return null;
  return (
    <div class="form-actions">
      <Button variant="secondary" busy={list.busy} busyText={t('app.loading')} onClick={() => void list.more()}>
        {t('common.more')}
      </Button>
    </div>
  );
}
