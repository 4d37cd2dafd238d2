//! The shop's settings: read by everyone (shipping terms, payment options), changed by
//! administrators.

use async_graphql::{Context, InputObject, MaybeUndefined, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};

use crate::graphql::context::ContextExt;
use crate::graphql::guards::AdminOnly;
use crate::graphql::scalars::BigInt;
use crate::resolvers::catalog::MoneyGql;
use crate::shop::settings::{BankAccount, SettingsChange, ShopSettings};

/// An account shoppers pay bank transfers to.
#[derive(SimpleObject)]
#[graphql(name = "BankAccount")]
pub struct BankAccountGql {
    bank: String,
    holder: String,
    /// `TR` and 24 digits, without spaces.
    iban: String,
    /// The IBAN in groups of four, as people read it.
    iban_formatted: String,
}

impl From<&BankAccount> for BankAccountGql {
    fn from(account: &BankAccount) -> Self {
        BankAccountGql {
            bank: account.bank.clone(),
            holder: account.holder.clone(),
            iban: account.iban.clone(),
            iban_formatted: account.iban_grouped(),
        }
    }
}

/// Shipping, payment and external-link settings.
pub struct ShopSettingsGql(ShopSettings);

#[Object(name = "ShopSettings")]
impl ShopSettingsGql {
    /// The flat shipping fee.
    async fn shipping_fee(&self) -> MoneyGql {
        MoneyGql(self.0.shipping_fee)
    }
    /// Orders of at least this much (after discounts) ship free; null: never free.
    async fn free_shipping_threshold(&self) -> Option<MoneyGql> {
        self.0.free_shipping_threshold.map(MoneyGql)
    }
    /// Whether bank transfer is offered (it is whenever an account is set).
    async fn bank_transfer(&self) -> bool {
        !self.0.bank_accounts.is_empty()
    }
    async fn bank_accounts(&self) -> Vec<BankAccountGql> {
        self.0
            .bank_accounts
            .iter()
            .map(BankAccountGql::from)
            .collect()
    }
    /// Whether cash on delivery is offered.
    async fn cash_on_delivery(&self) -> bool {
        self.0.cash_on_delivery
    }
    /// Added to an order paid on delivery.
    async fn cash_on_delivery_fee(&self) -> MoneyGql {
        MoneyGql(self.0.cash_on_delivery_fee)
    }
    /// Hosts products' external links may point to (administrators).
    #[graphql(guard = "AdminOnly")]
    async fn external_link_hosts(&self) -> &[String] {
        &self.0.external_link_hosts
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

/// A bank account as an administrator types it.
#[derive(InputObject)]
#[graphql(name = "BankAccountInput")]
pub struct BankAccountInputGql {
    bank: String,
    holder: String,
    /// A Turkish IBAN (spaces allowed).
    iban: String,
}

/// Changes to the settings: fields left out stay as they are.
#[derive(InputObject)]
#[graphql(name = "ShopSettingsInput")]
pub struct ShopSettingsInputGql {
    /// In kuruş.
    shipping_fee: Option<BigInt>,
    /// In kuruş; null removes the threshold.
    free_shipping_threshold: MaybeUndefined<BigInt>,
    cash_on_delivery: Option<bool>,
    /// In kuruş.
    cash_on_delivery_fee: Option<BigInt>,
    /// Replaces the accounts (at most 5; an empty list stops bank transfers).
    bank_accounts: Option<Vec<BankAccountInputGql>>,
    /// Replaces the allowed hosts, e.g. `www.trendyol.com` (at most 50).
    external_link_hosts: Option<Vec<String>>,
}

/// Reading the settings.
#[derive(Default)]
pub struct ShopSettingsQuery;

#[Object]
impl ShopSettingsQuery {
    /// Shipping terms and the ways to pay.
    async fn shop_settings(&self, ctx: &Context<'_>) -> Result<ShopSettingsGql> {
        Ok(ShopSettingsGql(ctx.app().shop.settings().await?))
    }
}

/// Changing the settings.
#[derive(Default)]
pub struct ShopSettingsMutation;

#[Object]
impl ShopSettingsMutation {
    /// Changes the fields given, all checked before anything is saved.
    #[graphql(guard = "AdminOnly")]
    async fn update_shop_settings(
        &self,
        ctx: &Context<'_>,
        input: ShopSettingsInputGql,
    ) -> Result<ShopSettingsGql> {
        let change = SettingsChange {
            shipping_fee: input.shipping_fee.map(|f| f.0),
            free_shipping_threshold: match input.free_shipping_threshold {
                MaybeUndefined::Undefined => None,
                MaybeUndefined::Null => Some(None),
                MaybeUndefined::Value(t) => Some(Some(t.0)),
            },
            cash_on_delivery: input.cash_on_delivery,
            cash_on_delivery_fee: input.cash_on_delivery_fee.map(|f| f.0),
            bank_accounts: input.bank_accounts.map(|accounts| {
                accounts
                    .into_iter()
                    .map(|a| BankAccount {
                        bank: a.bank,
                        holder: a.holder,
                        iban: a.iban,
                    })
                    .collect()
            }),
            external_link_hosts: input.external_link_hosts,
        };
        let settings = ctx
            .app()
            .shop
            .update_settings(change)
            .await
            .map_err(|e| e.under("input"))?;
        Ok(ShopSettingsGql(settings))
    }
}
