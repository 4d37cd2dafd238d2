//! The signed-in customer's addresses.

use async_graphql::{Context, ID, InputObject, Object, Result};
use chrono::{DateTime, Utc};

use crate::addresses::{Address, AddressInput};
use crate::graphql::context::ContextExt;
use crate::graphql::guards::SignedIn;
use crate::graphql::scalars::parse_id;

/// A delivery address.
pub struct AddressGql(Address);

#[Object(name = "Address")]
impl AddressGql {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// The customer's name for it ("Ev", "İş").
    async fn title(&self) -> &str {
        &self.0.title
    }
    async fn recipient_name(&self) -> &str {
        &self.0.recipient_name
    }
    /// `+90` and ten digits.
    async fn phone(&self) -> &str {
        &self.0.phone
    }
    async fn line1(&self) -> &str {
        &self.0.line1
    }
    async fn line2(&self) -> Option<&str> {
        self.0.line2.as_deref()
    }
    /// İlçe.
    async fn district(&self) -> &str {
        &self.0.district
    }
    /// İl: one of the 81 provinces.
    async fn city(&self) -> &str {
        &self.0.city
    }
    async fn postal_code(&self) -> &str {
        &self.0.postal_code
    }
    /// ISO 3166 code ("TR").
    async fn country(&self) -> &str {
        &self.0.country
    }
    /// Whether it is the customer's default address.
    async fn is_default(&self) -> bool {
        self.0.is_default
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

/// An address as the customer types it.
#[derive(InputObject)]
#[graphql(name = "AddressInput")]
pub struct AddressInputGql {
    /// Up to 40 characters ("Ev", "İş").
    title: String,
    recipient_name: String,
    /// A Turkish mobile or landline number.
    phone: String,
    line1: String,
    line2: Option<String>,
    district: String,
    /// One of the 81 provinces (Turkish letters or not, any case).
    city: String,
    /// Five digits, starting with the province's code.
    postal_code: String,
    /// "TR" (the only country delivered to).
    country: Option<String>,
    /// Make it the default address.
    is_default: Option<bool>,
}

impl From<AddressInputGql> for AddressInput {
    fn from(input: AddressInputGql) -> Self {
        AddressInput {
            title: input.title,
            recipient_name: input.recipient_name,
            phone: input.phone,
            line1: input.line1,
            line2: input.line2,
            district: input.district,
            city: input.city,
            postal_code: input.postal_code,
            country: input.country,
            is_default: input.is_default.unwrap_or(false),
        }
    }
}

/// The signed-in customer's addresses.
#[derive(Default)]
pub struct AddressesQuery;

#[Object]
impl AddressesQuery {
    /// The signed-in user's addresses, the default first.
    #[graphql(guard = "SignedIn")]
    async fn my_addresses(&self, ctx: &Context<'_>) -> Result<Vec<AddressGql>> {
        let user = ctx.user()?;
        let addresses = ctx.app().addresses.of(user).await?;
        Ok(addresses.into_iter().map(AddressGql).collect())
    }
}

/// Changing the signed-in customer's addresses.
#[derive(Default)]
pub struct AddressesMutation;

#[Object]
impl AddressesMutation {
    /// Saves a new address (at most 20); the first becomes the default.
    #[graphql(guard = "SignedIn")]
    async fn create_address(
        &self,
        ctx: &Context<'_>,
        input: AddressInputGql,
    ) -> Result<AddressGql> {
        let user = ctx.user()?;
        let address = ctx
            .app()
            .addresses
            .create(user, &input.into())
            .await
            .map_err(|e| e.under("input"))?;
        Ok(AddressGql(address))
    }

    /// Changes one of the customer's addresses.
    #[graphql(guard = "SignedIn")]
    async fn update_address(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: AddressInputGql,
    ) -> Result<AddressGql> {
        let user = ctx.user()?;
        let id = parse_id(&id)?;
        let address = ctx
            .app()
            .addresses
            .update(user, id, &input.into())
            .await
            .map_err(|e| e.under("input"))?;
        Ok(AddressGql(address))
    }

    /// Deletes one of the customer's addresses (the oldest left becomes the default).
    #[graphql(guard = "SignedIn")]
    async fn delete_address(&self, ctx: &Context<'_>, id: ID) -> Result<bool> {
        let user = ctx.user()?;
        let id = parse_id(&id)?;
        ctx.app().addresses.delete(user, id).await?;
        Ok(true)
    }

    /// Makes one of the customer's addresses the default.
    #[graphql(guard = "SignedIn")]
    async fn set_default_address(&self, ctx: &Context<'_>, id: ID) -> Result<AddressGql> {
        let user = ctx.user()?;
        let id = parse_id(&id)?;
        Ok(AddressGql(ctx.app().addresses.set_default(user, id).await?))
    }
}
