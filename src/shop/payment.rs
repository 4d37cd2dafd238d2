//! How orders are paid. Every rule that depends on the payment method lives here —
//! whether it is offered, what it costs, where the order starts — so a card provider
//! is a new method in this module, not a change to checkout.

use super::settings::ShopSettings;
use crate::db::orders::OrderStatus;
pub use crate::db::orders::PaymentMethod;
use crate::error::{AppError, AppResult};
use crate::money::Money;

/// What checkout needs to know about a payment method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan {
    /// Added to the order's total.
    pub fee: Money,
    /// The status the order starts in.
    pub initial_status: OrderStatus,
}

/// The plan of `method` under the shop's settings, or why it cannot be used.
pub fn plan(method: PaymentMethod, settings: &ShopSettings) -> AppResult<Plan> {
    match method {
        PaymentMethod::BankTransfer => {
            if settings.bank_accounts.is_empty() {
                return Err(AppError::refused(
                    "PAYMENT_METHOD_UNAVAILABLE",
                    Some("paymentMethod"),
                    "Bank transfer is not offered at the moment; choose another way to pay.",
                ));
            }
            Ok(Plan {
                fee: Money::ZERO,
                initial_status: OrderStatus::AwaitingPayment,
            })
        }
        PaymentMethod::CashOnDelivery => {
            if !settings.cash_on_delivery {
                return Err(AppError::refused(
                    "PAYMENT_METHOD_UNAVAILABLE",
                    Some("paymentMethod"),
                    "Cash on delivery is not offered; choose another way to pay.",
                ));
            }
            Ok(Plan {
                fee: settings.cash_on_delivery_fee,
                initial_status: OrderStatus::Preparing,
            })
        }
    }
}
