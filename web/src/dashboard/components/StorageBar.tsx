import { useEffect, useId, useRef } from 'preact/hooks';
import { StorageUsageChangedDocument, StorageUsageDocument, type StorageUsageFieldsFragment } from '../../generated/graphql';
import { formatBytes } from '../../lib/bytes';
import { errorMessage } from '../../lib/errors';
import { formatDateTime, formatMinutes, formatNumber, formatProviderDate } from '../../lib/format';
import { t } from '../../lib/i18n';
import { barPercent, formatPercent, usageLevel } from '../../lib/meter';
import { useLang } from '../hooks';
import { useLiveQuery } from '../live';
import { LiveBadge } from './LiveBadge';
import { LoadingLine } from './LoadingLine';

export type StorageUsage = StorageUsageFieldsFragment;

/** The filled bar; its width is set through the CSSOM (no style attribute: strict CSP). */
function Bar({ percent, level }: { percent: number; level: string }) {
  const ref = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.style.width = `${barPercent(percent)}%`;
  }, [percent]);
  return (
    <span class="meter-track" aria-hidden="true">
      <span ref={ref} class={`meter-fill meter-${level}`} />
    </span>
  );
}

/**
 * How much of the storage budget the media use: a meter that turns amber at 80 % and
 * red at 95 % (and says so in words), the images/videos breakdown and, on Cloudinary,
 * the provider's own figures. `compact` is the home page's one-line version.
 */
export function StorageBar({ compact = false }: { compact?: boolean }) {
  const lang = useLang();
  // First over HTTP, then live after every upload, crop and delete.
  const { value: usage, error, live } = useLiveQuery(StorageUsageDocument, (d) => d.storageUsage, StorageUsageChangedDocument, (d) => d.storageUsageChanged);
  const titleId = useId();
  const level = usage ? usageLevel(usage.percent) : 'normal';
  const used = usage ? formatBytes(usage.usedBytes, lang) : '';
  const limit = usage ? formatBytes(usage.limitBytes, lang) : '';
  const percent = usage ? formatPercent(usage.percent, lang) : '';
  const count = (n: number) => formatNumber(n, lang);

  return (
    <section class={`card section storage${compact ? ' storage-compact' : ''}`} aria-labelledby={titleId} data-level={level}>
      <div class="storage-head">
        <h2 id={titleId} class="storage-title">
          {t('storage.title')}
        </h2>
        <LiveBadge state={live} />
      </div>
      {!usage && !error && <LoadingLine />}
      {!usage && error !== null && <p class="text-error">{errorMessage(error, lang)}</p>}
      {usage && (
        <>
          <div
            class="meter"
            role="meter"
            aria-labelledby={titleId}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={usage.percent}
            aria-valuetext={t('storage.valueText', { percent, used, limit })}
          >
            <Bar percent={usage.percent} level={level} />
          </div>
          <p class="storage-figures">
            <strong class="storage-used">{t('storage.used', { used, limit })}</strong>{' '}
            <span class="storage-percent">({percent})</span>
          </p>
          {level !== 'normal' && (
            <p class={`storage-warning storage-warning-${level}`}>
              <span aria-hidden="true">⚠ </span>
              {t(level === 'danger' ? 'storage.danger' : 'storage.warning')}
            </p>
          )}
          {compact ? (
            <p class="muted storage-breakdown-line">
              {t('storage.breakdownLine', {
                images: count(usage.images.count),
                imageBytes: formatBytes(usage.images.bytes, lang),
                videos: count(usage.videos.count),
                videoBytes: formatBytes(usage.videos.bytes, lang),
              })}{' '}
              <a href="/dashboard/media/">{t('storage.toMedia')}</a>
            </p>
          ) : (
            <>
              <dl class="storage-breakdown">
                <div>
                  <dt>{t('storage.images')}</dt>
                  <dd>{t('storage.kindFigures', { count: count(usage.images.count), bytes: formatBytes(usage.images.bytes, lang) })}</dd>
                </div>
                <div>
                  <dt>{t('storage.videos')}</dt>
                  <dd>{t('storage.kindFigures', { count: count(usage.videos.count), bytes: formatBytes(usage.videos.bytes, lang) })}</dd>
                </div>
                <div>
                  <dt>{t('storage.provider')}</dt>
                  <dd>{usage.provider === 'CLOUDINARY' ? 'Cloudinary' : t('storage.providerLocal')}</dd>
                </div>
              </dl>
              {usage.provider === 'CLOUDINARY' && <ProviderFigures usage={usage} />}
            </>
          )}
        </>
      )}
    </section>
  );
}

function ProviderFigures({ usage }: { usage: StorageUsage }) {
  const lang = useLang();
  const p = usage.providerUsage;
  if (!p) return <p class="muted">{t('storage.providerUnknown')}</p>;
  const minutes = Math.max(1, Math.round(p.ageSeconds / 60));
  return (
    <div class="provider-usage">
      <h3>{t('storage.providerTitle')}</h3>
      <dl class="storage-breakdown">
        {p.plan && (
          <div>
            <dt>{t('storage.plan')}</dt>
            <dd>{p.plan}</dd>
          </div>
        )}
        <div>
          <dt>{t('storage.providerStorage')}</dt>
          <dd>{formatBytes(p.storageBytes, lang)}</dd>
        </div>
        <div>
          <dt>{t('storage.credits')}</dt>
          <dd>
            {p.creditsLimit !== null
              ? t('storage.creditsOf', {
                  used: formatNumber(p.creditsUsed, lang, 2),
                  limit: formatNumber(p.creditsLimit, lang, 2),
                  percent: formatPercent(p.creditsUsedPercent ?? 0, lang),
                })
              : formatNumber(p.creditsUsed, lang, 2)}
          </dd>
        </div>
        <div>
          <dt>{t('storage.lastUpdated')}</dt>
          <dd>
            {p.lastUpdated ? formatProviderDate(p.lastUpdated, lang) : formatDateTime(p.fetchedAt, lang)}
            <span class="storage-fetched">{t('storage.fetchedAt', { date: formatDateTime(p.fetchedAt, lang) })}</span>
          </dd>
        </div>
      </dl>
      {p.stale && (
        <p class="storage-warning storage-warning-warning storage-stale" role="status">
          {t('storage.stale', { age: formatMinutes(minutes, lang) })}
        </p>
      )}
    </div>
  );
}
