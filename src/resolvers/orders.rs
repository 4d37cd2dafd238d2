//! Checkout and orders: a customer's own orders, and administrators moving orders on.

use async_graphql::{Context, Enum, ID, InputObject, Object, Result};
use chrono::{DateTime, Utc};

use crate::db::orders::{OrderEventRow, OrderLineRow};
use crate::error::AppError;
use crate::graphql::context::ContextExt;
use crate::graphql::guards::{AdminOnly, SignedIn};
use crate::graphql::pagination::{Listing, id_cursor, id_page, listing};
use crate::graphql::scalars::{BigInt, parse_id};
use crate::resolvers::addresses::AddressInputGql;
use crate::resolvers::catalog::MoneyGql;
use crate::shop::orders::{
    Checkout, Order, ShipTo, StatusChange, customer_may_cancel, no_such_order,
};
use crate::shop::payment::PaymentMethod;

/// Where an order stands.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "OrderStatus", remote = "crate::shop::orders::OrderStatus")]
pub enum OrderStatusGql {
    /// Waiting for the bank transfer.
    AwaitingPayment,
    /// Paid, or paid on delivery: being packed.
    Preparing,
    /// With the carrier.
    Shipped,
    Delivered,
    /// Cancelled before it shipped (the stock and the coupon's use were given back).
    Cancelled,
}

/// How an order is paid.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "PaymentMethod", remote = "crate::shop::payment::PaymentMethod")]
pub enum PaymentMethodGql {
    /// Havale/EFT to the shop's account before it ships.
    BankTransfer,
    /// To the carrier at the door (a fee may apply).
    CashOnDelivery,
}

/// Who changed an order.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "OrderActor", remote = "crate::db::orders::Actor")]
pub enum ActorGql {
    Customer,
    Admin,
    System,
}

/// An order.
pub struct OrderGql(Order);

#[Object(name = "Order")]
impl OrderGql {
    async fn id(&self) -> ID {
        ID(self.0.order.id.to_string())
    }
    /// "VT-2026-000123": sequential per year.
    async fn number(&self) -> &str {
        &self.0.order.number
    }
    async fn status(&self) -> OrderStatusGql {
        self.0.order.status.into()
    }
    async fn lines(&self) -> Vec<OrderLineGql> {
        self.0.lines.iter().cloned().map(OrderLineGql).collect()
    }
    async fn subtotal(&self) -> MoneyGql {
        MoneyGql(self.0.order.subtotal)
    }
    async fn discount(&self) -> MoneyGql {
        MoneyGql(self.0.order.discount)
    }
    async fn shipping(&self) -> MoneyGql {
        MoneyGql(self.0.order.shipping)
    }
    /// The cash-on-delivery fee, if any.
    async fn payment_fee(&self) -> MoneyGql {
        MoneyGql(self.0.order.payment_fee)
    }
    async fn total(&self) -> MoneyGql {
        MoneyGql(self.0.order.total)
    }
    /// The KDV the total includes.
    async fn vat_included(&self) -> MoneyGql {
        MoneyGql(self.0.order.vat_included)
    }
    async fn payment_method(&self) -> PaymentMethodGql {
        self.0.order.payment_method.into()
    }
    async fn coupon_code(&self) -> Option<&str> {
        self.0.order.coupon_code.as_deref()
    }
    /// The recipient, phone and address as they were at checkout.
    async fn shipping_address(&self) -> OrderAddressGql<'_> {
        OrderAddressGql(&self.0)
    }
    /// The customer's e-mail address at checkout.
    async fn email(&self) -> &str {
        &self.0.order.email
    }
    async fn note(&self) -> Option<&str> {
        self.0.order.note.as_deref()
    }
    async fn carrier(&self) -> Option<&str> {
        self.0.order.carrier.as_deref()
    }
    async fn tracking_number(&self) -> Option<&str> {
        self.0.order.tracking_number.as_deref()
    }
    /// Whether its customer may still cancel it.
    async fn cancellable(&self) -> bool {
        customer_may_cancel(self.0.order.status)
    }
    /// Its page in the storefront.
    async fn url(&self, ctx: &Context<'_>) -> String {
        ctx.app().config().public_link(&self.0.path())
    }
    /// What happened to it, oldest first.
    async fn history(&self) -> Vec<OrderEventGql> {
        self.0.history.iter().cloned().map(OrderEventGql).collect()
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.order.created_at.into()
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.order.updated_at.into()
    }
}

/// Where an order goes, as it was at checkout.
pub struct OrderAddressGql<'a>(&'a Order);

#[Object(name = "OrderAddress")]
impl OrderAddressGql<'_> {
    async fn recipient_name(&self) -> &str {
        &self.0.order.recipient_name
    }
    async fn phone(&self) -> &str {
        &self.0.order.phone
    }
    /// The address lines, district, province, postal code and country, one per line.
    async fn text(&self) -> &str {
        &self.0.order.shipping_address
    }
}

/// A product as it was bought.
pub struct OrderLineGql(OrderLineRow);

#[Object(name = "OrderLine")]
impl OrderLineGql {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn product_id(&self) -> ID {
        ID(self.0.product_id.to_string())
    }
    /// The product's name at checkout.
    async fn product_name(&self) -> &str {
        &self.0.product_name
    }
    async fn sku(&self) -> Option<&str> {
        self.0.sku.as_deref()
    }
    async fn unit_price(&self) -> MoneyGql {
        MoneyGql(self.0.unit_price)
    }
    async fn quantity(&self) -> i32 {
        self.0.quantity
    }
    /// Unit price × quantity.
    async fn line_total(&self) -> MoneyGql {
        MoneyGql(self.0.line_total)
    }
    /// This line's share of the coupon's discount.
    async fn discount(&self) -> MoneyGql {
        MoneyGql(self.0.discount)
    }
    async fn vat_rate(&self) -> i32 {
        self.0.vat_rate
    }
    /// The KDV the line (after its discount) includes.
    async fn vat_amount(&self) -> MoneyGql {
        MoneyGql(self.0.vat_amount)
    }
}

/// A step in an order's history.
pub struct OrderEventGql(OrderEventRow);

#[Object(name = "OrderEvent")]
impl OrderEventGql {
    async fn status(&self) -> OrderStatusGql {
        self.0.status.into()
    }
    async fn actor(&self) -> ActorGql {
        self.0.actor.into()
    }
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at.into()
    }
}

/// What the shopper chose at checkout: a saved address (`addressId`) or a new one
/// (`address`, kept when `saveAddress`).
#[derive(InputObject)]
#[graphql(name = "CheckoutInput")]
pub struct CheckoutInputGql {
    /// The same key always answers with the same order (send one per checkout page;
    /// a double-clicked button makes one order).
    idempotency_key: String,
    address_id: Option<ID>,
    address: Option<AddressInputGql>,
    save_address: Option<bool>,
    payment_method: Option<PaymentMethodGql>,
    /// Up to 500 characters for the shop.
    note: Option<String>,
    /// The cart's `total` (kuruş, before a cash-on-delivery fee) the shopper saw: the
    /// order is refused with PRICE_CHANGED when it is not the total any more.
    expected_total: Option<BigInt>,
}

/// Reading orders.
#[derive(Default)]
pub struct OrdersQuery;

#[Object]
impl OrdersQuery {
    /// The signed-in customer's orders, newest first.
    #[graphql(guard = "SignedIn")]
    async fn my_orders(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Listing<OrderGql>> {
        let app = ctx.app();
        let user = ctx.user()?;
        let page = id_page(first, after.as_deref(), app.config().graphql.max_page_size)?;
        let (orders, total) = app.shop.orders(Some(user.id), None, None, page).await?;
        Ok(listing(
            orders,
            page.limit,
            total,
            |o| id_cursor(o.order.id),
            OrderGql,
        ))
    }

    /// An order by number: the customer's own (another's answers NOT_FOUND, as a
    /// missing one); any order for administrators.
    #[graphql(guard = "SignedIn")]
    async fn order(&self, ctx: &Context<'_>, number: String) -> Result<OrderGql> {
        let app = ctx.app();
        let user = ctx.user()?;
        let found = if ctx.is_admin() {
            app.shop.order_by_number(&number).await?
        } else {
            app.shop.my_order(user, &number).await?
        };
        Ok(OrderGql(found.ok_or_else(no_such_order)?))
    }

    /// Orders, newest first, by status and a piece of the number, e-mail or name
    /// (administrators).
    #[graphql(guard = "AdminOnly")]
    async fn orders(
        &self,
        ctx: &Context<'_>,
        status: Option<OrderStatusGql>,
        search: Option<String>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Listing<OrderGql>> {
        let app = ctx.app();
        let page = id_page(first, after.as_deref(), app.config().graphql.max_page_size)?;
        let (orders, total) = app
            .shop
            .orders(None, status.map(Into::into), search.as_deref(), page)
            .await?;
        Ok(listing(
            orders,
            page.limit,
            total,
            |o| id_cursor(o.order.id),
            OrderGql,
        ))
    }
}

/// Placing and moving orders.
#[derive(Default)]
pub struct OrdersMutation;

#[Object]
impl OrdersMutation {
    /// Places the cart as an order (signed-in customers with a verified e-mail). All
    /// or nothing: a refusal (`extensions.reason`) leaves the cart and the stock as
    /// they were.
    #[graphql(guard = "SignedIn")]
    async fn checkout(&self, ctx: &Context<'_>, input: CheckoutInputGql) -> Result<OrderGql> {
        let user = ctx.user()?;
        let ship_to = match (input.address_id, input.address) {
            (Some(id), None) => ShipTo::Saved(parse_id(&id)?),
            (None, Some(address)) => ShipTo::New {
                address: Box::new(address.into()),
                save: input.save_address.unwrap_or(false),
            },
            _ => {
                return Err(AppError::invalid(
                    "input.addressId",
                    "Choose one of your addresses (addressId) or give a new one (address).",
                )
                .into());
            }
        };
        let payment_method: PaymentMethod = input
            .payment_method
            .ok_or_else(|| AppError::invalid("input.paymentMethod", "Choose how to pay."))?
            .into();
        let checkout = Checkout {
            idempotency_key: input.idempotency_key,
            ship_to,
            payment_method,
            note: input.note,
            expected_total: input
                .expected_total
                .map(|t| crate::money::Money::from_kurus(t.0)),
        };
        let order = ctx
            .app()
            .shop
            .checkout(user, checkout)
            .await
            .map_err(|e| e.under("input"))?;
        Ok(OrderGql(order))
    }

    /// Cancels the customer's own order while it awaits payment or is being prepared.
    #[graphql(guard = "SignedIn")]
    async fn cancel_my_order(&self, ctx: &Context<'_>, number: String) -> Result<OrderGql> {
        let user = ctx.user()?;
        Ok(OrderGql(
            ctx.app().shop.cancel_my_order(user, &number).await?,
        ))
    }

    /// Moves an order on (administrators): AWAITING_PAYMENT → PREPARING → SHIPPED (with
    /// carrier and tracking number) → DELIVERED, or CANCELLED before it ships.
    #[graphql(guard = "AdminOnly")]
    async fn update_order_status(
        &self,
        ctx: &Context<'_>,
        id: ID,
        status: OrderStatusGql,
        tracking_number: Option<String>,
        carrier: Option<String>,
        note: Option<String>,
    ) -> Result<OrderGql> {
        let id = parse_id(&id)?;
        let change = StatusChange {
            status: status.into(),
            carrier,
            tracking_number,
            note,
        };
        Ok(OrderGql(
            ctx.app().shop.update_order_status(id, change).await?,
        ))
    }
}
