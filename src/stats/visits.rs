//! Visits: a visitor counts once per calendar day in Europe/Istanbul, and one client can
//! add only a handful of visitors a day. Every visitor adds a completed job (the owner's
//! wish), so the count is of visitors, not of requests: a household shares one address,
//! a script rotating visitor ids or IPv6 addresses must not pump the numbers. What is
//! refused is refused silently: the widget never shows an error for a visit.

use std::net::IpAddr;
use std::time::Duration;

use super::Statistics;
use crate::db::stats as rows;
use crate::error::{AppError, AppResult};
use crate::networks::{client_block, client_network};
use crate::throttle::{Limit, too_many_attempts};

/// `recordVisit` calls per client network, repeat visits included (and
/// [`Limit::for_block`] per block of networks: each call may write).
pub const VISIT_CALLS_PER_NETWORK: Limit = Limit::per(20, Duration::from_secs(3600));
/// New visitors one client network (an IPv4 address or IPv6 /64: a household) may add
/// per Istanbul day.
pub const VISITORS_PER_NETWORK_PER_DAY: i64 = 5;
/// New visitors one block of networks (IPv4 /24, IPv6 /48) may add per Istanbul day.
pub const VISITORS_PER_BLOCK_PER_DAY: i64 = 30;

impl Statistics {
    /// Records that `visitor_id` opened a page; true when it counted (the visitor's first
    /// visit today, within every allowance).
    pub async fn record_visit(&self, visitor_id: &str, client: IpAddr) -> AppResult<bool> {
        let visitor_id = visitor_id.trim();
        if visitor_id.is_empty()
            || visitor_id.len() > 64
            || !visitor_id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Err(AppError::bad_input(
                "visitorId must be 1–64 characters of letters, digits, '-' or '_'.",
            ));
        }
        let svc = &self.svc;
        if svc
            .throttle
            .hit_client("visit", client, VISIT_CALLS_PER_NETWORK)
            .await?
            .is_err()
        {
            tracing::debug!(%client, "visit calls over the per-client limit; not counted");
            return Ok(false);
        }
        let now = svc.clock.now();
        let day = istanbul_day(now);
        let per_minute = Limit::per(
            svc.config.public_writes.visits_per_minute,
            Duration::from_secs(60),
        );
        let counted = svc
            .db
            .transaction(async |tx| {
                if !rows::insert_visit(&mut tx.conn(), visitor_id, &day, now.into()).await? {
                    return Ok(false);
                }
                let network = format!("visitors:{}", client_network(client));
                let block = format!("visitors-block:{}", client_block(client));
                let within = rows::claim_daily_quota(
                    &mut tx.conn(),
                    &network,
                    &day,
                    VISITORS_PER_NETWORK_PER_DAY,
                )
                .await?
                    && rows::claim_daily_quota(
                        &mut tx.conn(),
                        &block,
                        &day,
                        VISITORS_PER_BLOCK_PER_DAY,
                    )
                    .await?;
                if !within {
                    return Err(AppError::rate_limited(
                        "The visitor allowance is used up.",
                        3600,
                    ));
                }
                // On PostgreSQL in the transaction: a visit that fails later is not counted
                // here either. In memory (SQLite) it counts at once: a failure after this
                // point costs one place in the minute's allowance.
                svc.throttle
                    .hit_all_in(&mut tx.conn(), &[("visits-all", per_minute)])
                    .await?
                    .map_err(too_many_attempts)?;
                super::count(svc, tx, super::VISITS, 1, now).await?;
                Ok::<_, AppError>(true)
            })
            .await;
        // A refusal rolls the visit back: it is neither counted nor remembered.
        match counted {
            Err(AppError::RateLimited { .. }) => {
                tracing::debug!(%client, "a new visitor over the allowances; not counted");
                Ok(false)
            }
            other => other,
        }
    }

    /// Forgets the allowances of days before yesterday (they name client networks).
    pub async fn sweep_visitor_allowances(&self) -> AppResult<usize> {
        let day = istanbul_day(self.svc.clock.now() - chrono::Duration::days(1));
        Ok(rows::delete_quotas_before(&mut self.svc.db.write().await?.conn(), &day).await?)
    }
}

/// The Istanbul calendar day of `now` (`YYYY-MM-DD`).
pub fn istanbul_day(now: chrono::DateTime<chrono::Utc>) -> String {
    now.with_timezone(&chrono_tz::Europe::Istanbul)
        .format("%Y-%m-%d")
        .to_string()
}
