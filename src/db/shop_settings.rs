//! Queries on `shop_settings` (one row) and `external_link_hosts`.

use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::schema::{external_link_hosts, shop_settings};
use super::{Conn, with_conn};
use crate::money::Money;
use crate::time::Timestamp;

/// The row of `shop_settings`.
#[derive(Debug, Clone, Queryable, Selectable, AsChangeset)]
#[diesel(table_name = shop_settings, treat_none_as_null = true)]
pub struct SettingsRow {
    pub shipping_fee: Money,
    pub free_shipping_threshold: Option<Money>,
    pub cash_on_delivery: bool,
    pub cash_on_delivery_fee: Money,
    /// A JSON list of bank accounts.
    pub bank_accounts: String,
    pub updated_at: Timestamp,
}

/// The settings (the migration writes the row).
pub async fn get(conn: &mut Conn<'_>) -> QueryResult<SettingsRow> {
    with_conn!(conn, |c| shop_settings::table
        .find(1)
        .select(SettingsRow::as_select())
        .first(c)
        .await)
}

/// Replaces the settings.
pub async fn put(conn: &mut Conn<'_>, row: &SettingsRow) -> QueryResult<SettingsRow> {
    with_conn!(conn, |c| diesel::update(shop_settings::table.find(1))
        .set(row)
        .returning(SettingsRow::as_returning())
        .get_result(c)
        .await)
}

/// The hosts external links may point to, in order.
pub async fn link_hosts(conn: &mut Conn<'_>) -> QueryResult<Vec<String>> {
    with_conn!(conn, |c| external_link_hosts::table
        .order(external_link_hosts::host.asc())
        .select(external_link_hosts::host)
        .load(c)
        .await)
}

/// Whether external links may point to `host`.
pub async fn link_host_allowed(conn: &mut Conn<'_>, host: &str) -> QueryResult<bool> {
    with_conn!(conn, |c| diesel::select(diesel::dsl::exists(
        external_link_hosts::table.filter(external_link_hosts::host.eq(host))
    ))
    .get_result(c)
    .await)
}

/// Replaces the allowed hosts.
pub async fn set_link_hosts(
    conn: &mut Conn<'_>,
    hosts: &[String],
    now: Timestamp,
) -> QueryResult<()> {
    with_conn!(conn, |c| diesel::delete(external_link_hosts::table)
        .execute(c)
        .await)?;
    // Row by row: SQLite's batch insert is not available through diesel-async.
    for host in hosts {
        with_conn!(conn, |c| diesel::insert_into(external_link_hosts::table)
            .values((
                external_link_hosts::host.eq(host),
                external_link_hosts::created_at.eq(now),
            ))
            .execute(c)
            .await)?;
    }
    Ok(())
}
