//! The shopper's cart: a guest's (an HttpOnly cookie holds its token) or the signed-in
//! customer's, into which a guest's cart merges at the first request after signing in.

use async_graphql::{Context, Enum, ID, Object, Result};

use crate::auth::cookies;
use crate::graphql::context::{CartToken, ContextExt};
use crate::graphql::scalars::parse_id;
use crate::resolvers::catalog::{MoneyGql, ProductGql, products_for};
use crate::resolvers::coupons::CouponGql;
use crate::shop::cart::{self, AppliedCoupon, Cart, CartLine, CartWarning, Holder, WarningKind};

/// A cart with its prices as they are now.
pub struct CartGql(Cart);

#[Object(name = "Cart")]
impl CartGql {
    /// `0` until something was put in it.
    async fn id(&self) -> ID {
        ID(self.0.id.unwrap_or(0).to_string())
    }
    /// Oldest first.
    async fn lines(&self, ctx: &Context<'_>) -> Result<Vec<CartLineGql>> {
        let selection = [ctx.look_ahead().field("product")];
        let products = self.0.lines.iter().map(|l| l.product.clone()).collect();
        let products = products_for(ctx, &selection, products).await?;
        Ok(self
            .0
            .lines
            .iter()
            .cloned()
            .zip(products)
            .map(|(line, product)| CartLineGql(line, product))
            .collect())
    }
    /// The lines' totals at today's prices.
    async fn subtotal(&self) -> MoneyGql {
        MoneyGql(self.0.totals.subtotal)
    }
    /// What the coupon takes off.
    async fn discount(&self) -> MoneyGql {
        MoneyGql(self.0.totals.discount)
    }
    async fn shipping(&self) -> MoneyGql {
        MoneyGql(self.0.totals.shipping)
    }
    /// What the order would cost (a cash-on-delivery fee is added at checkout).
    async fn total(&self) -> MoneyGql {
        MoneyGql(self.0.totals.total)
    }
    /// The KDV the total includes.
    async fn vat_included(&self) -> MoneyGql {
        MoneyGql(self.0.totals.vat_included)
    }
    async fn coupon(&self) -> Option<AppliedCouponGql> {
        self.0.coupon.clone().map(AppliedCouponGql)
    }
    /// How many items (quantities added up).
    async fn item_count(&self) -> i32 {
        self.0.item_count()
    }
    /// What changed since the shopper added things, and what stops checkout.
    async fn warnings(&self) -> Vec<CartWarningGql> {
        self.0
            .warnings
            .iter()
            .cloned()
            .map(CartWarningGql)
            .collect()
    }
    /// Whether checkout can go ahead (no blocking warning, not empty).
    async fn can_check_out(&self) -> bool {
        self.0.can_check_out()
    }
}

/// A product in the cart.
pub struct CartLineGql(CartLine, ProductGql);

#[Object(name = "CartLine")]
impl CartLineGql {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn product(&self) -> &ProductGql {
        &self.1
    }
    async fn quantity(&self) -> i32 {
        self.0.quantity
    }
    /// The product's price now.
    async fn unit_price(&self) -> MoneyGql {
        MoneyGql(self.0.unit_price)
    }
    async fn line_total(&self) -> MoneyGql {
        MoneyGql(self.0.line_total)
    }
}

/// The coupon on a cart.
pub struct AppliedCouponGql(AppliedCoupon);

#[Object(name = "AppliedCoupon")]
impl AppliedCouponGql {
    async fn code(&self) -> &str {
        &self.0.coupon.code
    }
    async fn coupon(&self) -> CouponGql {
        CouponGql::from(self.0.coupon.clone())
    }
    /// What it takes off now.
    async fn discount(&self) -> MoneyGql {
        MoneyGql(self.0.discount)
    }
    /// Whether it applies now (a warning says why not).
    async fn applies(&self) -> bool {
        self.0.refusal.is_none()
    }
}

/// What a warning is about.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "CartWarningKind", remote = "crate::shop::cart::WarningKind")]
pub enum WarningKindGql {
    /// The price is not the one seen when it was added (the cart shows the new one).
    PriceChanged,
    /// None left.
    OutOfStock,
    /// Fewer left than the line asks for.
    NotEnoughStock,
    /// No longer sold.
    Unavailable,
    /// The coupon no longer applies.
    CouponNotApplicable,
}

/// Something the shopper should know before checking out.
pub struct CartWarningGql(CartWarning);

#[Object(name = "CartWarning")]
impl CartWarningGql {
    async fn kind(&self) -> WarningKindGql {
        WarningKind::into(self.0.kind)
    }
    /// The line it is about, if any.
    async fn line_id(&self) -> Option<ID> {
        self.0.line_id.map(|id| ID(id.to_string()))
    }
    async fn message(&self) -> &str {
        &self.0.message
    }
    /// Whether checkout waits until it is fixed.
    async fn blocking(&self) -> bool {
        self.0.blocking
    }
}

/// Whose cart this request means; a signed-in customer's guest cart (from before
/// signing in) is merged first and its cookie cleared.
async fn holder<'c>(ctx: &'c Context<'_>) -> Result<Holder<'c>> {
    let token = ctx.data_opt::<CartToken>().and_then(|t| t.0.as_deref());
    match ctx.user() {
        Ok(user) => {
            if let Some(token) = token {
                ctx.app().shop.merge_guest_cart(user, token).await?;
                ctx.append_http_header("set-cookie", cookies::cart(ctx.app().config(), "", 0));
            }
            Ok(Holder::Customer(user))
        }
        Err(_) => Ok(Holder::Guest(token)),
    }
}

/// Reading the cart.
#[derive(Default)]
pub struct CartQuery;

#[Object]
impl CartQuery {
    /// The shopper's cart (never null: an empty cart when there is none).
    async fn cart(&self, ctx: &Context<'_>) -> Result<CartGql> {
        let holder = holder(ctx).await?;
        Ok(CartGql(ctx.app().shop.cart(holder).await?))
    }
}

/// Changing the cart.
#[derive(Default)]
pub struct CartMutation;

#[Object]
impl CartMutation {
    /// Puts `quantity` more of a product in the cart (at most 20 of one product, and no
    /// more than the stock).
    async fn add_to_cart(
        &self,
        ctx: &Context<'_>,
        product_id: ID,
        quantity: i32,
    ) -> Result<CartGql> {
        let holder = holder(ctx).await?;
        let product_id = parse_id(&product_id)?;
        let client = ctx.request().client_ip;
        let changed = ctx
            .app()
            .shop
            .add_to_cart(holder, client, product_id, quantity)
            .await?;
        if let Some(token) = changed.new_guest_token {
            let max_age = i64::try_from(cart::GUEST_CART_TTL.as_secs()).unwrap_or(i64::MAX);
            ctx.append_http_header(
                "set-cookie",
                cookies::cart(ctx.app().config(), &token, max_age),
            );
        }
        Ok(CartGql(changed.cart))
    }

    /// Sets a line's quantity; 0 removes it.
    async fn update_cart_line(
        &self,
        ctx: &Context<'_>,
        line_id: ID,
        quantity: i32,
    ) -> Result<CartGql> {
        let holder = holder(ctx).await?;
        let line_id = parse_id(&line_id)?;
        Ok(CartGql(
            ctx.app()
                .shop
                .update_cart_line(holder, line_id, quantity)
                .await?,
        ))
    }

    /// Removes a line.
    async fn remove_cart_line(&self, ctx: &Context<'_>, line_id: ID) -> Result<CartGql> {
        let holder = holder(ctx).await?;
        let line_id = parse_id(&line_id)?;
        Ok(CartGql(
            ctx.app().shop.remove_cart_line(holder, line_id).await?,
        ))
    }

    /// Empties the cart.
    async fn clear_cart(&self, ctx: &Context<'_>) -> Result<CartGql> {
        let holder = holder(ctx).await?;
        Ok(CartGql(ctx.app().shop.clear_cart(holder).await?))
    }

    /// Puts a coupon on the cart (one per order; codes ignore case). A refusal says why
    /// in `extensions.reason`.
    async fn apply_coupon(&self, ctx: &Context<'_>, code: String) -> Result<CartGql> {
        let holder = holder(ctx).await?;
        let client = ctx.request().client_ip;
        Ok(CartGql(
            ctx.app().shop.apply_coupon(holder, client, &code).await?,
        ))
    }

    /// Takes the coupon off the cart.
    async fn remove_coupon(&self, ctx: &Context<'_>) -> Result<CartGql> {
        let holder = holder(ctx).await?;
        Ok(CartGql(ctx.app().shop.remove_coupon(holder).await?))
    }
}
