//! Money: Turkish lira held as integer kuruş (1 ₺ = 100 kuruş) — never a float — and
//! written the way each language writes it: "1.299,90 ₺" in Turkish, "₺1,299.90" in
//! English. Stored as `BigInt` on both databases.

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::expression::AsExpression;
use diesel::pg::Pg;
use diesel::serialize::{self, IsNull, Output, ToSql};
use diesel::sql_types::BigInt;
use diesel::sqlite::Sqlite;

use crate::locale::Locale;

/// An amount of Turkish lira.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, AsExpression, FromSqlRow,
)]
#[diesel(sql_type = BigInt)]
pub struct Money {
    kurus: i64,
}

impl Money {
    /// The currency every amount is in (ISO 4217).
    pub const CURRENCY: &'static str = "TRY";
    /// Nothing.
    pub const ZERO: Money = Money { kurus: 0 };

    /// An amount of `kurus` hundredths of a lira.
    pub const fn from_kurus(kurus: i64) -> Self {
        Money { kurus }
    }

    /// The amount in kuruş.
    pub const fn kurus(self) -> i64 {
        self.kurus
    }

    /// The sum, unless it overflows.
    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.kurus.checked_add(other.kurus).map(Money::from_kurus)
    }

    /// The difference, unless it overflows.
    pub fn checked_sub(self, other: Money) -> Option<Money> {
        self.kurus.checked_sub(other.kurus).map(Money::from_kurus)
    }

    /// `quantity` times the amount, unless it overflows.
    pub fn checked_mul(self, quantity: i64) -> Option<Money> {
        self.kurus.checked_mul(quantity).map(Money::from_kurus)
    }

    /// `percent` % of the amount, rounded to the nearest kuruş (halves away from zero).
    pub fn percent(self, percent: i64) -> Option<Money> {
        let scaled = i128::from(self.kurus) * i128::from(percent);
        let rounded = (scaled + scaled.signum() * 50) / 100;
        i64::try_from(rounded).ok().map(Money::from_kurus)
    }

    /// The amount as people read it in `locale`.
    pub fn format(self, locale: Locale) -> String {
        let (thousands, decimal) = match locale {
            Locale::Tr => ('.', ','),
            Locale::En => (',', '.'),
        };
        let magnitude = self.kurus.unsigned_abs();
        let lira = (magnitude / 100).to_string();
        let mut grouped = String::with_capacity(lira.len() + lira.len() / 3);
        for (i, digit) in lira.chars().enumerate() {
            if i > 0 && (lira.len() - i).is_multiple_of(3) {
                grouped.push(thousands);
            }
            grouped.push(digit);
        }
        let sign = if self.kurus < 0 { "-" } else { "" };
        let number = format!("{grouped}{decimal}{:02}", magnitude % 100);
        match locale {
            Locale::Tr => format!("{sign}{number} ₺"),
            Locale::En => format!("{sign}₺{number}"),
        }
    }
}

impl<DB: Backend> FromSql<BigInt, DB> for Money
where
    i64: FromSql<BigInt, DB>,
{
    fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
        i64::from_sql(bytes).map(Money::from_kurus)
    }
}

impl ToSql<BigInt, Sqlite> for Money {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
        out.set_value(self.kurus);
        Ok(IsNull::No)
    }
}

impl ToSql<BigInt, Pg> for Money {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
        <i64 as ToSql<BigInt, Pg>>::to_sql(&self.kurus, out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_written_as_each_language_writes_them() {
        let price = Money::from_kurus(129_990);
        assert_eq!(price.format(Locale::Tr), "1.299,90 ₺");
        assert_eq!(price.format(Locale::En), "₺1,299.90");
        assert_eq!(Money::ZERO.format(Locale::Tr), "0,00 ₺");
        assert_eq!(Money::from_kurus(5).format(Locale::En), "₺0.05");
        assert_eq!(
            Money::from_kurus(100_000_000).format(Locale::Tr),
            "1.000.000,00 ₺"
        );
        assert_eq!(
            Money::from_kurus(-129_990).format(Locale::Tr),
            "-1.299,90 ₺"
        );
        assert_eq!(Money::from_kurus(-129_990).format(Locale::En), "-₺1,299.90");
        assert!(
            Money::from_kurus(i64::MIN)
                .format(Locale::En)
                .starts_with("-₺92,233,720,368,547,758.08")
        );
    }

    #[test]
    fn arithmetic_never_wraps() {
        let max = Money::from_kurus(i64::MAX);
        assert_eq!(max.checked_add(Money::from_kurus(1)), None);
        assert_eq!(
            Money::from_kurus(i64::MIN).checked_sub(Money::from_kurus(1)),
            None
        );
        assert_eq!(
            Money::from_kurus(1_999).checked_mul(3),
            Some(Money::from_kurus(5_997))
        );
        assert_eq!(max.checked_mul(2), None);
    }

    #[test]
    fn percentages_round_half_away_from_zero() {
        assert_eq!(
            Money::from_kurus(999).percent(20),
            Some(Money::from_kurus(200))
        );
        assert_eq!(
            Money::from_kurus(1_005).percent(10),
            Some(Money::from_kurus(101))
        );
        assert_eq!(
            Money::from_kurus(-1_005).percent(10),
            Some(Money::from_kurus(-101))
        );
        assert_eq!(
            Money::from_kurus(129_990).percent(100),
            Some(Money::from_kurus(129_990))
        );
    }
}
