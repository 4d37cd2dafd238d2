//! The shop's settings: shipping, the bank accounts transfers go to, cash on delivery,
//! and the hosts products' external links may point to.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Shop, TOPIC};
use crate::db::shop_settings::{self as rows, SettingsRow};
use crate::error::{AppError, AppResult};
use crate::money::Money;
use crate::text::clean_text;

/// The most bank accounts shown for transfers.
pub const MAX_BANK_ACCOUNTS: usize = 5;
/// The most hosts external links may point to.
pub const MAX_LINK_HOSTS: usize = 50;
/// The dearest shipping or cash-on-delivery fee: 1,000,000 ₺.
const MAX_FEE: i64 = 100_000_000;

/// An account shoppers pay bank transfers to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankAccount {
    pub bank: String,
    pub holder: String,
    /// Upper-case, without spaces (`TR` and 24 digits).
    pub iban: String,
}

impl BankAccount {
    /// The IBAN in groups of four, as people read it.
    pub fn iban_grouped(&self) -> String {
        let chars: Vec<char> = self.iban.chars().collect();
        chars
            .chunks(4)
            .map(|group| group.iter().collect::<String>())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// The settings.
#[derive(Debug, Clone)]
pub struct ShopSettings {
    pub shipping_fee: Money,
    /// Orders of at least this much (after discounts) ship free.
    pub free_shipping_threshold: Option<Money>,
    pub cash_on_delivery: bool,
    pub cash_on_delivery_fee: Money,
    pub bank_accounts: Vec<BankAccount>,
    /// Lower-case host names.
    pub external_link_hosts: Vec<String>,
    pub updated_at: DateTime<Utc>,
}

/// A change to the settings: fields left `None` stay.
#[derive(Debug, Clone, Default)]
pub struct SettingsChange {
    pub shipping_fee: Option<i64>,
    /// `Some(None)` removes the threshold.
    pub free_shipping_threshold: Option<Option<i64>>,
    pub cash_on_delivery: Option<bool>,
    pub cash_on_delivery_fee: Option<i64>,
    pub bank_accounts: Option<Vec<BankAccount>>,
    pub external_link_hosts: Option<Vec<String>>,
}

impl Shop {
    /// The settings as they are.
    pub async fn settings(&self) -> AppResult<ShopSettings> {
        let mut pooled = self.svc.db.read().await?;
        let row = rows::get(&mut pooled.conn()).await?;
        let hosts = rows::link_hosts(&mut pooled.conn()).await?;
        settings_from(row, hosts)
    }

    /// Changes the settings given, all checked before anything is written.
    pub async fn update_settings(&self, change: SettingsChange) -> AppResult<ShopSettings> {
        let now = self.svc.clock.now();
        let accounts = change
            .bank_accounts
            .as_deref()
            .map(check_accounts)
            .transpose()?;
        let hosts = change
            .external_link_hosts
            .as_deref()
            .map(check_hosts)
            .transpose()?;
        self.svc
            .db
            .transaction(async |tx| {
                let mut row = rows::get(&mut tx.conn()).await?;
                if let Some(fee) = change.shipping_fee {
                    row.shipping_fee = fee_in_range("shippingFee", fee)?;
                }
                if let Some(threshold) = change.free_shipping_threshold {
                    row.free_shipping_threshold = threshold
                        .map(|t| {
                            amount_in_range(
                                "freeShippingThreshold",
                                t,
                                crate::catalog::MAX_PRICE.kurus(),
                            )
                        })
                        .transpose()?;
                }
                if let Some(offered) = change.cash_on_delivery {
                    row.cash_on_delivery = offered;
                }
                if let Some(fee) = change.cash_on_delivery_fee {
                    row.cash_on_delivery_fee = fee_in_range("cashOnDeliveryFee", fee)?;
                }
                if let Some(accounts) = &accounts {
                    row.bank_accounts =
                        serde_json::to_string(accounts).map_err(AppError::internal)?;
                }
                row.updated_at = now.into();
                let row = rows::put(&mut tx.conn(), &row).await?;
                if let Some(hosts) = &hosts {
                    rows::set_link_hosts(&mut tx.conn(), hosts, now.into()).await?;
                }
                let hosts = rows::link_hosts(&mut tx.conn()).await?;
                self.svc.events.publish_on_commit(tx, TOPIC).await?;
                settings_from(row, hosts)
            })
            .await
    }
}

fn settings_from(row: SettingsRow, external_link_hosts: Vec<String>) -> AppResult<ShopSettings> {
    let bank_accounts: Vec<BankAccount> =
        serde_json::from_str(&row.bank_accounts).map_err(AppError::internal)?;
    Ok(ShopSettings {
        shipping_fee: row.shipping_fee,
        free_shipping_threshold: row.free_shipping_threshold,
        cash_on_delivery: row.cash_on_delivery,
        cash_on_delivery_fee: row.cash_on_delivery_fee,
        bank_accounts,
        external_link_hosts,
        updated_at: row.updated_at.into(),
    })
}

fn fee_in_range(field: &str, kurus: i64) -> AppResult<Money> {
    amount_in_range(field, kurus, MAX_FEE)
}

fn amount_in_range(field: &str, kurus: i64, max: i64) -> AppResult<Money> {
    if !(0..=max).contains(&kurus) {
        return Err(AppError::invalid(
            field,
            format!("An amount is in kuruş, from 0 to {max}."),
        ));
    }
    Ok(Money::from_kurus(kurus))
}

fn check_accounts(accounts: &[BankAccount]) -> AppResult<Vec<BankAccount>> {
    if accounts.len() > MAX_BANK_ACCOUNTS {
        return Err(AppError::invalid(
            "bankAccounts",
            format!("At most {MAX_BANK_ACCOUNTS} bank accounts."),
        ));
    }
    accounts
        .iter()
        .enumerate()
        .map(|(i, account)| {
            let at = |field: &str| format!("bankAccounts.{i}.{field}");
            let iban = normalize_iban(&account.iban).ok_or_else(|| {
                AppError::invalid(
                    at("iban"),
                    "A Turkish IBAN is TR followed by 24 digits, with valid check digits.",
                )
            })?;
            Ok(BankAccount {
                bank: clean_text(&at("bank"), &account.bank, 80, false)?,
                holder: clean_text(&at("holder"), &account.holder, 120, false)?,
                iban,
            })
        })
        .collect()
}

/// A Turkish IBAN without spaces, upper-case, when its check digits hold (ISO 13616:
/// the number read from the fifth character on, then the first four, is 1 mod 97).
pub fn normalize_iban(raw: &str) -> Option<String> {
    let iban: String = raw
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    let digits_ok =
        iban.len() == 26 && iban.starts_with("TR") && iban[2..].bytes().all(|b| b.is_ascii_digit());
    if !digits_ok {
        return None;
    }
    let rearranged = format!("{}{}", &iban[4..], &iban[..4]);
    let mut remainder = 0_u32;
    for c in rearranged.chars() {
        let value = c.to_digit(36)?;
        for digit in value.to_string().chars() {
            remainder = (remainder * 10 + digit.to_digit(10)?) % 97;
        }
    }
    (remainder == 1).then_some(iban)
}

fn check_hosts(hosts: &[String]) -> AppResult<Vec<String>> {
    if hosts.len() > MAX_LINK_HOSTS {
        return Err(AppError::invalid(
            "externalLinkHosts",
            format!("At most {MAX_LINK_HOSTS} hosts."),
        ));
    }
    let mut checked: Vec<String> = Vec::with_capacity(hosts.len());
    for (i, raw) in hosts.iter().enumerate() {
        let host = raw.trim().trim_end_matches('.').to_ascii_lowercase();
        if !is_host_name(&host) {
            return Err(AppError::invalid(
                format!("externalLinkHosts.{i}"),
                "Give a host name only, such as www.trendyol.com (no https://, no path).",
            ));
        }
        if !checked.contains(&host) {
            checked.push(host);
        }
    }
    Ok(checked)
}

/// Whether `host` is a DNS name with at least two labels (letters, digits, hyphens).
fn is_host_name(host: &str) -> bool {
    host.len() <= 253
        && host.contains('.')
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        })
        && !host
            .rsplit('.')
            .next()
            .is_some_and(|tld| tld.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_iban_is_checked_by_its_check_digits() {
        assert_eq!(
            normalize_iban("tr33 0006 1005 1978 6457 8413 26").as_deref(),
            Some("TR330006100519786457841326")
        );
        assert_eq!(
            normalize_iban("TR340006100519786457841326"),
            None,
            "a wrong check digit"
        );
        assert_eq!(
            normalize_iban("DE89370400440532013000"),
            None,
            "not Turkish"
        );
        assert_eq!(
            normalize_iban("TR33000610051978645784132"),
            None,
            "too short"
        );
    }

    #[test]
    fn hosts_are_names_not_addresses() {
        assert_eq!(
            check_hosts(&[" WWW.Trendyol.com. ".into(), "www.trendyol.com".into()]).unwrap(),
            vec!["www.trendyol.com"]
        );
        for bad in [
            "https://www.trendyol.com",
            "trendyol",
            "127.0.0.1",
            "a..b.com",
            "x.com/path",
            "-a.com",
        ] {
            assert!(check_hosts(&[bad.into()]).is_err(), "{bad}");
        }
    }
}
