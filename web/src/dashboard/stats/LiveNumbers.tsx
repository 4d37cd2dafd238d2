import { RecomputeStatsDocument, StatsDocument, StatsUpdatedDocument, type StatsFieldsFragment } from '../../generated/graphql';
import { errorMessage } from '../../lib/errors';
import { formatDateTime, formatNumber } from '../../lib/format';
import { request } from '../../lib/graphql';
import { t, type Lang, type MessageKey } from '../../lib/i18n';
import { formatPercent } from '../../lib/meter';
import { Button } from '../components/Button';
import { LiveBadge } from '../components/LiveBadge';
import { LoadingLine } from '../components/LoadingLine';
import { Notice } from '../components/Notice';
import { useAction, useLang } from '../hooks';
import { useLiveQuery } from '../live';
import { AnimatedNumber } from './AnimatedNumber';

type NumberKey = Exclude<keyof StatsFieldsFragment, 'updatedAt'>;

const TILES: Array<{ key: NumberKey; label: MessageKey; decimals?: number; format?: (n: number, lang: Lang) => string }> = [
  { key: 'completedJobs', label: 'stats.completedJobs' },
  { key: 'happyCustomers', label: 'stats.happyCustomers' },
  { key: 'satisfactionPercent', label: 'stats.satisfactionPercent', decimals: 1, format: (n, lang) => formatPercent(n, lang) },
  { key: 'yearsOfExperience', label: 'stats.yearsOfExperience' },
  {
    key: 'averageRating',
    label: 'stats.averageRating',
    decimals: 2,
    format: (n, lang) => `${formatNumber(n, lang, 2)} / 5`,
  },
  { key: 'reviewCount', label: 'stats.reviewCount' },
  { key: 'contactMessages', label: 'stats.contactMessages' },
  { key: 'visitCount', label: 'stats.visitCount' },
];

/** The public numbers, live: pushed over the websocket after every change. */
export function LiveNumbers() {
  const lang = useLang();
  const {
    value: stats,
    error: loadError,
    live,
    set: setStats,
  } = useLiveQuery(StatsDocument, (d) => d.stats, StatsUpdatedDocument, (d) => d.statsUpdated);
  const recompute = useAction(async () => {
    const { recomputeStats } = await request(RecomputeStatsDocument, {});
    setStats(recomputeStats);
    return recomputeStats;
  });

  return (
    <section class="card section live-numbers" aria-labelledby="numbers-title">
      <div class="storage-head">
        <h2 id="numbers-title">{t('stats.numbersTitle')}</h2>
        <LiveBadge state={live} />
      </div>
      <p class="muted">{t('stats.numbersIntro')}</p>
      {!stats && loadError === null && <LoadingLine />}
      {!stats && loadError !== null && <Notice kind="error">{errorMessage(loadError, lang)}</Notice>}
      {stats && (
        <>
          <dl class="stat-tiles">
            {TILES.map((tile) => (
              <div class="stat-tile" key={tile.key} data-stat={tile.key}>
                <dt>{t(tile.label)}</dt>
                <dd>
                  <AnimatedNumber value={stats[tile.key]} decimals={tile.decimals ?? 0} format={(n) => (tile.format ? tile.format(n, lang) : formatNumber(n, lang))} />
                </dd>
              </div>
            ))}
          </dl>
          <p class="meta">{t('stats.updatedAt', { date: formatDateTime(stats.updatedAt, lang) })}</p>
        </>
      )}
      <div class="form-actions">
        <Button variant="secondary" busy={recompute.busy} busyText={t('stats.recomputing')} onClick={() => void recompute.run()}>
          {t('stats.recompute')}
        </Button>
      </div>
      <p class="muted field-hint">{t('stats.recomputeHint')}</p>
      {recompute.state.status === 'done' && <Notice kind="success">{t('stats.recomputed')}</Notice>}
      {recompute.error !== null && (
        <Notice kind="error" focus>
          {errorMessage(recompute.error, lang)}
        </Notice>
      )}
    </section>
  );
}
