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

    /// The amount in lira with a point and two decimals ("1299.90"), as schema.org and
    /// Open Graph want prices.
    pub fn decimal(self) -> String {
        let sign = if self.kurus < 0 { "-" } else { "" };
        let magnitude = self.kurus.unsigned_abs();
        format!("{sign}{}.{:02}", magnitude / 100, magnitude % 100)
    }

    /// An amount of lira as people type it: "1299", "1299,9", "1.299,90", "1,299.90".
    /// With both marks the last one is the decimal one; a lone mark followed by one or
    /// two digits is decimal, by three a thousands mark. Negative amounts and more than
    /// two decimals are not amounts of money here.
    pub fn parse_lira(text: &str) -> Option<Money> {
        let text = text
            .trim()
            .trim_end_matches('₺')
            .trim_start_matches('₺')
            .trim();
        let last_mark = text.rfind([',', '.']);
        let decimal_at = last_mark.filter(|&at| {
            let after = text.len() - at - 1;
            let both = text.contains(',') && text.contains('.');
            let once = text.matches(&text[at..=at]).count() == 1;
            both || (once && (1..=2).contains(&after))
        });
        let (whole, fraction) = match decimal_at {
            Some(at) => (&text[..at], &text[at + 1..]),
            None => (text, ""),
        };
        let whole: String = whole.chars().filter(|c| !matches!(c, '.' | ',')).collect();
        if whole.is_empty()
            || !whole.bytes().all(|b| b.is_ascii_digit())
            || fraction.len() > 2
            || !fraction.bytes().all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let lira: i64 = whole.parse().ok()?;
        let kurus: i64 = format!("{fraction:0<2}").parse().ok()?;
        lira.checked_mul(100)?
            .checked_add(kurus)
            .map(Money::from_kurus)
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
    fn decimals_are_lira_with_a_point() {
        assert_eq!(Money::from_kurus(129_990).decimal(), "1299.90");
        assert_eq!(Money::from_kurus(5).decimal(), "0.05");
    }

    #[test]
    fn typed_amounts_are_read_in_either_language() {
        let read = |text| Money::parse_lira(text).map(Money::kurus);
        assert_eq!(read("1299"), Some(129_900));
        assert_eq!(read("1299,9"), Some(129_990));
        assert_eq!(read("1.299,90"), Some(129_990));
        assert_eq!(read("1,299.90"), Some(129_990));
        assert_eq!(read("1.299"), Some(129_900));
        assert_eq!(read("1,234"), Some(123_400));
        assert_eq!(read("12.5 ₺"), Some(1_250));
        for bad in [
            "",
            "-5",
            "abc",
            "1.2.3,456",
            "99999999999999999999",
            "1,2,3.456",
        ] {
            assert_eq!(read(bad), None, "{bad}");
        }
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
