//! The shop: carts, coupons, checkout and orders, the shop's settings, and products
//! bought through an external link. Money is integer kuruş everywhere.

pub mod cart;
pub mod coupons;
pub mod external;
pub mod orders;
pub mod payment;
pub mod pricing;
pub mod settings;

use crate::addresses::Addresses;
use crate::catalog::Catalog;
use crate::error::AppResult;
use crate::events::Topic;
use crate::services::Services;

/// Announced whenever the shop's settings, coupons or orders change.
pub const TOPIC: Topic = Topic::new("shop");

/// The shop domain.
#[derive(Clone)]
pub struct Shop {
    svc: Services,
    catalog: Catalog,
    addresses: Addresses,
}

impl Shop {
    /// The shop, selling the catalogue's products to addresses from the address book.
    pub fn new(svc: Services, catalog: Catalog, addresses: Addresses) -> Self {
        Shop {
            svc,
            catalog,
            addresses,
        }
    }

    /// Housekeeping: expired guest carts and old external-link clicks go.
    pub async fn sweep(&self) -> AppResult<usize> {
        Ok(self.sweep_guest_carts().await? + self.sweep_external_clicks().await?)
    }
}
