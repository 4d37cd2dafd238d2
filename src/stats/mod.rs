//! The site's statistics: the exact rules that turn settings and running counters into
//! the public numbers, and the maintenance that rebuilds the counters from source rows.
//! Reviews, contact messages and visits move the counters in their own transactions
//! ([`count`]); the numbers are served from memory and pushed live ([`live`]).

pub mod live;
pub mod visits;

use std::sync::Arc;

use chrono::{DateTime, Datelike, Utc};

use crate::db::stats::{self as rows, SettingsChanges, SettingsRow};
use crate::db::{DbError, Tx};
use crate::error::{AppError, AppResult};
use crate::events::Topic;
use crate::services::Services;

use self::live::StatsHub;

/// Announced whenever the numbers may have changed.
pub const TOPIC: Topic = Topic::new("stats");

/// The counter of approved reviews with this rating (1–5).
pub fn rating_counter(rating: i32) -> &'static str {
    match rating {
        1 => "approved_rating_1",
        2 => "approved_rating_2",
        3 => "approved_rating_3",
        4 => "approved_rating_4",
        _ => "approved_rating_5",
    }
}
/// The counter of counted visits (one per visitor per Istanbul day).
pub const VISITS: &str = "visits";
/// The counter of contact messages received.
pub const CONTACT_MESSAGES: &str = "contact_messages";
const CHANGED_AT: &str = "changed_at";

/// The published numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct Stats {
    pub completed_jobs: i64,
    pub happy_customers: i64,
    pub average_rating: f64,
    pub satisfaction_percent: f64,
    pub years_of_experience: i32,
    pub contact_messages: i64,
    pub review_count: i64,
    pub visit_count: i64,
    pub updated_at: DateTime<Utc>,
}

/// How the numbers are made.
#[derive(Debug, Clone, PartialEq)]
pub struct StatSettings {
    pub completed_jobs_base: i64,
    pub happy_customers_base: i64,
    pub contact_messages_base: i64,
    pub founded_year: i32,
    pub happy_threshold: i32,
    pub auto_approve_reviews: bool,
    pub count_reviews_as_jobs: bool,
    pub count_visits_as_jobs: bool,
}

impl From<SettingsRow> for StatSettings {
    fn from(row: SettingsRow) -> Self {
        StatSettings {
            completed_jobs_base: row.completed_jobs_base,
            happy_customers_base: row.happy_customers_base,
            contact_messages_base: row.contact_messages_base,
            founded_year: row.founded_year,
            happy_threshold: row.happy_threshold,
            auto_approve_reviews: row.auto_approve_reviews,
            count_reviews_as_jobs: row.count_reviews_as_jobs,
            count_visits_as_jobs: row.count_visits_as_jobs,
        }
    }
}

/// The running totals the numbers are computed from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Counters {
    /// Approved reviews with rating 1..=5 (index 0 is rating 1).
    pub approved_by_rating: [i64; 5],
    pub visits: i64,
    pub contact_messages: i64,
    pub changed_at: DateTime<Utc>,
}

impl Counters {
    /// Reads the counter rows; an unknown counter or a change time that is no time is an
    /// error, never a silent zero.
    fn from_rows(rows: Vec<(String, i64)>) -> AppResult<Self> {
        let mut counters = Counters::default();
        for (name, value) in rows {
            match name.as_str() {
                VISITS => counters.visits = value,
                CONTACT_MESSAGES => counters.contact_messages = value,
                CHANGED_AT => {
                    counters.changed_at =
                        DateTime::from_timestamp_millis(value).ok_or_else(|| {
                            AppError::internal(anyhow::anyhow!(
                                "the stored change time {value} is no time"
                            ))
                        })?;
                }
                other => {
                    let slot = (1..=5)
                        .find(|r| rating_counter(*r) == other)
                        .and_then(|rating| {
                            counters.approved_by_rating.get_mut((rating - 1) as usize)
                        })
                        .ok_or_else(|| {
                            AppError::internal(anyhow::anyhow!("the unknown counter {other:?}"))
                        })?;
                    *slot = value;
                }
            }
        }
        Ok(counters)
    }
}

/// The current year in Europe/Istanbul (the business's calendar).
pub fn istanbul_year(now: DateTime<Utc>) -> i32 {
    now.with_timezone(&chrono_tz::Europe::Istanbul).year()
}

/// The published numbers from settings and counters (the rules of the statistics issue).
pub fn compute(settings: &StatSettings, counters: &Counters, now: DateTime<Utc>) -> Stats {
    let approved: i64 = counters.approved_by_rating.iter().sum();
    let rating_sum: i64 = counters
        .approved_by_rating
        .iter()
        .zip(1..)
        .map(|(n, r)| n * r)
        .sum();
    let happy: i64 = counters
        .approved_by_rating
        .iter()
        .zip(1..)
        .filter(|(_, r)| *r >= i64::from(settings.happy_threshold))
        .map(|(n, _)| n)
        .sum();
    let average = if approved == 0 {
        0.0
    } else {
        rating_sum as f64 / approved as f64
    };
    Stats {
        completed_jobs: settings.completed_jobs_base
            + if settings.count_reviews_as_jobs {
                approved
            } else {
                0
            }
            + if settings.count_visits_as_jobs {
                counters.visits
            } else {
                0
            },
        happy_customers: settings.happy_customers_base + happy,
        average_rating: (average * 100.0).round() / 100.0,
        satisfaction_percent: (average / 5.0 * 1000.0).round() / 10.0,
        years_of_experience: (istanbul_year(now) - settings.founded_year).max(0),
        contact_messages: settings.contact_messages_base + counters.contact_messages,
        review_count: approved,
        visit_count: counters.visits,
        updated_at: counters.changed_at,
    }
}

/// The statistics: served from memory, pushed live, changed by moderation and visits.
#[derive(Clone)]
pub struct Statistics {
    svc: Services,
    hub: Arc<StatsHub>,
}

impl Statistics {
    /// The statistics domain; starts the push to live subscribers.
    pub fn new(svc: Services) -> Self {
        let hub = Arc::new(StatsHub::new());
        let statistics = Statistics { svc, hub };
        live::spawn_pusher(statistics.clone());
        statistics
    }

    /// Reads settings and counters and computes the numbers.
    async fn load(&self) -> AppResult<Stats> {
        let mut pooled = self.svc.db.read().await?;
        let mut conn = pooled.conn();
        let settings = StatSettings::from(rows::settings(&mut conn).await?);
        let counters = Counters::from_rows(rows::counters(&mut conn).await?)?;
        Ok(compute(&settings, &counters, self.svc.clock.now()))
    }

    /// The settings.
    pub async fn settings(&self) -> AppResult<StatSettings> {
        Ok(rows::settings(&mut self.svc.db.read().await?.conn())
            .await?
            .into())
    }

    /// Validates and applies setting changes; the numbers follow.
    pub async fn update_settings(&self, mut changes: SettingsChanges) -> AppResult<StatSettings> {
        for (name, value) in [
            ("completedJobsBase", changes.completed_jobs_base),
            ("happyCustomersBase", changes.happy_customers_base),
            ("contactMessagesBase", changes.contact_messages_base),
        ] {
            if value.is_some_and(|v| !(0..=1_000_000_000).contains(&v)) {
                return Err(AppError::bad_input(format!(
                    "{name} must be between 0 and 1,000,000,000."
                )));
            }
        }
        let now = self.svc.clock.now();
        let this_year = istanbul_year(now);
        if changes
            .founded_year
            .is_some_and(|y| !(1800..=this_year).contains(&y))
        {
            return Err(AppError::bad_input(format!(
                "foundedYear must be between 1800 and {this_year}."
            )));
        }
        if changes
            .happy_threshold
            .is_some_and(|t| !(1..=5).contains(&t))
        {
            return Err(AppError::bad_input(
                "happyThreshold must be between 1 and 5.",
            ));
        }
        changes.updated_at = Some(now.into());
        let row = self
            .svc
            .db
            .transaction(async |tx| {
                let row = rows::update_settings(&mut tx.conn(), &changes).await?;
                changed(&self.svc, tx, now).await?;
                Ok::<_, DbError>(row)
            })
            .await?;
        Ok(row.into())
    }

    /// Rebuilds every counter from the reviews, visits and messages themselves.
    pub async fn recompute(&self) -> AppResult<Stats> {
        let now = self.svc.clock.now();
        self.svc
            .db
            .transaction(async |tx| {
                // Writers bump counters in their own transactions: keeping them out first
                // means no change commits between our counting and our writing.
                rows::lock_counters(&mut tx.conn()).await?;
                let mut by_rating = [0i64; 5];
                for (rating, n) in rows::approved_by_rating(&mut tx.conn()).await? {
                    if let Some(slot) = usize::try_from(rating - 1)
                        .ok()
                        .and_then(|i| by_rating.get_mut(i))
                    {
                        *slot = n;
                    }
                }
                for (rating, n) in (1..).zip(by_rating) {
                    rows::set(&mut tx.conn(), rating_counter(rating), n).await?;
                }
                let visits = rows::count_visits(&mut tx.conn()).await?;
                rows::set(&mut tx.conn(), VISITS, visits).await?;
                let messages = rows::count_contact_messages(&mut tx.conn()).await?;
                rows::set(&mut tx.conn(), CONTACT_MESSAGES, messages).await?;
                changed(&self.svc, tx, now).await
            })
            .await?;
        Ok((*self.current().await?).clone())
    }
}

/// Moves `counter` by `delta` inside `tx`: the numbers change when it commits, on every
/// instance.
pub async fn count(
    svc: &Services,
    tx: &mut Tx,
    counter: &str,
    delta: i64,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    count_all(svc, tx, &[(counter, delta)], now).await
}

/// Moves several counters at once inside `tx`. They are locked in name order and the
/// change time last, as every writer does, so concurrent writers never deadlock.
pub async fn count_all(
    svc: &Services,
    tx: &mut Tx,
    moves: &[(&str, i64)],
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let mut moves: Vec<(&str, i64)> = moves.iter().copied().filter(|(_, d)| *d != 0).collect();
    if moves.is_empty() {
        return Ok(());
    }
    moves.sort_by_key(|(counter, _)| *counter);
    for (counter, delta) in moves {
        rows::bump(&mut tx.conn(), counter, delta).await?;
    }
    changed(svc, tx, now).await
}

/// Marks the numbers changed inside the transaction that changed them: the change time
/// moves, and at commit every instance hears about it.
async fn changed(svc: &Services, tx: &mut Tx, now: DateTime<Utc>) -> Result<(), DbError> {
    rows::set(&mut tx.conn(), CHANGED_AT, now.timestamp_millis()).await?;
    svc.events.publish_on_commit(tx, TOPIC).await
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn settings() -> StatSettings {
        StatSettings {
            completed_jobs_base: 100,
            happy_customers_base: 50,
            contact_messages_base: 7,
            founded_year: 2010,
            happy_threshold: 2,
            auto_approve_reviews: false,
            count_reviews_as_jobs: true,
            count_visits_as_jobs: true,
        }
    }

    #[test]
    fn numbers_follow_the_published_rules() {
        let counters = Counters {
            approved_by_rating: [1, 0, 0, 1, 2],
            visits: 10,
            contact_messages: 3,
            changed_at: DateTime::UNIX_EPOCH,
        };
        let now = Utc.with_ymd_and_hms(2026, 6, 1, 12, 0, 0).unwrap();
        let stats = compute(&settings(), &counters, now);
        assert_eq!(stats.completed_jobs, 100 + 4 + 10);
        assert_eq!(stats.happy_customers, 50 + 3, "ratings ≥ 2");
        assert_eq!(stats.average_rating, 3.75);
        assert_eq!(stats.satisfaction_percent, 75.0);
        assert_eq!(stats.years_of_experience, 16);
        assert_eq!(stats.contact_messages, 10);
        assert_eq!(stats.review_count, 4);
        assert_eq!(stats.visit_count, 10);
    }

    #[test]
    fn no_reviews_means_zero_rating_and_switches_exclude_events() {
        let mut s = settings();
        s.count_reviews_as_jobs = false;
        s.count_visits_as_jobs = false;
        let counters = Counters {
            approved_by_rating: [0, 0, 0, 0, 0],
            visits: 10,
            ..Counters::default()
        };
        let stats = compute(&s, &counters, Utc::now());
        assert_eq!(stats.average_rating, 0.0);
        assert_eq!(stats.satisfaction_percent, 0.0);
        assert_eq!(stats.completed_jobs, 100);
    }

    #[test]
    fn satisfaction_has_one_decimal() {
        let counters = Counters {
            approved_by_rating: [0, 0, 1, 1, 1],
            ..Counters::default()
        };
        let stats = compute(&settings(), &counters, Utc::now());
        assert_eq!(stats.average_rating, 4.0);
        let counters = Counters {
            approved_by_rating: [0, 0, 0, 2, 1],
            ..Counters::default()
        };
        let stats = compute(&settings(), &counters, Utc::now());
        assert_eq!(stats.average_rating, 4.33);
        assert_eq!(stats.satisfaction_percent, 86.7);
    }

    #[test]
    fn the_year_turns_at_istanbul_midnight() {
        let before = Utc.with_ymd_and_hms(2026, 12, 31, 20, 59, 59).unwrap();
        let after = Utc.with_ymd_and_hms(2026, 12, 31, 21, 0, 0).unwrap();
        assert_eq!(istanbul_year(before), 2026);
        assert_eq!(istanbul_year(after), 2027);
    }
}
