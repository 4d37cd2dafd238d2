//! Times at the database boundary: stored as Unix milliseconds (`BigInt`, the same on
//! SQLite and PostgreSQL) and read back strictly — a stored value that is no time is
//! an error, never a silent "1970".

use chrono::{DateTime, Utc};
use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::expression::AsExpression;
use diesel::pg::Pg;
use diesel::serialize::{self, IsNull, Output, ToSql};
use diesel::sql_types::BigInt;
use diesel::sqlite::Sqlite;

/// A point in time as a column: Unix milliseconds in the database, UTC in Rust.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, AsExpression, FromSqlRow)]
#[diesel(sql_type = BigInt)]
pub struct Timestamp(pub DateTime<Utc>);

impl Timestamp {
    /// The instant as stored.
    pub fn millis(self) -> i64 {
        self.0.timestamp_millis()
    }
}

impl From<DateTime<Utc>> for Timestamp {
    fn from(at: DateTime<Utc>) -> Self {
        Timestamp(at)
    }
}

impl From<Timestamp> for DateTime<Utc> {
    fn from(at: Timestamp) -> Self {
        at.0
    }
}

impl<DB: Backend> FromSql<BigInt, DB> for Timestamp
where
    i64: FromSql<BigInt, DB>,
{
    fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
        let millis = i64::from_sql(bytes)?;
        DateTime::from_timestamp_millis(millis)
            .map(Timestamp)
            .ok_or_else(|| format!("{millis} is not a time in milliseconds").into())
    }
}

impl ToSql<BigInt, Sqlite> for Timestamp {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
        out.set_value(self.millis());
        Ok(IsNull::No)
    }
}

impl ToSql<BigInt, Pg> for Timestamp {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
        <i64 as ToSql<BigInt, Pg>>::to_sql(&self.millis(), &mut out.reborrow())
    }
}
