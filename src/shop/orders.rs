//! Checkout and orders: one transaction turns the cart into an order (stock taken with
//! conditional updates, the coupon's use taken, the order written with what was bought
//! as it was then, the cart emptied, the e-mails queued); the same idempotency key gives
//! the same order. Orders then move through their statuses, and a cancellation gives
//! the stock and the coupon's use back.

use chrono::{DateTime, Datelike, Utc};

use super::cart::Cart;
use super::payment::{self, PaymentMethod};
use super::settings::ShopSettings;
use super::{Shop, TOPIC as SHOP_TOPIC};
use crate::addresses::{self, AddressInput};
use crate::auth::User;
use crate::db::carts::{self as cart_rows, Owner};
use crate::db::coupons as coupon_rows;
pub use crate::db::orders::OrderStatus;
use crate::db::orders::{self as rows, Actor, OrderEventRow, OrderFilter, OrderLineRow, OrderRow};
use crate::db::{Page, Tx, products, users};
use crate::error::{AppError, AppResult};
use crate::mail::{self, templates::orders as mails};
use crate::money::Money;
use crate::text::{clean_text, fold};
use crate::throttle::{Limit, too_many_attempts};

/// Bank-transfer orders one customer may leave unpaid at once (each holds its stock).
pub const MAX_UNPAID_ORDERS: i64 = 3;

/// An order with its lines and history.
#[derive(Debug, Clone)]
pub struct Order {
    pub order: OrderRow,
    pub lines: Vec<OrderLineRow>,
    pub history: Vec<OrderEventRow>,
}

impl Order {
    /// The order's page on the storefront.
    pub fn path(&self) -> String {
        format!("/siparis/{}", self.order.number)
    }
}

/// Where an order goes.
#[derive(Debug, Clone)]
pub enum ShipTo {
    /// One of the customer's addresses.
    Saved(i64),
    /// An address typed at checkout, kept in the address book when `save`.
    New {
        address: Box<AddressInput>,
        save: bool,
    },
}

/// What the shopper chose at checkout.
#[derive(Debug, Clone)]
pub struct Checkout {
    /// The same key always gives the same order (a double click makes one order).
    pub idempotency_key: String,
    pub ship_to: ShipTo,
    pub payment_method: PaymentMethod,
    pub note: Option<String>,
    /// The cart's total (before a payment fee) the shopper saw and accepted; the order
    /// is refused when it differs now.
    pub expected_total: Option<Money>,
}

/// A change of status asked by an administrator.
#[derive(Debug, Clone)]
pub struct StatusChange {
    pub status: OrderStatus,
    pub carrier: Option<String>,
    pub tracking_number: Option<String>,
    pub note: Option<String>,
}

/// The moves an administrator may make.
fn admin_may(from: OrderStatus, to: OrderStatus) -> bool {
    use OrderStatus::*;
    matches!(
        (from, to),
        (AwaitingPayment, Preparing)
            | (AwaitingPayment, Cancelled)
            | (Preparing, Shipped)
            | (Preparing, Cancelled)
            | (Shipped, Delivered)
    )
}

/// Whether a customer may still cancel an order in `status`.
pub fn customer_may_cancel(status: OrderStatus) -> bool {
    matches!(
        status,
        OrderStatus::AwaitingPayment | OrderStatus::Preparing
    )
}

impl Shop {
    /// Places the signed-in customer's cart as an order.
    pub async fn checkout(&self, user: &User, input: Checkout) -> AppResult<Order> {
        if user.email_verified_at.is_none() {
            return Err(AppError::refused(
                "EMAIL_NOT_VERIFIED",
                None,
                "Confirm your e-mail address before ordering; we sent you a link.",
            ));
        }
        let key = input.idempotency_key.trim().to_owned();
        if !(8..=100).contains(&key.len()) || !key.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(AppError::invalid(
                "idempotencyKey",
                "The idempotency key is 8–100 visible ASCII characters (a UUID, say).",
            ));
        }
        let note = match input.note.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(note) => Some(clean_text("note", note, 500, true)?),
        };
        let new_address = match &input.ship_to {
            ShipTo::Saved(_) => None,
            ShipTo::New { address, .. } => {
                Some(addresses::check(address).map_err(|e| e.under("address"))?)
            }
        };
        if let Some(order) = self.order_by_key(user, &key).await? {
            return Ok(order);
        }
        if let Err(wait) = self
            .svc
            .throttle
            .hit(
                &format!("checkout:{}", user.id),
                Limit::per(
                    self.svc.config.checkouts_per_hour,
                    std::time::Duration::from_secs(3600),
                ),
            )
            .await?
        {
            return Err(too_many_attempts(wait));
        }
        let now = self.svc.clock.now();
        let settings = self.settings().await?;
        let plan = payment::plan(input.payment_method, &settings)?;
        let id = self
            .svc
            .db
            .transaction(async |tx| {
                users::lock(&mut tx.conn(), user.id).await?;
                if let Some(existing) = rows::find_by_key(&mut tx.conn(), user.id, &key).await? {
                    return Ok(existing.id);
                }
                if plan.initial_status == OrderStatus::AwaitingPayment
                    && rows::count_in_status(&mut tx.conn(), user.id, OrderStatus::AwaitingPayment)
                        .await?
                        >= MAX_UNPAID_ORDERS
                {
                    return Err(AppError::refused(
                        "TOO_MANY_UNPAID_ORDERS",
                        Some("paymentMethod"),
                        format!(
                            "You have {MAX_UNPAID_ORDERS} orders awaiting a bank transfer; pay or cancel one first."
                        ),
                    ));
                }
                let cart_row =
                    cart_rows::find(&mut tx.conn(), Owner::Customer(user.id), now.into())
                        .await?
                        .ok_or_else(empty_cart)?;
                cart_rows::lock(&mut tx.conn(), cart_row.id).await?;
                let cart = self
                    .priced(&mut tx.conn(), Some(&cart_row), Some(user))
                    .await?;
                if cart.lines.is_empty() {
                    return Err(empty_cart());
                }
                if let Some(expected) = input.expected_total
                    && expected != cart.totals.total
                {
                    return Err(AppError::refused(
                        "PRICE_CHANGED",
                        None,
                        format!(
                            "The total is now {} (it was {} when you looked); check your cart and order again.",
                            cart.totals.total.format(crate::locale::Locale::En),
                            expected.format(crate::locale::Locale::En)
                        ),
                    ));
                }
                if let Some(warning) = cart.blocked() {
                    return Err(AppError::refused(
                        "CART_NEEDS_ATTENTION",
                        None,
                        warning.message.clone(),
                    ));
                }
                take_stock(tx, &cart, now).await?;
                let totals = cart.totals_with_fee(plan.fee);
                let (recipient_name, phone, address_text) = match (&input.ship_to, &new_address) {
                    (ShipTo::Saved(id), _) => {
                        let address = self
                            .addresses
                            .find_in(tx, user, *id)
                            .await
                            .map_err(|e| e.under("addressId"))?;
                        (
                            address.recipient_name.clone(),
                            address.phone.clone(),
                            address.postal_text(),
                        )
                    }
                    (ShipTo::New { save, address }, Some(checked)) => {
                        // An address book that is full does not stop the order.
                        if *save && self.addresses.has_room_in(tx, user).await? {
                            self.addresses
                                .save_in(tx, user, checked, address.is_default)
                                .await
                                .map_err(|e| e.under("address"))?;
                        }
                        (
                            checked.recipient_name.clone(),
                            checked.phone.clone(),
                            checked.postal_text(),
                        )
                    }
                    (ShipTo::New { .. }, None) => {
                        return Err(AppError::internal(anyhow::anyhow!("an unchecked address")));
                    }
                };
                let year = now.with_timezone(&chrono_tz::Europe::Istanbul).year();
                let sequence = rows::next_number(&mut tx.conn(), year).await?;
                let number = format!("VT-{year}-{sequence:06}");
                let coupon = cart.coupon.as_ref().map(|c| &c.coupon);
                let order = rows::insert(
                    &mut tx.conn(),
                    &OrderRow {
                        id: 0,
                        number: number.clone(),
                        user_id: user.id,
                        idempotency_key: key.clone(),
                        status: plan.initial_status,
                        payment_method: input.payment_method,
                        subtotal: totals.subtotal,
                        discount: totals.discount,
                        shipping: totals.shipping,
                        payment_fee: totals.payment_fee,
                        total: totals.total,
                        vat_included: totals.vat_included,
                        coupon_id: coupon.map(|c| c.id),
                        coupon_code: coupon.map(|c| c.code.clone()),
                        email: user.email.clone(),
                        locale: user.locale.as_db().to_owned(),
                        recipient_name: recipient_name.clone(),
                        phone: phone.clone(),
                        shipping_address: address_text,
                        note: note.clone(),
                        carrier: None,
                        tracking_number: None,
                        search_text: fold(&format!(
                            "{number} {} {} {recipient_name}",
                            user.email, user.name
                        )),
                        created_at: now.into(),
                        updated_at: now.into(),
                    },
                )
                .await?;
                let lines: Vec<OrderLineRow> = cart
                    .lines
                    .iter()
                    .enumerate()
                    .map(|(i, line)| OrderLineRow {
                        id: 0,
                        order_id: order.id,
                        product_id: line.product.id,
                        product_name: line.product.name.clone(),
                        sku: line.product.sku.clone(),
                        unit_price: line.unit_price,
                        quantity: line.quantity,
                        line_total: line.line_total,
                        discount: totals.line_discounts[i],
                        vat_rate: line.product.vat_rate,
                        vat_amount: totals.line_vat[i],
                    })
                    .collect();
                rows::insert_lines(&mut tx.conn(), &lines).await?;
                rows::insert_event(
                    &mut tx.conn(),
                    order.id,
                    order.status,
                    Actor::Customer,
                    None,
                    now.into(),
                )
                .await?;
                if let Some(coupon) = coupon {
                    if !coupon_rows::take_use(&mut tx.conn(), coupon.id, now.into()).await? {
                        return Err(super::coupons::Refusal::UsedUp.error());
                    }
                    coupon_rows::insert_redemption(
                        &mut tx.conn(),
                        coupon.id,
                        user.id,
                        order.id,
                        now.into(),
                    )
                    .await?;
                }
                cart_rows::clear(&mut tx.conn(), cart_row.id, now.into()).await?;
                let placed = Order {
                    order,
                    lines,
                    history: Vec::new(),
                };
                self.mail_received(tx, &placed, &settings).await?;
                self.svc
                    .events
                    .publish_on_commit(tx, crate::catalog::TOPIC)
                    .await?;
                self.svc.events.publish_on_commit(tx, SHOP_TOPIC).await?;
                Ok::<_, AppError>(placed.order.id)
            })
            .await?;
        self.order_by_id(id).await?.ok_or_else(no_such_order)
    }

    /// The customer's order with this number (another's answers NOT_FOUND, as a
    /// missing one).
    pub async fn my_order(&self, user: &User, number: &str) -> AppResult<Option<Order>> {
        let mut pooled = self.svc.db.read().await?;
        let row = rows::find_by_number(&mut pooled.conn(), number.trim(), Some(user.id)).await?;
        Ok(self
            .complete(&mut pooled, row.into_iter().collect())
            .await?
            .pop())
    }

    /// A page of orders (a customer's own, or for administrators any matching), and how
    /// many match. `search` matches a piece of the number, e-mail or name.
    pub async fn orders(
        &self,
        user_id: Option<i64>,
        status: Option<OrderStatus>,
        search: Option<&str>,
        page: Page,
    ) -> AppResult<(Vec<Order>, i64)> {
        let search_pattern = match search.map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(search) if search.chars().count() > 100 => {
                return Err(AppError::invalid(
                    "search",
                    "A search is at most 100 characters long.",
                ));
            }
            Some(search) => Some(format!("%{}%", crate::db::escape_like(&fold(search)))),
        };
        let filter = OrderFilter {
            user_id,
            status,
            search_pattern,
        };
        let mut pooled = self.svc.db.read().await?;
        let found = rows::list(&mut pooled.conn(), &filter, page).await?;
        let total = rows::count(&mut pooled.conn(), &filter).await?;
        Ok((self.complete(&mut pooled, found).await?, total))
    }

    /// The order with this number (administrators).
    pub async fn order_by_number(&self, number: &str) -> AppResult<Option<Order>> {
        let mut pooled = self.svc.db.read().await?;
        let row = rows::find_by_number(&mut pooled.conn(), number.trim(), None).await?;
        Ok(self
            .complete(&mut pooled, row.into_iter().collect())
            .await?
            .pop())
    }

    /// The order with this id (administrators).
    pub async fn order_by_id(&self, id: i64) -> AppResult<Option<Order>> {
        let mut pooled = self.svc.db.read().await?;
        let row = rows::find(&mut pooled.conn(), id, None).await?;
        Ok(self
            .complete(&mut pooled, row.into_iter().collect())
            .await?
            .pop())
    }

    /// Moves an order on, as an administrator: only the allowed moves; shipping needs a
    /// carrier and a tracking number.
    pub async fn update_order_status(&self, id: i64, change: StatusChange) -> AppResult<Order> {
        let note = match change.note.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(note) => Some(clean_text("note", note, 500, true)?),
        };
        let shipment = if change.status == OrderStatus::Shipped {
            let carrier = clean_text(
                "carrier",
                change.carrier.as_deref().unwrap_or(""),
                60,
                false,
            )?;
            let tracking = clean_text(
                "trackingNumber",
                change.tracking_number.as_deref().unwrap_or(""),
                60,
                false,
            )?;
            Some((carrier, tracking))
        } else {
            None
        };
        let current = self.order_by_id(id).await?.ok_or_else(no_such_order)?;
        if !admin_may(current.order.status, change.status) {
            return Err(AppError::refused(
                "TRANSITION_NOT_ALLOWED",
                Some("status"),
                format!(
                    "An order cannot go from {} to {}.",
                    current.order.status.as_db(),
                    change.status.as_db()
                ),
            ));
        }
        self.transition(current, change.status, shipment, Actor::Admin, note)
            .await
    }

    /// Cancels the customer's own order while it is awaiting payment or being prepared.
    pub async fn cancel_my_order(&self, user: &User, number: &str) -> AppResult<Order> {
        let current = self
            .my_order(user, number)
            .await?
            .ok_or_else(no_such_order)?;
        if !customer_may_cancel(current.order.status) {
            return Err(AppError::refused(
                "TRANSITION_NOT_ALLOWED",
                None,
                "This order has shipped already; it can no longer be cancelled.",
            ));
        }
        self.transition(current, OrderStatus::Cancelled, None, Actor::Customer, None)
            .await
    }

    async fn transition(
        &self,
        current: Order,
        to: OrderStatus,
        shipment: Option<(String, String)>,
        actor: Actor,
        note: Option<String>,
    ) -> AppResult<Order> {
        let now = self.svc.clock.now();
        let from = current.order.status;
        let id = current.order.id;
        self.svc
            .db
            .transaction(async |tx| {
                let shipped = shipment.as_ref().map(|(c, t)| (c.as_str(), t.as_str()));
                let order = rows::transition(&mut tx.conn(), id, from, to, shipped, now.into())
                    .await?
                    .ok_or_else(|| {
                        AppError::conflict(
                            "The order changed at the same moment; reload it and try again.",
                        )
                    })?;
                rows::insert_event(&mut tx.conn(), id, to, actor, note.as_deref(), now.into())
                    .await?;
                if to == OrderStatus::Cancelled {
                    // In product order, as checkout takes them: no deadlock between the two.
                    let mut lines: Vec<_> = current.lines.iter().collect();
                    lines.sort_by_key(|l| l.product_id);
                    for line in lines {
                        products::return_stock(
                            &mut tx.conn(),
                            line.product_id,
                            line.quantity,
                            now.into(),
                        )
                        .await?;
                    }
                    coupon_rows::give_back(&mut tx.conn(), id, now.into()).await?;
                    self.svc
                        .events
                        .publish_on_commit(tx, crate::catalog::TOPIC)
                        .await?;
                }
                if to == OrderStatus::Delivered {
                    // Its customer's reviews of these products now carry the badge.
                    self.svc
                        .events
                        .publish_on_commit(tx, crate::reviews::TOPIC)
                        .await?;
                }
                self.mail_status(tx, &order).await?;
                self.svc.events.publish_on_commit(tx, SHOP_TOPIC).await?;
                Ok::<_, AppError>(())
            })
            .await?;
        self.order_by_id(id).await?.ok_or_else(no_such_order)
    }

    async fn order_by_key(&self, user: &User, key: &str) -> AppResult<Option<Order>> {
        let mut pooled = self.svc.db.read().await?;
        let row = rows::find_by_key(&mut pooled.conn(), user.id, key).await?;
        Ok(self
            .complete(&mut pooled, row.into_iter().collect())
            .await?
            .pop())
    }

    /// Adds the lines and history of each order.
    async fn complete(
        &self,
        pooled: &mut crate::db::Pooled,
        found: Vec<OrderRow>,
    ) -> AppResult<Vec<Order>> {
        if found.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<i64> = found.iter().map(|o| o.id).collect();
        let mut lines = rows::lines_of(&mut pooled.conn(), &ids).await?;
        let mut events = rows::events_of(&mut pooled.conn(), &ids).await?;
        Ok(found
            .into_iter()
            .map(|order| {
                let (mine, rest): (Vec<_>, Vec<_>) =
                    lines.drain(..).partition(|l| l.order_id == order.id);
                lines = rest;
                let (history, rest): (Vec<_>, Vec<_>) =
                    events.drain(..).partition(|e| e.order_id == order.id);
                events = rest;
                Order {
                    order,
                    lines: mine,
                    history,
                }
            })
            .collect())
    }

    /// Queues the customer's "received" mail and every administrator's "new order".
    async fn mail_received(
        &self,
        tx: &mut Tx,
        placed: &Order,
        settings: &ShopSettings,
    ) -> AppResult<()> {
        let config = &self.svc.config;
        let link = config.public_link(&placed.path());
        let by_transfer = placed.order.payment_method == PaymentMethod::BankTransfer;
        let accounts: Vec<(&str, &str, String)> = if by_transfer {
            settings
                .bank_accounts
                .iter()
                .map(|a| (a.bank.as_str(), a.holder.as_str(), a.iban_grouped()))
                .collect()
        } else {
            Vec::new()
        };
        let summary = mails::OrderMail {
            number: &placed.order.number,
            link: &link,
            lines: placed
                .lines
                .iter()
                .map(|l| (l.product_name.as_str(), l.quantity, l.line_total))
                .collect(),
            subtotal: placed.order.subtotal,
            discount: placed.order.discount,
            shipping: placed.order.shipping,
            payment_fee: placed.order.payment_fee,
            total: placed.order.total,
            ship_to: format!(
                "{}\n{}\n{}",
                placed.order.recipient_name, placed.order.phone, placed.order.shipping_address
            ),
            bank_accounts: accounts,
            cash_on_delivery: placed.order.payment_method == PaymentMethod::CashOnDelivery,
        };
        let locale = crate::locale::Locale::from_db(&placed.order.locale).unwrap_or_default();
        let site = &config.site_name;
        let customer = mails::order_received(locale, site, &placed.order.email, &summary);
        mail::enqueue(&self.svc.jobs, tx, &customer).await?;
        let dashboard = config.public_link(&format!("/dashboard/orders/{}", placed.order.number));
        for admin in users::admin_emails(&mut tx.conn()).await? {
            let notice = mails::new_order(site, &admin, &placed.order.email, &summary, &dashboard);
            mail::enqueue(&self.svc.jobs, tx, &notice).await?;
        }
        Ok(())
    }

    /// Queues the mail a status change sends the customer, if it sends one.
    async fn mail_status(&self, tx: &mut Tx, order: &OrderRow) -> AppResult<()> {
        let config = &self.svc.config;
        let locale = crate::locale::Locale::from_db(&order.locale).unwrap_or_default();
        let site = &config.site_name;
        let link = config.public_link(&format!("/siparis/{}", order.number));
        let mail = match (order.status, &order.carrier, &order.tracking_number) {
            (OrderStatus::Shipped, Some(carrier), Some(tracking)) => mails::order_shipped(
                locale,
                site,
                &order.email,
                &order.number,
                carrier,
                tracking,
                &tracking_link(carrier, tracking).unwrap_or(link),
            ),
            (OrderStatus::Cancelled, _, _) => mails::order_cancelled(
                locale,
                site,
                &order.email,
                &order.number,
                &link,
                order.payment_method == PaymentMethod::BankTransfer,
            ),
            _ => return Ok(()),
        };
        mail::enqueue(&self.svc.jobs, tx, &mail).await?;
        Ok(())
    }
}

/// Takes each line's quantity from the stock, in product order (so concurrent checkouts
/// lock rows in one order and never deadlock); the first line that cannot be had stops
/// the checkout, and the transaction gives back what was taken.
async fn take_stock(tx: &mut Tx, cart: &Cart, now: DateTime<Utc>) -> AppResult<()> {
    let mut lines: Vec<_> = cart.lines.iter().collect();
    lines.sort_by_key(|l| l.product.id);
    for line in lines {
        let taken =
            products::take_stock(&mut tx.conn(), line.product.id, line.quantity, now.into())
                .await?;
        let Some(product) = taken else {
            return Err(AppError::refused(
                "NOT_ENOUGH_STOCK",
                None,
                format!(
                    "{} sold out while you were checking out; your cart shows what is left.",
                    line.product.name
                ),
            ));
        };
        if crate::catalog::Product::from(product).current_price(now) != line.unit_price {
            return Err(AppError::refused(
                "PRICE_CHANGED",
                None,
                format!(
                    "The price of {} changed just now; check your cart again.",
                    line.product.name
                ),
            ));
        }
    }
    Ok(())
}

/// The carrier's tracking page for a parcel, for the carriers Turkish shops use most.
fn tracking_link(carrier: &str, tracking: &str) -> Option<String> {
    let code: String = url::form_urlencoded::byte_serialize(tracking.as_bytes()).collect();
    let carrier = fold(carrier);
    let template = if carrier.contains("yurtici") {
        "https://www.yurticikargo.com/tr/online-servisler/gonderi-sorgula?code="
    } else if carrier.contains("aras") {
        "https://kargotakip.araskargo.com.tr/mainpage.aspx?code="
    } else if carrier.contains("ptt") {
        "https://gonderitakip.ptt.gov.tr/Track/Verify?q="
    } else {
        return None;
    };
    Some(format!("{template}{code}"))
}

fn empty_cart() -> AppError {
    AppError::refused("CART_EMPTY", None, "Your cart is empty.")
}

/// The error for an order that does not exist or is not the asker's.
pub fn no_such_order() -> AppError {
    AppError::not_found("There is no order with this number.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_allowed_moves_are_allowed() {
        use OrderStatus::*;
        let allowed: Vec<(OrderStatus, OrderStatus)> = OrderStatus::ALL
            .iter()
            .flat_map(|from| OrderStatus::ALL.iter().map(move |to| (*from, *to)))
            .filter(|(from, to)| admin_may(*from, *to))
            .collect();
        assert_eq!(
            allowed,
            vec![
                (AwaitingPayment, Preparing),
                (AwaitingPayment, Cancelled),
                (Preparing, Shipped),
                (Preparing, Cancelled),
                (Shipped, Delivered),
            ]
        );
        assert!(!customer_may_cancel(Shipped));
        assert!(customer_may_cancel(AwaitingPayment));
    }

    #[test]
    fn known_carriers_get_their_tracking_page() {
        assert_eq!(
            tracking_link("Yurtiçi Kargo", "12 34").as_deref(),
            Some("https://www.yurticikargo.com/tr/online-servisler/gonderi-sorgula?code=12+34")
        );
        assert_eq!(tracking_link("Kendi kuryemiz", "1"), None);
    }
}
