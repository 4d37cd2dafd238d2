import { useRef, useState } from 'preact/hooks';
import {
  ApproveReviewDocument,
  DeleteReviewDocument,
  RejectReviewDocument,
  ReviewsDocument,
  type ReviewItemFragment,
  type ReviewStatus,
} from '../../generated/graphql';
import { errorMessage } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { request } from '../../lib/graphql';
import { t, type MessageKey } from '../../lib/i18n';
import { Button } from '../components/Button';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { LoadingLine } from '../components/LoadingLine';
import { MoreButton } from '../components/MoreButton';
import { Notice } from '../components/Notice';
import { useAction, useLang } from '../hooks';
import { usePagedList } from '../paged';

export const REVIEWS_PAGE = 10;

type Filter = ReviewStatus | 'ALL';

const FILTERS: Array<{ value: Filter; label: MessageKey }> = [
  { value: 'PENDING', label: 'reviews.filter.PENDING' },
  { value: 'APPROVED', label: 'reviews.filter.APPROVED' },
  { value: 'REJECTED', label: 'reviews.filter.REJECTED' },
  { value: 'ALL', label: 'reviews.filter.ALL' },
];

const STATUS_LABEL: Record<ReviewStatus, MessageKey> = {
  PENDING: 'reviews.status.PENDING',
  APPROVED: 'reviews.status.APPROVED',
  REJECTED: 'reviews.status.REJECTED',
};

/** The moderation queue: pending reviews first, approve, reject or delete each. */
export function ReviewsQueue() {
  const lang = useLang();
  const [filter, setFilter] = useState<Filter>('PENDING');
  const [message, setMessage] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<ReviewItemFragment | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const list = usePagedList(
    async (after) => (await request(ReviewsDocument, { status: filter === 'ALL' ? null : filter, first: REVIEWS_PAGE, after })).reviews,
    [filter],
  );

  const moderated = (review: ReviewItemFragment, key: MessageKey) => {
    setMessage(t(key, { name: review.authorName }));
    if (filter !== 'ALL' && review.status !== filter) {
      list.remove(review.id);
      heading.current?.focus();
    } else {
      list.update(review);
    }
  };

  return (
    <section class="card section" aria-labelledby="reviews-title">
      <h2 id="reviews-title" ref={heading} tabIndex={-1}>
        {t('reviews.title')}
      </h2>
      <fieldset class="fieldset">
        <legend class="field-label">{t('reviews.filter')}</legend>
        <div class="choices">
          {FILTERS.map((f) => (
            <label class="choice" key={f.value}>
              <input
                type="radio"
                name="review-status"
                value={f.value}
                checked={filter === f.value}
                onChange={() => {
                  setMessage(null);
                  setFilter(f.value);
                }}
              />
              <span>{t(f.label)}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <p class="sr-status" role="status">
        {message}
      </p>
      {list.items === null && list.busy && <LoadingLine status={false} />}
      {list.error !== null && <Notice kind="error">{errorMessage(list.error, lang)}</Notice>}
      {list.items && (
        <>
          <p class="muted">
            {list.total === 0 ? t(filter === 'PENDING' ? 'reviews.emptyPending' : 'reviews.empty') : t('reviews.count', { shown: list.items.length, total: list.total })}
          </p>
          <ul class="item-list">
            {list.items.map((review) => (
              <ReviewRow key={review.id} review={review} onModerated={moderated} onDelete={() => setDeleting(review)} />
            ))}
          </ul>
          <MoreButton list={list} />
        </>
      )}
      <ConfirmDialog
        open={deleting !== null}
        title={t('reviews.deleteTitle')}
        text={deleting ? t('reviews.deleteText', { name: deleting.authorName }) : ''}
        confirmLabel={t('reviews.delete')}
        busyLabel={t('reviews.deleting')}
        onConfirm={async () => {
          if (!deleting) return;
          await request(DeleteReviewDocument, { id: deleting.id });
          list.remove(deleting.id);
          setMessage(t('reviews.deleted', { name: deleting.authorName }));
        }}
        onClose={() => setDeleting(null)}
        fallbackFocus={() => heading.current}
      />
    </section>
  );
}

function Stars({ rating }: { rating: number }) {
  const r = Math.max(0, Math.min(5, Math.round(rating)));
  return (
    <span class="stars">
      <span aria-hidden="true">{'★'.repeat(r) + '☆'.repeat(5 - r)}</span>
      <span class="visually-hidden">{t('reviews.rating', { rating: r })}</span>
    </span>
  );
}

function ReviewRow({
  review,
  onModerated,
  onDelete,
}: {
  review: ReviewItemFragment;
  onModerated(review: ReviewItemFragment, key: MessageKey): void;
  onDelete(): void;
}) {
  const lang = useLang();
  const approve = useAction(async () => (await request(ApproveReviewDocument, { id: review.id })).approveReview);
  const reject = useAction(async () => (await request(RejectReviewDocument, { id: review.id })).rejectReview);
  const error = approve.error ?? reject.error;
  const busy = approve.busy || reject.busy;
  return (
    <li class="item review" data-review-id={review.id} data-status={review.status}>
      <article aria-labelledby={`review-${review.id}`}>
        <header class="item-head">
          <h3 id={`review-${review.id}`} class="item-title">
            {review.authorName}
          </h3>
          <Stars rating={review.rating} />
          <span class={`badge badge-${review.status.toLowerCase()}`}>{t(STATUS_LABEL[review.status])}</span>
        </header>
        <p class="item-text">{review.comment}</p>
        <p class="meta">
          <time dateTime={review.createdAt}>{formatDateTime(review.createdAt, lang)}</time>
          {review.email && (
            <>
              {' · '}
              <a href={`mailto:${review.email}`}>{review.email}</a>
            </>
          )}
          {review.moderatedAt && <> · {t('reviews.moderatedAt', { date: formatDateTime(review.moderatedAt, lang) })}</>}
        </p>
        {error !== null && <Notice kind="error">{errorMessage(error, lang)}</Notice>}
        <div class="item-actions">
          {review.status !== 'APPROVED' && (
            <Button
              class="btn-small"
              busy={approve.busy}
              busyText={t('reviews.approving')}
              aria-label={approve.busy ? undefined : `${t('reviews.approve')}: ${review.authorName}`}
              disabled={busy}
              onClick={async () => {
                const done = await approve.run();
                if (done) onModerated(done, 'reviews.approved');
              }}
            >
              {t('reviews.approve')}
            </Button>
          )}
          {review.status !== 'REJECTED' && (
            <Button
              variant="secondary"
              class="btn-small"
              busy={reject.busy}
              busyText={t('reviews.rejecting')}
              aria-label={reject.busy ? undefined : `${t('reviews.reject')}: ${review.authorName}`}
              disabled={busy}
              onClick={async () => {
                const done = await reject.run();
                if (done) onModerated(done, 'reviews.rejected');
              }}
            >
              {t('reviews.reject')}
            </Button>
          )}
          <Button
            variant="ghost"
            class="btn-small btn-danger-text"
            aria-haspopup="dialog"
            aria-label={`${t('reviews.delete')}: ${review.authorName}`}
            disabled={busy}
            onClick={onDelete}
          >
            {t('reviews.delete')}
          </Button>
        </div>
      </article>
    </li>
  );
}
