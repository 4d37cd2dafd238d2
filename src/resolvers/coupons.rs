//! Coupons: administrators define them; shoppers see the public ones ("Kuponlar") and
//! the products a coupon applies to ("kuponlu ürünler").

use async_graphql::{Context, Enum, ID, InputObject, Object, Result};
use chrono::{DateTime, Utc};

use crate::graphql::context::ContextExt;
use crate::graphql::guards::AdminOnly;
use crate::graphql::pagination::{Listing, decode_cursor, id_cursor, id_page, listing, page_size};
use crate::graphql::scalars::{BigInt, parse_id};
use crate::resolvers::catalog::{MoneyGql, ProductGql, product_listing};
use crate::shop::coupons::{Coupon, CouponInput, CouponKind, Removal};

/// What a coupon takes off.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "CouponKind", remote = "crate::shop::coupons::CouponKind")]
pub enum CouponKindGql {
    /// A percentage (`value`, 1–100) of the lines it applies to.
    Percent,
    /// An amount (`value` in kuruş), at most the lines it applies to.
    Fixed,
    /// The shipping fee.
    FreeShipping,
}

/// What `deleteCoupon` did.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "CouponRemoval", remote = "crate::shop::coupons::Removal")]
pub enum RemovalGql {
    /// Nobody had used it: it is gone.
    Deleted,
    /// Orders used it: it stays for them, switched off.
    Deactivated,
}

/// A coupon and its conditions.
pub struct CouponGql(Coupon);

impl From<Coupon> for CouponGql {
    fn from(coupon: Coupon) -> Self {
        CouponGql(coupon)
    }
}

#[Object(name = "Coupon")]
impl CouponGql {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// Upper-case; shoppers may type it in any case.
    async fn code(&self) -> &str {
        &self.0.code
    }
    async fn description(&self) -> &str {
        &self.0.description
    }
    async fn kind(&self) -> CouponKindGql {
        CouponKind::into(self.0.kind)
    }
    /// A percent (PERCENT), kuruş (FIXED) or 0 (FREE_SHIPPING).
    async fn value(&self) -> BigInt {
        BigInt(self.0.value)
    }
    /// The smallest cart it works for.
    async fn min_subtotal(&self) -> MoneyGql {
        MoneyGql(self.0.min_subtotal)
    }
    async fn starts_at(&self) -> Option<DateTime<Utc>> {
        self.0.starts_at
    }
    async fn ends_at(&self) -> Option<DateTime<Utc>> {
        self.0.ends_at
    }
    /// Uses in all; null: unlimited.
    async fn usage_limit(&self) -> Option<i32> {
        self.0.usage_limit
    }
    /// Uses per customer; null: unlimited.
    async fn per_customer_limit(&self) -> Option<i32> {
        self.0.per_customer_limit
    }
    /// Orders that used it (cancelled ones give their use back).
    async fn used_count(&self) -> i32 {
        self.0.used_count
    }
    /// Whether it applies to some products or categories only.
    async fn limited(&self) -> bool {
        self.0.is_limited()
    }
    /// The products it is limited to (administrators).
    #[graphql(guard = "AdminOnly")]
    async fn product_ids(&self) -> Vec<ID> {
        self.0
            .product_ids
            .iter()
            .map(|id| ID(id.to_string()))
            .collect()
    }
    /// The categories it is limited to, with their subcategories (administrators).
    #[graphql(guard = "AdminOnly")]
    async fn category_ids(&self) -> Vec<ID> {
        self.0
            .category_ids
            .iter()
            .map(|id| ID(id.to_string()))
            .collect()
    }
    /// Whether it is listed on the coupons page.
    async fn public(&self) -> bool {
        self.0.public
    }
    async fn active(&self) -> bool {
        self.0.active
    }
    /// Its page of products in the storefront.
    async fn url(&self, ctx: &Context<'_>) -> String {
        ctx.app()
            .config()
            .public_link(&format!("/kupon/{}", self.0.code))
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// A coupon as an administrator writes it.
#[derive(InputObject)]
#[graphql(name = "CouponInput")]
pub struct CouponInputGql {
    /// 3–32 letters, digits, '-' or '_' (stored upper-case).
    code: String,
    description: String,
    kind: CouponKindGql,
    /// A percent for PERCENT, kuruş for FIXED; ignored for FREE_SHIPPING.
    value: Option<BigInt>,
    /// In kuruş.
    min_subtotal: Option<BigInt>,
    starts_at: Option<DateTime<Utc>>,
    ends_at: Option<DateTime<Utc>>,
    usage_limit: Option<i32>,
    per_customer_limit: Option<i32>,
    /// Limit it to these products (with `categoryIds`; none: every product).
    product_ids: Option<Vec<ID>>,
    /// Limit it to these categories and their subcategories.
    category_ids: Option<Vec<ID>>,
    /// Listed on the coupons page.
    public: Option<bool>,
    /// Usable (defaults to true).
    active: Option<bool>,
}

impl CouponInputGql {
    fn parse(self) -> Result<CouponInput> {
        let ids = |ids: Option<Vec<ID>>, field: &str| -> Result<Vec<i64>> {
            ids.unwrap_or_default()
                .iter()
                .enumerate()
                .map(|(i, id)| {
                    parse_id(id).map_err(|_| {
                        crate::error::AppError::invalid(format!("input.{field}.{i}"), "Not an id.")
                            .into()
                    })
                })
                .collect()
        };
        Ok(CouponInput {
            product_ids: ids(self.product_ids, "productIds")?,
            category_ids: ids(self.category_ids, "categoryIds")?,
            code: self.code,
            description: self.description,
            kind: self.kind.into(),
            value: self.value.map_or(0, |v| v.0),
            min_subtotal: self.min_subtotal.map_or(0, |v| v.0),
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            usage_limit: self.usage_limit,
            per_customer_limit: self.per_customer_limit,
            public: self.public.unwrap_or(false),
            active: self.active.unwrap_or(true),
        })
    }
}

/// Reading coupons.
#[derive(Default)]
pub struct CouponsQuery;

#[Object]
impl CouponsQuery {
    /// Every coupon, newest first, with its uses (administrators).
    #[graphql(guard = "AdminOnly")]
    async fn coupons(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Listing<CouponGql>> {
        let app = ctx.app();
        let page = id_page(first, after.as_deref(), app.config().graphql.max_page_size)?;
        let (coupons, total) = app.shop.coupons(page).await?;
        Ok(listing(
            coupons,
            page.limit,
            total,
            |c| id_cursor(c.id),
            CouponGql,
        ))
    }

    /// One coupon (administrators).
    #[graphql(guard = "AdminOnly")]
    async fn coupon(&self, ctx: &Context<'_>, id: ID) -> Result<Option<CouponGql>> {
        let id = parse_id(&id)?;
        Ok(ctx.app().shop.coupon(id).await?.map(CouponGql))
    }

    /// The public coupons usable now, with their conditions ("Kuponlar").
    async fn public_coupons(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Listing<CouponGql>> {
        let app = ctx.app();
        let page = id_page(first, after.as_deref(), app.config().graphql.max_page_size)?;
        let (coupons, total) = app.shop.public_coupons(page).await?;
        Ok(listing(
            coupons,
            page.limit,
            total,
            |c| id_cursor(c.id),
            CouponGql,
        ))
    }

    /// The products a public, active coupon applies to, newest first ("kuponlu
    /// ürünler"); any other code answers NOT_FOUND.
    #[graphql(complexity = "first.unwrap_or(20).max(1) as usize * child_complexity")]
    async fn coupon_products(
        &self,
        ctx: &Context<'_>,
        code: String,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Listing<ProductGql>> {
        let app = ctx.app();
        let limit = page_size(first, app.config().graphql.max_page_size)?;
        let after = after.map(|c| decode_cursor(&c)).transpose()?;
        let page = app
            .shop
            .coupon_products(&code, after.as_deref(), limit)
            .await?;
        product_listing(ctx, page, crate::catalog::ProductOrder::Newest).await
    }
}

/// Administrators' changes to coupons.
#[derive(Default)]
pub struct CouponsMutation;

#[Object]
impl CouponsMutation {
    /// Creates a coupon.
    #[graphql(guard = "AdminOnly")]
    async fn create_coupon(&self, ctx: &Context<'_>, input: CouponInputGql) -> Result<CouponGql> {
        let input = input.parse()?;
        let coupon = ctx
            .app()
            .shop
            .create_coupon(input)
            .await
            .map_err(|e| e.under("input"))?;
        Ok(CouponGql(coupon))
    }

    /// Replaces a coupon's terms (its uses so far stay).
    #[graphql(guard = "AdminOnly")]
    async fn update_coupon(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: CouponInputGql,
    ) -> Result<CouponGql> {
        let id = parse_id(&id)?;
        let input = input.parse()?;
        let coupon = ctx
            .app()
            .shop
            .update_coupon(id, input)
            .await
            .map_err(|e| e.under("input"))?;
        Ok(CouponGql(coupon))
    }

    /// Deletes a coupon nobody used; a used one is switched off instead.
    #[graphql(guard = "AdminOnly")]
    async fn delete_coupon(&self, ctx: &Context<'_>, id: ID) -> Result<RemovalGql> {
        let id = parse_id(&id)?;
        let removal: Removal = ctx.app().shop.delete_coupon(id).await?;
        Ok(removal.into())
    }
}
