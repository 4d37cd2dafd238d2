//! Coupons: what administrators define, the rules a coupon must meet to be used, and
//! which products it reaches.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::Shop;
use super::pricing::Deal;
use crate::catalog::ProductOrder;
use crate::catalog::listing::ProductQuery;
use crate::catalog::products::ProductPage;
use crate::db::Page;
pub use crate::db::coupons::CouponKind;
use crate::db::coupons::{self as rows, CouponRow, CouponValues};
use crate::error::{AppError, AppResult};
use crate::money::Money;
use crate::text::clean_text;
use crate::time::Timestamp;

/// The most products, and the most categories, one coupon may be limited to.
pub const MAX_SCOPE: usize = 100;

/// A coupon.
#[derive(Debug, Clone)]
pub struct Coupon {
    pub id: i64,
    /// Upper-case.
    pub code: String,
    pub description: String,
    pub kind: CouponKind,
    /// A percent (PERCENT), kuruş (FIXED) or 0 (FREE_SHIPPING).
    pub value: i64,
    pub min_subtotal: Money,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    pub usage_limit: Option<i32>,
    pub per_customer_limit: Option<i32>,
    pub used_count: i32,
    pub public: bool,
    pub active: bool,
    /// Whether it applies only to `product_ids` and `category_ids` (which may have
    /// become empty when those were deleted: then it applies to nothing).
    pub limited: bool,
    /// The products it is limited to.
    pub product_ids: Vec<i64>,
    /// The categories it is limited to (their subcategories included).
    pub category_ids: Vec<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Coupon {
    fn from_row(row: CouponRow, product_ids: Vec<i64>, category_ids: Vec<i64>) -> Self {
        Coupon {
            id: row.id,
            code: row.code,
            description: row.description,
            kind: row.kind,
            value: row.value,
            min_subtotal: row.min_subtotal,
            starts_at: row.starts_at.map(Into::into),
            ends_at: row.ends_at.map(Into::into),
            usage_limit: row.usage_limit,
            per_customer_limit: row.per_customer_limit,
            used_count: row.used_count,
            public: row.public,
            active: row.active,
            limited: row.limited,
            product_ids,
            category_ids,
            created_at: row.created_at.into(),
            updated_at: row.updated_at.into(),
        }
    }

    /// Whether it is limited to some products or categories.
    pub fn is_limited(&self) -> bool {
        self.limited
    }

    /// What it takes off.
    pub fn deal(&self) -> Deal {
        match self.kind {
            CouponKind::Percent => Deal::Percent(self.value),
            CouponKind::Fixed => Deal::Fixed(Money::from_kurus(self.value)),
            CouponKind::FreeShipping => Deal::FreeShipping,
        }
    }

    /// The uses left, when limited.
    pub fn uses_left(&self) -> Option<i32> {
        self.usage_limit
            .map(|limit| (limit - self.used_count).max(0))
    }
}

/// A coupon as an administrator writes it.
#[derive(Debug, Clone)]
pub struct CouponInput {
    pub code: String,
    pub description: String,
    pub kind: CouponKind,
    pub value: i64,
    pub min_subtotal: i64,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    pub usage_limit: Option<i32>,
    pub per_customer_limit: Option<i32>,
    pub product_ids: Vec<i64>,
    pub category_ids: Vec<i64>,
    pub public: bool,
    pub active: bool,
}

/// What `deleteCoupon` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Removal {
    /// Nobody had used it: it is gone.
    Deleted,
    /// Orders used it: it stays for them, switched off.
    Deactivated,
}

/// Why a coupon cannot be used: each says so in words and as `extensions.reason`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    Unknown,
    NotYetValid(DateTime<Utc>),
    Expired,
    MinimumNotReached(Money),
    UsedUp,
    AlreadyUsedByYou,
    NotForTheseProducts,
    CartEmpty,
}

impl Refusal {
    /// The error a shopper sees.
    pub fn error(&self) -> AppError {
        AppError::refused(self.reason(), Some("code"), self.message())
    }

    /// The reason as `extensions.reason` names it.
    pub fn reason(&self) -> &'static str {
        self.parts().0
    }

    /// The reason in words.
    pub fn message(&self) -> String {
        self.parts().1
    }

    fn parts(&self) -> (&'static str, String) {
        match self {
            Refusal::Unknown => (
                "COUPON_UNKNOWN",
                "There is no coupon with this code.".to_owned(),
            ),
            Refusal::NotYetValid(at) => (
                "COUPON_NOT_YET_VALID",
                format!(
                    "This coupon can be used from {} on.",
                    at.format("%Y-%m-%d %H:%M UTC")
                ),
            ),
            Refusal::Expired => ("COUPON_EXPIRED", "This coupon has expired.".to_owned()),
            Refusal::MinimumNotReached(min) => (
                "COUPON_MINIMUM_NOT_REACHED",
                format!(
                    "This coupon needs a cart of at least {}.",
                    min.format(crate::locale::Locale::En)
                ),
            ),
            Refusal::UsedUp => ("COUPON_USED_UP", "This coupon has been used up.".to_owned()),
            Refusal::AlreadyUsedByYou => (
                "COUPON_ALREADY_USED",
                "You have already used this coupon as often as it allows.".to_owned(),
            ),
            Refusal::NotForTheseProducts => (
                "COUPON_NOT_FOR_THESE_PRODUCTS",
                "This coupon is not for the products in your cart.".to_owned(),
            ),
            Refusal::CartEmpty => (
                "CART_EMPTY",
                "Your cart is empty; add products before using a coupon.".to_owned(),
            ),
        }
    }
}

/// What the rules look at besides the coupon.
pub struct Use {
    pub now: DateTime<Utc>,
    pub subtotal: Money,
    pub lines: usize,
    pub eligible_lines: usize,
    /// How often the customer has used it (unknown for guests: checked at checkout).
    pub used_by_customer: Option<i64>,
}

/// Whether `coupon` may be used as `usage` describes.
pub fn check(coupon: &Coupon, usage: &Use) -> Result<(), Refusal> {
    if !coupon.active {
        return Err(Refusal::Unknown);
    }
    if let Some(start) = coupon.starts_at.filter(|start| *start > usage.now) {
        return Err(Refusal::NotYetValid(start));
    }
    if coupon.ends_at.is_some_and(|end| end <= usage.now) {
        return Err(Refusal::Expired);
    }
    if coupon.uses_left() == Some(0) {
        return Err(Refusal::UsedUp);
    }
    if let (Some(limit), Some(used)) = (coupon.per_customer_limit, usage.used_by_customer)
        && used >= i64::from(limit)
    {
        return Err(Refusal::AlreadyUsedByYou);
    }
    if usage.lines == 0 {
        return Err(Refusal::CartEmpty);
    }
    if usage.eligible_lines == 0 {
        return Err(Refusal::NotForTheseProducts);
    }
    if usage.subtotal < coupon.min_subtotal {
        return Err(Refusal::MinimumNotReached(coupon.min_subtotal));
    }
    Ok(())
}

/// A code as typed, in its stored form (codes are case-insensitive ASCII).
pub fn normalize_code(raw: &str) -> Option<String> {
    let code = raw.trim().to_ascii_uppercase();
    let valid = (3..=32).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
    valid.then_some(code)
}

impl Shop {
    /// A page of coupons, newest first, and how many there are, for administrators.
    pub async fn coupons(&self, page: Page) -> AppResult<(Vec<Coupon>, i64)> {
        self.list_coupons(None, page).await
    }

    /// A page of the public coupons usable now ("Kuponlar"), and how many there are.
    pub async fn public_coupons(&self, page: Page) -> AppResult<(Vec<Coupon>, i64)> {
        self.list_coupons(Some(self.svc.clock.now()), page).await
    }

    async fn list_coupons(
        &self,
        public_at: Option<DateTime<Utc>>,
        page: Page,
    ) -> AppResult<(Vec<Coupon>, i64)> {
        let public_at = public_at.map(Timestamp::from);
        let mut pooled = self.svc.db.read().await?;
        let mut conn = pooled.conn();
        let rows = rows::list(&mut conn, public_at, page).await?;
        let total = rows::count(&mut conn, public_at).await?;
        Ok((self.with_scopes(&mut conn, rows).await?, total))
    }

    /// The coupon with this id, for administrators.
    pub async fn coupon(&self, id: i64) -> AppResult<Option<Coupon>> {
        let mut pooled = self.svc.db.read().await?;
        let mut conn = pooled.conn();
        let rows = rows::find(&mut conn, id).await?.into_iter().collect();
        Ok(self.with_scopes(&mut conn, rows).await?.pop())
    }

    /// The active coupon with this code (any case).
    pub async fn coupon_by_code(&self, code: &str) -> AppResult<Option<Coupon>> {
        let Some(code) = normalize_code(code) else {
            return Ok(None);
        };
        let mut pooled = self.svc.db.read().await?;
        let mut conn = pooled.conn();
        let rows = rows::find_by_code(&mut conn, &code)
            .await?
            .filter(|row| row.active)
            .into_iter()
            .collect();
        Ok(self.with_scopes(&mut conn, rows).await?.pop())
    }

    /// A page of the products a public, active coupon applies to ("kuponlu ürünler");
    /// any other code answers NOT_FOUND (a private code is not confirmed to guessers).
    pub async fn coupon_products(
        &self,
        code: &str,
        after: Option<&str>,
        limit: i64,
    ) -> AppResult<ProductPage> {
        let coupon = self
            .coupon_by_code(code)
            .await?
            .filter(|c| c.public)
            .ok_or_else(|| AppError::not_found("There is no coupon with this code."))?;
        let within = if coupon.is_limited() {
            let categories = self.catalog.category_branches(&coupon.category_ids).await?;
            Some((coupon.product_ids.clone(), categories))
        } else {
            None
        };
        let query = ProductQuery {
            within,
            ..ProductQuery::default()
        };
        self.catalog
            .list_products(&query, ProductOrder::Newest, after, limit)
            .await
    }

    /// Creates a coupon.
    pub async fn create_coupon(&self, input: CouponInput) -> AppResult<Coupon> {
        let now = self.svc.clock.now();
        let values = check_input(&input, now)?;
        let id = self
            .svc
            .db
            .transaction(async |tx| {
                if rows::code_taken(&mut tx.conn(), &values.code, None).await? {
                    return Err(taken());
                }
                self.check_scope(tx, &input).await?;
                let row = rows::insert(&mut tx.conn(), &values, now.into())
                    .await
                    .map_err(code_conflict)?;
                rows::set_scope(
                    &mut tx.conn(),
                    row.id,
                    &input.product_ids,
                    &input.category_ids,
                )
                .await?;
                Ok::<_, AppError>(row.id)
            })
            .await?;
        self.coupon(id).await?.ok_or_else(no_such_coupon)
    }

    /// Replaces a coupon's terms (its uses so far stay).
    pub async fn update_coupon(&self, id: i64, input: CouponInput) -> AppResult<Coupon> {
        let now = self.svc.clock.now();
        let values = check_input(&input, now)?;
        self.svc
            .db
            .transaction(async |tx| {
                let current = rows::find(&mut tx.conn(), id)
                    .await?
                    .ok_or_else(no_such_coupon)?;
                if rows::code_taken(&mut tx.conn(), &values.code, Some(id)).await? {
                    return Err(taken());
                }
                if let Some(limit) = values.usage_limit.filter(|l| *l < current.used_count) {
                    return Err(AppError::invalid(
                        "usageLimit",
                        format!(
                            "It has been used {} times already; the limit cannot be {limit}.",
                            current.used_count
                        ),
                    ));
                }
                self.check_scope(tx, &input).await?;
                rows::update(&mut tx.conn(), id, &values)
                    .await
                    .map_err(code_conflict)?
                    .ok_or_else(no_such_coupon)?;
                rows::set_scope(&mut tx.conn(), id, &input.product_ids, &input.category_ids)
                    .await?;
                Ok::<_, AppError>(())
            })
            .await?;
        self.coupon(id).await?.ok_or_else(no_such_coupon)
    }

    /// Deletes a coupon nobody used; a used one is switched off instead, for the orders
    /// that refer to it.
    pub async fn delete_coupon(&self, id: i64) -> AppResult<Removal> {
        let now = self.svc.clock.now();
        self.svc
            .db
            .transaction(async |tx| {
                if rows::delete_unused(&mut tx.conn(), id).await? {
                    return Ok(Removal::Deleted);
                }
                if rows::set_active(&mut tx.conn(), id, false, now.into()).await? {
                    return Ok(Removal::Deactivated);
                }
                Err(no_such_coupon())
            })
            .await
    }

    /// Adds each coupon's products and categories.
    pub(super) async fn with_scopes(
        &self,
        conn: &mut crate::db::Conn<'_>,
        rows: Vec<CouponRow>,
    ) -> AppResult<Vec<Coupon>> {
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let (products, categories) = if ids.is_empty() {
            (Vec::new(), Vec::new())
        } else {
            rows::scopes(conn, &ids).await?
        };
        let mut by_product: HashMap<i64, Vec<i64>> = HashMap::new();
        for (coupon, product) in products {
            by_product.entry(coupon).or_default().push(product);
        }
        let mut by_category: HashMap<i64, Vec<i64>> = HashMap::new();
        for (coupon, category) in categories {
            by_category.entry(coupon).or_default().push(category);
        }
        Ok(rows
            .into_iter()
            .map(|row| {
                let products = by_product.remove(&row.id).unwrap_or_default();
                let categories = by_category.remove(&row.id).unwrap_or_default();
                Coupon::from_row(row, products, categories)
            })
            .collect())
    }

    /// Every product and category named must exist.
    async fn check_scope(&self, tx: &mut crate::db::Tx, input: &CouponInput) -> AppResult<()> {
        let found = crate::db::products::find_many(&mut tx.conn(), &input.product_ids).await?;
        if let Some((i, _)) = input.product_ids.iter().enumerate().find(|(_, id)| {
            !found
                .iter()
                .any(|p| p.id == **id && p.archived_at.is_none())
        }) {
            return Err(AppError::invalid(
                format!("productIds.{i}"),
                "There is no product with this id.",
            ));
        }
        let categories = crate::db::categories::all(&mut tx.conn()).await?;
        if let Some((i, _)) = input
            .category_ids
            .iter()
            .enumerate()
            .find(|(_, id)| !categories.iter().any(|c| c.id == **id))
        {
            return Err(AppError::invalid(
                format!("categoryIds.{i}"),
                "There is no category with this id.",
            ));
        }
        Ok(())
    }
}

/// Checks an administrator's input as a whole.
fn check_input(input: &CouponInput, now: DateTime<Utc>) -> AppResult<CouponValues> {
    let code = normalize_code(&input.code).ok_or_else(|| {
        AppError::invalid(
            "code",
            "A code is 3–32 letters (A–Z), digits, '-' or '_'; case does not matter.",
        )
    })?;
    let description = clean_text("description", &input.description, 200, false)?;
    let value = match input.kind {
        CouponKind::Percent if !(1..=100).contains(&input.value) => {
            return Err(AppError::invalid(
                "value",
                "A percent coupon takes 1 to 100 (%).",
            ));
        }
        CouponKind::Fixed if !(1..=crate::catalog::MAX_PRICE.kurus()).contains(&input.value) => {
            return Err(AppError::invalid(
                "value",
                "A fixed coupon takes an amount in kuruş, from 1 to 1000000000.",
            ));
        }
        CouponKind::FreeShipping => 0,
        _ => input.value,
    };
    if !(0..=crate::catalog::MAX_PRICE.kurus()).contains(&input.min_subtotal) {
        return Err(AppError::invalid(
            "minSubtotal",
            "The minimum is in kuruş, from 0 to 1000000000.",
        ));
    }
    if let (Some(start), Some(end)) = (input.starts_at, input.ends_at)
        && end <= start
    {
        return Err(AppError::invalid(
            "endsAt",
            "A coupon must end after it starts.",
        ));
    }
    if input.usage_limit.is_some_and(|l| l < 1) {
        return Err(AppError::invalid(
            "usageLimit",
            "A usage limit is at least 1 (leave it empty for none).",
        ));
    }
    if input.per_customer_limit.is_some_and(|l| l < 1) {
        return Err(AppError::invalid(
            "perCustomerLimit",
            "A limit per customer is at least 1 (leave it empty for none).",
        ));
    }
    for (field, ids) in [
        ("productIds", &input.product_ids),
        ("categoryIds", &input.category_ids),
    ] {
        if ids.len() > MAX_SCOPE {
            return Err(AppError::invalid(field, format!("At most {MAX_SCOPE}.")));
        }
    }
    Ok(CouponValues {
        code,
        description,
        kind: input.kind,
        value,
        min_subtotal: Money::from_kurus(input.min_subtotal),
        starts_at: input.starts_at.map(Timestamp::from),
        ends_at: input.ends_at.map(Timestamp::from),
        usage_limit: input.usage_limit,
        per_customer_limit: input.per_customer_limit,
        limited: !input.product_ids.is_empty() || !input.category_ids.is_empty(),
        public: input.public,
        active: input.active,
        updated_at: now.into(),
    })
}

/// The error for a coupon that does not exist.
pub fn no_such_coupon() -> AppError {
    AppError::not_found("There is no coupon with this id.")
}

fn taken() -> AppError {
    AppError::invalid("code", "Another coupon has this code.")
}

fn code_conflict(e: diesel::result::Error) -> AppError {
    if crate::db::is_unique_violation(&e) {
        taken()
    } else {
        e.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn coupon() -> Coupon {
        Coupon {
            id: 1,
            code: "HOSGELDIN".into(),
            description: "".into(),
            kind: CouponKind::Percent,
            value: 10,
            min_subtotal: Money::from_kurus(10_000),
            starts_at: None,
            ends_at: None,
            usage_limit: Some(5),
            per_customer_limit: Some(1),
            used_count: 0,
            public: true,
            active: true,
            limited: false,
            product_ids: vec![],
            category_ids: vec![],
            created_at: DateTime::UNIX_EPOCH,
            updated_at: DateTime::UNIX_EPOCH,
        }
    }

    fn usage() -> Use {
        Use {
            now: DateTime::UNIX_EPOCH + chrono::Duration::days(10),
            subtotal: Money::from_kurus(20_000),
            lines: 2,
            eligible_lines: 2,
            used_by_customer: Some(0),
        }
    }

    #[test]
    fn each_rule_refuses_with_its_reason() {
        assert_eq!(check(&coupon(), &usage()), Ok(()));
        type Spoil = fn(&mut Coupon, &mut Use);
        let cases: [(Spoil, &str); 7] = [
            (|c, _| c.active = false, "COUPON_UNKNOWN"),
            (
                |c, _| c.starts_at = Some(DateTime::UNIX_EPOCH + chrono::Duration::days(11)),
                "COUPON_NOT_YET_VALID",
            ),
            (
                |c, _| c.ends_at = Some(DateTime::UNIX_EPOCH + chrono::Duration::days(10)),
                "COUPON_EXPIRED",
            ),
            (|c, _| c.used_count = 5, "COUPON_USED_UP"),
            (|_, u| u.used_by_customer = Some(1), "COUPON_ALREADY_USED"),
            (|_, u| u.eligible_lines = 0, "COUPON_NOT_FOR_THESE_PRODUCTS"),
            (
                |_, u| u.subtotal = Money::from_kurus(9_999),
                "COUPON_MINIMUM_NOT_REACHED",
            ),
        ];
        for (spoil, reason) in cases {
            let (mut c, mut u) = (coupon(), usage());
            spoil(&mut c, &mut u);
            match check(&c, &u).map_err(|r| r.error()) {
                Err(AppError::Refused { reason: got, .. }) => assert_eq!(got, reason),
                other => panic!("{reason}: {other:?}"),
            }
        }
        let mut guest = usage();
        guest.used_by_customer = None;
        assert_eq!(
            check(&coupon(), &guest),
            Ok(()),
            "a guest's own uses are checked at checkout"
        );
    }

    #[test]
    fn codes_are_case_insensitive_ascii() {
        assert_eq!(
            normalize_code(" hosgeldin10 ").as_deref(),
            Some("HOSGELDIN10")
        );
        assert_eq!(normalize_code("İNDİRİM"), None);
        assert_eq!(normalize_code("ab"), None);
    }
}
