//! Queries on the statistics settings, running counters and visits.

use diesel::dsl::count_star;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::schema::{
    contact_messages, daily_quotas, reviews, stat_counters, stat_settings, visits,
};
use super::{Conn, with_conn};
use crate::time::Timestamp;

/// The settings row.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = stat_settings)]
pub struct SettingsRow {
    pub completed_jobs_base: i64,
    pub happy_customers_base: i64,
    pub contact_messages_base: i64,
    pub founded_year: i32,
    pub happy_threshold: i32,
    pub auto_approve_reviews: bool,
    pub count_reviews_as_jobs: bool,
    pub count_visits_as_jobs: bool,
    pub updated_at: Timestamp,
}

/// Settings to change (`None` leaves a value as it is).
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = stat_settings)]
pub struct SettingsChanges {
    pub completed_jobs_base: Option<i64>,
    pub happy_customers_base: Option<i64>,
    pub contact_messages_base: Option<i64>,
    pub founded_year: Option<i32>,
    pub happy_threshold: Option<i32>,
    pub auto_approve_reviews: Option<bool>,
    pub count_reviews_as_jobs: Option<bool>,
    pub count_visits_as_jobs: Option<bool>,
    pub updated_at: Option<Timestamp>,
}

/// The settings.
pub async fn settings(conn: &mut Conn<'_>) -> QueryResult<SettingsRow> {
    with_conn!(conn, |c| stat_settings::table
        .find(1)
        .select(SettingsRow::as_select())
        .first(c)
        .await)
}

/// Applies setting changes and returns the new settings.
pub async fn update_settings(
    conn: &mut Conn<'_>,
    changes: &SettingsChanges,
) -> QueryResult<SettingsRow> {
    with_conn!(conn, |c| diesel::update(stat_settings::table.find(1))
        .set(changes)
        .returning(SettingsRow::as_returning())
        .get_result(c)
        .await)
}

/// Every counter by name.
pub async fn counters(conn: &mut Conn<'_>) -> QueryResult<Vec<(String, i64)>> {
    with_conn!(conn, |c| stat_counters::table
        .select((stat_counters::name, stat_counters::value))
        .load(c)
        .await)
}

/// Keeps every other writer away from the counters until the transaction ends
/// (PostgreSQL; on SQLite the write transaction already excludes every other writer).
/// One table lock rather than row locks: writers lock their counter row and then
/// `changed_at`, so taking the rows one by one could deadlock with them.
pub async fn lock_counters(conn: &mut Conn<'_>) -> QueryResult<()> {
    if let Conn::Pg(c) = conn {
        diesel::sql_query("LOCK TABLE stat_counters IN EXCLUSIVE MODE")
            .execute(&mut **c)
            .await?;
    }
    Ok(())
}

/// Adds `delta` to a counter, as one atomic statement.
pub async fn bump(conn: &mut Conn<'_>, name: &str, delta: i64) -> QueryResult<()> {
    with_conn!(conn, |c| diesel::update(stat_counters::table.find(name))
        .set(stat_counters::value.eq(stat_counters::value + delta))
        .execute(c)
        .await)?;
    Ok(())
}

/// Sets a counter.
pub async fn set(conn: &mut Conn<'_>, name: &str, value: i64) -> QueryResult<()> {
    with_conn!(conn, |c| diesel::update(stat_counters::table.find(name))
        .set(stat_counters::value.eq(value))
        .execute(c)
        .await)?;
    Ok(())
}

/// Records a visit; true when it is the visitor's first of that day.
pub async fn insert_visit(
    conn: &mut Conn<'_>,
    visitor_id: &str,
    day: &str,
    now: Timestamp,
) -> QueryResult<bool> {
    let inserted = with_conn!(conn, |c| diesel::insert_into(visits::table)
        .values((
            visits::visitor_id.eq(visitor_id),
            visits::day.eq(day),
            visits::created_at.eq(now)
        ))
        .on_conflict_do_nothing()
        .execute(c)
        .await)?;
    Ok(inserted == 1)
}

/// Takes one unit of the daily allowance `key` if fewer than `max` were used on `day`;
/// false when it is used up. Concurrent callers never take more than `max` together.
pub async fn claim_daily_quota(
    conn: &mut Conn<'_>,
    key: &str,
    day: &str,
    max: i64,
) -> QueryResult<bool> {
    with_conn!(conn, |c| diesel::insert_into(daily_quotas::table)
        .values((daily_quotas::key.eq(key), daily_quotas::day.eq(day)))
        .on_conflict_do_nothing()
        .execute(c)
        .await)?;
    let claimed = with_conn!(conn, |c| diesel::update(
        daily_quotas::table
            .find((key, day))
            .filter(daily_quotas::used.lt(max))
    )
    .set(daily_quotas::used.eq(daily_quotas::used + 1))
    .execute(c)
    .await)?;
    Ok(claimed == 1)
}

/// Removes daily allowances of days before `day` (`YYYY-MM-DD` sorts as text).
pub async fn delete_quotas_before(conn: &mut Conn<'_>, day: &str) -> QueryResult<usize> {
    with_conn!(conn, |c| diesel::delete(
        daily_quotas::table.filter(daily_quotas::day.lt(day))
    )
    .execute(c)
    .await)
}

/// Approved reviews per rating, counted from the reviews themselves.
pub async fn approved_by_rating(conn: &mut Conn<'_>) -> QueryResult<Vec<(i32, i64)>> {
    with_conn!(conn, |c| reviews::table
        .filter(reviews::status.eq("APPROVED"))
        .group_by(reviews::rating)
        .select((reviews::rating, count_star()))
        .load(c)
        .await)
}

/// Visits, counted from the visit rows.
pub async fn count_visits(conn: &mut Conn<'_>) -> QueryResult<i64> {
    with_conn!(conn, |c| visits::table.select(count_star()).first(c).await)
}

/// Contact messages, counted from their rows.
pub async fn count_contact_messages(conn: &mut Conn<'_>) -> QueryResult<i64> {
    with_conn!(conn, |c| contact_messages::table
        .select(count_star())
        .first(c)
        .await)
}
