import { useRef, useState } from 'preact/hooks';
import { ApproveReviewDocument, DeleteReviewDocument, RejectReviewDocument, ReviewsDocument, type ReviewStatus } from '../../generated/graphql';
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
import { usePagedList, type PagedList } from '../paged';
import { productPath } from '../routes';
import { approveAction, changesAfter, SECTIONS, sectionVariables, type ApproveAction, type Filter, type Review, type SectionChange } from './reviews';
import './reviews.css';

export const REVIEWS_PAGE = 10;

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

const APPROVE_TEXTS: Record<Exclude<ApproveAction, null>, { label: MessageKey; busy: MessageKey; done: MessageKey }> = {
  approve: { label: 'reviews.approve', busy: 'reviews.approving', done: 'reviews.approved' },
  keep: { label: 'reviews.keep', busy: 'reviews.keeping', done: 'reviews.kept' },
};

function listed(list: PagedList<Review>, id: string): boolean {
  return list.items?.some((r) => r.id === id) ?? false;
}

function apply(list: PagedList<Review>, change: SectionChange, review: Review): void {
  if (change === 'update') list.update(review);
  else if (change === 'remove') list.remove(review.id);
  else if (change === 'reload') void list.reload();
}

/** The moderation queue: reported reviews first, then pending ones; approve, reject or delete each. */
export function ReviewsQueue() {
  const lang = useLang();
  const [filter, setFilter] = useState<Filter>('PENDING');
  const [message, setMessage] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<Review | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const reported = usePagedList(
    async (after) => (await request(ReviewsDocument, { ...sectionVariables('reported', filter), first: REVIEWS_PAGE, after })).reviews,
    [],
  );
  const queue = usePagedList(
    async (after) => (await request(ReviewsDocument, { ...sectionVariables('queue', filter), first: REVIEWS_PAGE, after })).reviews,
    [filter],
  );
  const lists = { reported, queue };

  const moderated = (review: Review, key: MessageKey) => {
    setMessage(t(key, { name: review.authorName }));
    const changes = changesAfter(review, filter, { reported: listed(reported, review.id), queue: listed(queue, review.id) });
    for (const section of SECTIONS) apply(lists[section], changes[section], review);
    // The row with the pressed button is gone: focus goes back to the top of the reviews.
    if (SECTIONS.some((section) => changes[section] === 'remove')) heading.current?.focus();
  };

  return (
    <section class="card section" aria-labelledby="reviews-title">
      <h2 id="reviews-title" ref={heading} tabIndex={-1}>
        {t('reviews.title')}
      </h2>
      {(reported.total > 0 || reported.error !== null) && (
        <section class="reported-reviews" aria-labelledby="reported-title">
          <h3 id="reported-title">{t('reviews.reported')}</h3>
          {reported.error !== null && <Notice kind="error">{errorMessage(reported.error, lang)}</Notice>}
          {reported.items && (
            <>
              <p class="muted">
                {t('reviews.reportedIntro')} {t('reviews.reportedCount', { shown: reported.items.length, total: reported.total })}
              </p>
              <ul class="item-list">
                {reported.items.map((review) => (
                  <ReviewRow key={review.id} review={review} headingLevel={4} onModerated={moderated} onDelete={() => setDeleting(review)} />
                ))}
              </ul>
              <MoreButton list={reported} />
            </>
          )}
        </section>
      )}
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
      {queue.items === null && queue.busy && <LoadingLine status={false} />}
      {queue.error !== null && <Notice kind="error">{errorMessage(queue.error, lang)}</Notice>}
      {queue.items && (
        <>
          <p class="muted">
            {queue.total === 0 ? t(filter === 'PENDING' ? 'reviews.emptyPending' : 'reviews.empty') : t('reviews.count', { shown: queue.items.length, total: queue.total })}
          </p>
          <ul class="item-list">
            {queue.items.map((review) => (
              <ReviewRow key={review.id} review={review} headingLevel={3} onModerated={moderated} onDelete={() => setDeleting(review)} />
            ))}
          </ul>
          <MoreButton list={queue} />
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
          reported.remove(deleting.id);
          queue.remove(deleting.id);
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
  headingLevel,
  onModerated,
  onDelete,
}: {
  review: Review;
  /** 4 under the reported reviews' own heading. */
  headingLevel: 3 | 4;
  onModerated(review: Review, key: MessageKey): void;
  onDelete(): void;
}) {
  const lang = useLang();
  const approve = useAction(async () => (await request(ApproveReviewDocument, { id: review.id })).approveReview);
  const reject = useAction(async () => (await request(RejectReviewDocument, { id: review.id })).rejectReview);
  const error = approve.error ?? reject.error;
  const busy = approve.busy || reject.busy;
  const approveAs = approveAction(review);
  const Heading = headingLevel === 4 ? 'h4' : 'h3';
  return (
    <li class={`item review${review.flagged ? ' is-flagged' : ''}`} data-review-id={review.id} data-status={review.status}>
      <article aria-labelledby={`review-${review.id}`}>
        <header class="item-head">
          <Heading id={`review-${review.id}`} class="item-title">
            {review.authorName}
          </Heading>
          <Stars rating={review.rating} />
          <span class={`badge badge-${review.status.toLowerCase()}`}>{t(STATUS_LABEL[review.status])}</span>
          {review.verifiedPurchase && <span class="badge badge-on">{t('reviews.verified')}</span>}
          {review.reportCount > 0 && (
            <span class={`badge ${review.flagged ? 'badge-rejected' : 'badge-off'}`}>{t('reviews.reports', { count: review.reportCount })}</span>
          )}
        </header>
        {review.product && (
          <p class="meta">
            {t('reviews.product')}: <a href={productPath(review.product.id)}>{review.product.name}</a>
            {' · '}
            <a href={review.product.url} target="_blank" rel="noopener noreferrer" class="store-link">
              {t('products.viewInStore')}{' '}
              <span class="visually-hidden">
                ({review.product.name}, {t('common.newTab')})
              </span>
            </a>
          </p>
        )}
        {review.title && (
          <p class="item-text">
            <strong>{review.title}</strong>
          </p>
        )}
        <p class="item-text">{review.comment}</p>
        {review.photos.length > 0 && (
          <ul class="review-photos" aria-label={t('reviews.photos')}>
            {review.photos.map((photo, i) => (
              <li key={photo.id}>
                <a href={photo.url} target="_blank" rel="noopener noreferrer">
                  <img
                    class="product-thumb"
                    src={photo.url}
                    alt={t('reviews.photoAlt', { n: i + 1, name: review.authorName })}
                    width={56}
                    height={56}
                    loading="lazy"
                    decoding="async"
                  />
                  <span class="visually-hidden">({t('common.newTab')})</span>
                </a>
              </li>
            ))}
          </ul>
        )}
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
        {review.reportReasons.length > 0 && (
          <>
            <p class="meta">{t('reviews.reasons')}</p>
            <ul class="review-reasons">
              {review.reportReasons.map((reason, i) => (
                <li key={i}>{reason}</li>
              ))}
            </ul>
          </>
        )}
        {error !== null && <Notice kind="error">{errorMessage(error, lang)}</Notice>}
        <div class="item-actions">
          {approveAs && (
            <Button
              class="btn-small"
              busy={approve.busy}
              busyText={t(APPROVE_TEXTS[approveAs].busy)}
              aria-label={approve.busy ? undefined : `${t(APPROVE_TEXTS[approveAs].label)}: ${review.authorName}`}
              disabled={busy}
              onClick={async () => {
                const done = await approve.run();
                if (done) onModerated(done, APPROVE_TEXTS[approveAs].done);
              }}
            >
              {t(APPROVE_TEXTS[approveAs].label)}
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
