//! The cross-instance change announcement (PostgreSQL `NOTIFY`).

use diesel_async::RunQueryDsl;

use super::Conn;

/// The PostgreSQL channel on which instances announce changes to each other.
pub const EVENTS_CHANNEL: &str = "vitrin_events";

/// Tells other instances (through PostgreSQL, on commit) that `topic` changed. SQLite
/// runs as one instance, where the in-process announcement is enough.
pub async fn notify(conn: &mut Conn<'_>, topic: &str) -> diesel::QueryResult<()> {
    if let Conn::Pg(c) = conn {
        diesel::sql_query("SELECT pg_notify($1, $2)")
            .bind::<diesel::sql_types::Text, _>(EVENTS_CHANNEL)
            .bind::<diesel::sql_types::Text, _>(topic)
            .execute(&mut **c)
            .await?;
    }
    Ok(())
}
