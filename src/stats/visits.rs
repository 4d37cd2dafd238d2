//! Visits: a visitor counts once per calendar day in Europe/Istanbul.

use std::net::IpAddr;
use std::time::Duration;

use crate::app::App;
use crate::db::DbError;
use crate::db::stats as rows;
use crate::error::{AppError, AppResult};
use crate::throttle::{Limit, too_many_attempts};

/// Visit calls per client address, so a script cannot pump the numbers.
pub const VISITS_PER_ADDRESS: Limit = Limit::per(20, Duration::from_secs(3600));

/// Records that `visitor_id` opened a page; true when it counted (first time today).
pub async fn record(app: &App, visitor_id: &str, client: IpAddr) -> AppResult<bool> {
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
    app.throttle
        .hit(
            &crate::throttle::client_key("visit", client),
            VISITS_PER_ADDRESS,
        )
        .map_err(too_many_attempts)?;
    let now = app.clock.now();
    let day = now
        .with_timezone(&chrono_tz::Europe::Istanbul)
        .format("%Y-%m-%d")
        .to_string();
    let now_ms = now.timestamp_millis();
    let mut tx = app.db.begin().await?;
    let result = async {
        let conn = &mut tx.conn();
        let counted = rows::insert_visit(conn, visitor_id, &day, now_ms).await?;
        if counted {
            rows::bump(conn, super::VISITS, 1).await?;
            super::counters_changed(conn, now_ms).await?;
        }
        Ok::<_, DbError>(counted)
    }
    .await;
    let counted = tx.finish(result).await?;
    if counted {
        app.stats.invalidate();
    }
    Ok(counted)
}
