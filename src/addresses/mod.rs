//! Customers' delivery addresses: checked as Turkish addresses (a province, its postal
//! code, a Turkish phone number), at most [`MAX_ADDRESSES`] per customer, exactly one
//! default while any exists — also when changes arrive at the same time.

pub mod provinces;

use chrono::{DateTime, Utc};

use crate::auth::User;
use crate::db::addresses::{self as rows, AddressFields, AddressRow};
use crate::db::{Tx, users};
use crate::error::{AppError, AppResult};
use crate::phone::normalize_turkish;
use crate::services::Services;
use crate::text::clean_text;

/// The most addresses one customer keeps.
pub const MAX_ADDRESSES: i64 = 20;
/// The only country delivered to.
pub const COUNTRY: &str = "TR";

/// A stored address.
#[derive(Debug, Clone)]
pub struct Address {
    pub id: i64,
    pub title: String,
    pub recipient_name: String,
    /// `+90` and ten digits.
    pub phone: String,
    pub line1: String,
    pub line2: Option<String>,
    pub district: String,
    /// One of the 81 provinces, as it is spelled.
    pub city: String,
    pub postal_code: String,
    pub country: String,
    pub is_default: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<AddressRow> for Address {
    fn from(row: AddressRow) -> Self {
        Address {
            id: row.id,
            title: row.title,
            recipient_name: row.recipient_name,
            phone: row.phone,
            line1: row.line1,
            line2: row.line2,
            district: row.district,
            city: row.city,
            postal_code: row.postal_code,
            country: row.country,
            is_default: row.is_default,
            created_at: row.created_at.into(),
            updated_at: row.updated_at.into(),
        }
    }
}

/// An address as the customer typed it.
#[derive(Debug, Clone, Default)]
pub struct AddressInput {
    pub title: String,
    pub recipient_name: String,
    pub phone: String,
    pub line1: String,
    pub line2: Option<String>,
    pub district: String,
    pub city: String,
    pub postal_code: String,
    pub country: Option<String>,
    /// Make it the default (the first address is the default whatever this says).
    pub is_default: bool,
}

impl Address {
    /// The lines a carrier needs (without the recipient and phone), as one text.
    pub fn postal_text(&self) -> String {
        postal_text(
            &self.line1,
            self.line2.as_deref(),
            &self.district,
            &self.city,
            &self.postal_code,
        )
    }
}

fn postal_text(
    line1: &str,
    line2: Option<&str>,
    district: &str,
    city: &str,
    postal_code: &str,
) -> String {
    let mut text = line1.to_owned();
    if let Some(line2) = line2 {
        text.push('\n');
        text.push_str(line2);
    }
    text.push_str(&format!("\n{postal_code} {district} / {city}\n{COUNTRY}"));
    text
}

/// An address after its checks, in the form it is stored.
pub struct Checked {
    pub title: String,
    pub recipient_name: String,
    pub phone: String,
    line1: String,
    line2: Option<String>,
    district: String,
    city: &'static str,
    postal_code: String,
}

impl Checked {
    /// The lines a carrier needs (without the recipient and phone), as one text.
    pub fn postal_text(&self) -> String {
        postal_text(
            &self.line1,
            self.line2.as_deref(),
            &self.district,
            self.city,
            &self.postal_code,
        )
    }

    fn fields(&self) -> AddressFields<'_> {
        AddressFields {
            title: &self.title,
            recipient_name: &self.recipient_name,
            phone: &self.phone,
            line1: &self.line1,
            line2: self.line2.as_deref(),
            district: &self.district,
            city: self.city,
            postal_code: &self.postal_code,
            country: COUNTRY,
        }
    }
}

/// Checks every field; the first refusal names its field (`phone`, `postalCode`, …).
pub fn check(input: &AddressInput) -> AppResult<Checked> {
    let title = clean_text("title", &input.title, 40, false)?;
    let recipient_name = clean_text("recipientName", &input.recipient_name, 100, false)?;
    let phone = normalize_turkish(&input.phone).map_err(|m| AppError::invalid("phone", m))?;
    let line1 = clean_text("line1", &input.line1, 200, false)?;
    let line2 = match input.line2.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(line2) => Some(clean_text("line2", line2, 200, false)?),
    };
    let district = clean_text("district", &input.district, 60, false)?;
    let (city, code) = provinces::find(&input.city)
        .ok_or_else(|| AppError::invalid("city", "Choose one of Türkiye's 81 provinces."))?;
    let postal_code = input.postal_code.trim().to_owned();
    if postal_code.len() != 5 || !postal_code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AppError::invalid(
            "postalCode",
            "A postal code is five digits.",
        ));
    }
    if !provinces::postal_code_matches(&postal_code, code) {
        return Err(AppError::invalid(
            "postalCode",
            format!("Postal codes in {city} start with {code:02}."),
        ));
    }
    if input
        .country
        .as_deref()
        .is_some_and(|c| !c.trim().eq_ignore_ascii_case(COUNTRY))
    {
        return Err(AppError::invalid(
            "country",
            "We deliver only within Türkiye (TR).",
        ));
    }
    Ok(Checked {
        title,
        recipient_name,
        phone,
        line1,
        line2,
        district,
        city,
        postal_code,
    })
}

const NOT_YOURS: &str = "You have no address with this id.";

/// Customers' addresses.
#[derive(Clone)]
pub struct Addresses {
    svc: Services,
}

impl Addresses {
    /// The addresses domain.
    pub fn new(svc: Services) -> Self {
        Addresses { svc }
    }

    /// The owner's addresses, the default first.
    pub async fn of(&self, owner: &User) -> AppResult<Vec<Address>> {
        let rows = rows::of_user(&mut self.svc.db.read().await?.conn(), owner.id).await?;
        Ok(rows.into_iter().map(Address::from).collect())
    }

    /// Saves a new address; the first one, or one asked to be, becomes the default.
    pub async fn create(&self, owner: &User, input: &AddressInput) -> AppResult<Address> {
        let checked = check(input)?;
        self.svc
            .db
            .transaction(async |tx| {
                users::lock(&mut tx.conn(), owner.id).await?;
                self.save_in(tx, owner, &checked, input.is_default).await
            })
            .await
    }

    /// Saves a checked address in `tx`, whose caller holds the owner's row lock.
    pub async fn save_in(
        &self,
        tx: &mut Tx,
        owner: &User,
        checked: &Checked,
        make_default: bool,
    ) -> AppResult<Address> {
        let now = self.svc.clock.now().into();
        let count = rows::count(&mut tx.conn(), owner.id).await?;
        if count >= MAX_ADDRESSES {
            return Err(AppError::bad_input(format!(
                "You can keep at most {MAX_ADDRESSES} addresses; delete one first."
            )));
        }
        let row =
            rows::insert(&mut tx.conn(), owner.id, &checked.fields(), count == 0, now).await?;
        let row = if make_default && !row.is_default {
            rows::make_default(&mut tx.conn(), owner.id, row.id, now)
                .await?
                .unwrap_or(row)
        } else {
            row
        };
        Ok(Address::from(row))
    }

    /// Whether the owner may save another address, read in `tx`.
    pub async fn has_room_in(&self, tx: &mut Tx, owner: &User) -> AppResult<bool> {
        Ok(rows::count(&mut tx.conn(), owner.id).await? < MAX_ADDRESSES)
    }

    /// The owner's address with this id, read in `tx`.
    pub async fn find_in(&self, tx: &mut Tx, owner: &User, id: i64) -> AppResult<Address> {
        rows::of_user(&mut tx.conn(), owner.id)
            .await?
            .into_iter()
            .find(|row| row.id == id)
            .map(Address::from)
            .ok_or_else(|| AppError::not_found(NOT_YOURS))
    }

    /// Changes an address of the owner (and makes it the default if asked; an address
    /// stops being the default only by another becoming it).
    pub async fn update(&self, owner: &User, id: i64, input: &AddressInput) -> AppResult<Address> {
        let checked = check(input)?;
        let now = self.svc.clock.now().into();
        self.svc
            .db
            .transaction(async |tx| {
                users::lock(&mut tx.conn(), owner.id).await?;
                let row = rows::update(&mut tx.conn(), owner.id, id, &checked.fields(), now)
                    .await?
                    .ok_or_else(|| AppError::not_found(NOT_YOURS))?;
                let row = if input.is_default && !row.is_default {
                    rows::make_default(&mut tx.conn(), owner.id, id, now)
                        .await?
                        .unwrap_or(row)
                } else {
                    row
                };
                Ok(Address::from(row))
            })
            .await
    }

    /// Deletes an address of the owner; when it was the default, the oldest remaining
    /// one becomes the default.
    pub async fn delete(&self, owner: &User, id: i64) -> AppResult<()> {
        let now = self.svc.clock.now().into();
        self.svc
            .db
            .transaction(async |tx| {
                users::lock(&mut tx.conn(), owner.id).await?;
                let deleted = rows::delete(&mut tx.conn(), owner.id, id)
                    .await?
                    .ok_or_else(|| AppError::not_found(NOT_YOURS))?;
                if deleted.is_default
                    && let Some(next) = rows::oldest(&mut tx.conn(), owner.id).await?
                {
                    rows::make_default(&mut tx.conn(), owner.id, next, now).await?;
                }
                Ok(())
            })
            .await
    }

    /// Makes an address of the owner the default.
    pub async fn set_default(&self, owner: &User, id: i64) -> AppResult<Address> {
        let now = self.svc.clock.now().into();
        self.svc
            .db
            .transaction(async |tx| {
                users::lock(&mut tx.conn(), owner.id).await?;
                let row = rows::make_default(&mut tx.conn(), owner.id, id, now)
                    .await?
                    .ok_or_else(|| AppError::not_found(NOT_YOURS))?;
                Ok(Address::from(row))
            })
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn home() -> AddressInput {
        AddressInput {
            title: "Ev".into(),
            recipient_name: "Ayşe Yılmaz".into(),
            phone: "0532 123 45 67".into(),
            line1: "Bağdat Cad. No: 5 D: 3".into(),
            line2: Some("  ".into()),
            district: "Kadıköy".into(),
            city: "istanbul".into(),
            postal_code: "34710".into(),
            country: None,
            is_default: false,
        }
    }

    fn refused_field(input: &AddressInput) -> Option<String> {
        match check(input) {
            Err(AppError::Client { field, .. }) => field,
            _ => None,
        }
    }

    #[test]
    fn an_address_is_stored_in_one_form() {
        let checked = check(&home()).unwrap();
        assert_eq!(checked.phone, "+905321234567");
        assert_eq!(checked.city, "İstanbul");
        assert_eq!(checked.line2, None);
    }

    #[test]
    fn each_bad_field_is_named() {
        type Spoil = fn(&mut AddressInput);
        let cases: [(&str, Spoil); 7] = [
            ("title", |a| a.title = " ".into()),
            ("phone", |a| a.phone = "12345".into()),
            ("city", |a| a.city = "Atlantis".into()),
            ("postalCode", |a| a.postal_code = "3471".into()),
            ("postalCode", |a| a.postal_code = "06100".into()),
            ("country", |a| a.country = Some("DE".into())),
            ("line1", |a| a.line1 = "x".repeat(201)),
        ];
        for (field, spoil) in cases {
            let mut input = home();
            spoil(&mut input);
            assert_eq!(refused_field(&input).as_deref(), Some(field));
        }
    }
}
