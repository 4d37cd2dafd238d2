import { useEffect, useId, useState } from 'preact/hooks';
import { JobQueueDocument, RetryJobDocument, type DeadJobItemFragment, type JobQueueQuery } from '../../generated/graphql';
import { errorMessage } from '../../lib/errors';
import { formatDateTime, formatNumber } from '../../lib/format';
import { request } from '../../lib/graphql';
import { t } from '../../lib/i18n';
import { useAction, useLang } from '../hooks';
import { Button } from './Button';
import { LoadingLine } from './LoadingLine';
import { Notice } from './Notice';

type Queue = JobQueueQuery['jobQueue'];

/**
 * The e-mail queue: what waits to be sent, what is being retried, and the e-mails that
 * failed every attempt, each with a button to try it again.
 */
export function MailQueue() {
  const lang = useLang();
  const titleId = useId();
  const [queue, setQueue] = useState<Queue | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const load = useAction(async () => (await request(JobQueueDocument, {})).jobQueue);
  const refresh = async () => {
    const fresh = await load.run();
    if (fresh) setQueue(fresh);
  };
  // Loaded when the card appears; the refresh button and every retry load it again.
  useEffect(() => {
    void refresh();
  }, []);
  const counts = queue?.counts;
  const count = (n: number) => formatNumber(n, lang);

  return (
    <section class="card section mail-queue" aria-labelledby={titleId} data-dead={counts?.dead ?? ''}>
      <div class="storage-head">
        <h2 id={titleId}>{t('mailQueue.title')}</h2>
        <Button variant="secondary" class="btn-small" busy={load.busy} busyText={t('mailQueue.refreshing')} onClick={() => void refresh()}>
          {t('mailQueue.refresh')}
        </Button>
      </div>
      <p class="sr-status" role="status">
        {status}
      </p>
      {!queue && load.busy && <LoadingLine status={false} />}
      {load.error !== null && <Notice kind="error">{errorMessage(load.error, lang)}</Notice>}
      {counts && (
        <>
          <dl class="queue-counts">
            <div>
              <dt>{t('mailQueue.queued')}</dt>
              <dd>{count(counts.queued + counts.running)}</dd>
            </div>
            <div>
              <dt>{t('mailQueue.failed')}</dt>
              <dd>{count(counts.failed)}</dd>
            </div>
            <div class={counts.dead > 0 ? 'is-alert' : ''}>
              <dt>{t('mailQueue.dead')}</dt>
              <dd>{count(counts.dead)}</dd>
            </div>
          </dl>
          {counts.dead === 0 && <p class="muted">{t(counts.queued + counts.running + counts.failed === 0 ? 'mailQueue.allSent' : 'mailQueue.sending')}</p>}
          {queue.deadJobs.length > 0 && (
            <ul class="item-list">
              {queue.deadJobs.map((job) => (
                <DeadJobRow
                  key={job.id}
                  job={job}
                  onRetried={async () => {
                    setStatus(t('mailQueue.retried', { summary: job.summary }));
                    await refresh();
                  }}
                />
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}

function DeadJobRow({ job, onRetried }: { job: DeadJobItemFragment; onRetried(): Promise<void> }) {
  const lang = useLang();
  const retry = useAction(async () => (await request(RetryJobDocument, { id: job.id })).retryJob);
  return (
    <li class="item dead-job" data-job-id={job.id}>
      <p class="item-title">{job.summary || job.kind}</p>
      <p class="meta">
        {t('mailQueue.attempts', { n: job.attempts })} · <time dateTime={job.failedAt}>{formatDateTime(job.failedAt, lang)}</time>
      </p>
      {job.lastError && <p class="item-text text-error">{job.lastError}</p>}
      {retry.error !== null && <Notice kind="error">{errorMessage(retry.error, lang)}</Notice>}
      <div class="item-actions">
        <Button
          variant="secondary"
          class="btn-small"
          busy={retry.busy}
          busyText={t('mailQueue.retrying')}
          aria-label={retry.busy ? undefined : `${t('mailQueue.retry')}: ${job.summary || job.kind}`}
          onClick={async () => {
            if (await retry.run()) await onRetried();
          }}
        >
          {t('mailQueue.retry')}
        </Button>
      </div>
    </li>
  );
}
