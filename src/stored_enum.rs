//! Enums stored as text (a leaf: the database layer and the domains both use it), read
//! back strictly: a stored value the code does not know is
//! an error (the row cannot be read), never a silent default.

/// Declares an enum stored as `Text` with one stored spelling per variant:
///
/// ```ignore
/// stored_enum! {
///     /// What a user may do.
///     pub enum Role { Admin = "ADMIN", Customer = "CUSTOMER" }
/// }
/// ```
macro_rules! stored_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $($(#[$variant_meta:meta])* $variant:ident = $stored:literal),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, diesel::expression::AsExpression, diesel::deserialize::FromSqlRow)]
        #[diesel(sql_type = diesel::sql_types::Text)]
        $vis enum $name {
            $($(#[$variant_meta])* $variant),+
        }

        impl $name {
            /// Every value.
            pub const ALL: &[$name] = &[$($name::$variant),+];

            /// The stored spelling.
            pub fn as_db(self) -> &'static str {
                match self {
                    $($name::$variant => $stored),+
                }
            }

            /// The value stored as `value`, if there is one.
            pub fn from_db(value: &str) -> Option<Self> {
                match value {
                    $($stored => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl<DB> diesel::deserialize::FromSql<diesel::sql_types::Text, DB> for $name
        where
            DB: diesel::backend::Backend,
            String: diesel::deserialize::FromSql<diesel::sql_types::Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> diesel::deserialize::Result<Self> {
                let stored = String::from_sql(bytes)?;
                Self::from_db(&stored).ok_or_else(|| {
                    format!("{stored:?} is not a stored {}", stringify!($name)).into()
                })
            }
        }

        impl diesel::serialize::ToSql<diesel::sql_types::Text, diesel::sqlite::Sqlite> for $name {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, diesel::sqlite::Sqlite>,
            ) -> diesel::serialize::Result {
                out.set_value(self.as_db());
                Ok(diesel::serialize::IsNull::No)
            }
        }

        impl diesel::serialize::ToSql<diesel::sql_types::Text, diesel::pg::Pg> for $name {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, diesel::pg::Pg>,
            ) -> diesel::serialize::Result {
                <str as diesel::serialize::ToSql<diesel::sql_types::Text, diesel::pg::Pg>>::to_sql(
                    self.as_db(),
                    out,
                )
            }
        }
    };
}
pub(crate) use stored_enum;
