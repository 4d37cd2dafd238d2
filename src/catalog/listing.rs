//! Product lists as shoppers and administrators ask for them: filters by what people
//! type (a category's slug, a search), and positions that the next page starts after.

use chrono::{DateTime, Utc};

use super::products::ProductPage;
use super::{Catalog, Product, ProductFilter, ProductOrder, SortKey};
use crate::error::{AppError, AppResult};

/// A product list's filters as asked.
#[derive(Debug, Clone, Default)]
pub struct ProductQuery {
    /// Inactive products too (administrators).
    pub include_inactive: bool,
    /// Only active (shown) or only inactive (hidden) products.
    pub active: Option<bool>,
    /// A category; its subcategories' products are included.
    pub category_slug: Option<String>,
    /// Words found in the name, SKU or description, ignoring case and Turkish letters.
    pub search: Option<String>,
    pub on_sale: Option<bool>,
    pub in_stock: Option<bool>,
    /// Bounds on the price paid now, in kuruş.
    pub price_min: Option<i64>,
    pub price_max: Option<i64>,
    /// Only these products and those filed under these categories (already expanded
    /// to their subcategories): a coupon's reach.
    pub within: Option<(Vec<i64>, Vec<i64>)>,
}

impl Catalog {
    /// A page of products matching `query` in `order`, after a [`position`] of the
    /// same order. An unknown category finds nothing.
    pub async fn list_products(
        &self,
        query: &ProductQuery,
        order: ProductOrder,
        after: Option<&str>,
        limit: i64,
    ) -> AppResult<ProductPage> {
        let after = after.map(|text| parse_position(order, text)).transpose()?;
        let category_ids = match &query.category_slug {
            None => None,
            Some(slug) => Some(self.category_branch(slug).await?.unwrap_or_default()),
        };
        let search_pattern = match query.search.as_deref() {
            Some(search) => Catalog::search_pattern(search).map_err(|e| e.under("filter"))?,
            None => None,
        };
        let filter = ProductFilter {
            include_inactive: query.include_inactive,
            active: query.active,
            category_ids,
            search_pattern,
            on_sale: query.on_sale,
            in_stock: query.in_stock,
            price_min: query.price_min,
            price_max: query.price_max,
            within: query.within.clone(),
        };
        self.products(&filter, order, after, limit).await
    }
}

/// Where `product` stands in a list in `order` at `now`: the next page starts after it.
pub fn position(order: ProductOrder, product: &Product, now: DateTime<Utc>) -> String {
    let key = match product.sort_key(order, now) {
        SortKey::Number(n) => format!("n{n}"),
        SortKey::Text(t) => format!("t{t}"),
    };
    format!("{}|{key}|{}", order_name(order), product.id)
}

fn order_name(order: ProductOrder) -> &'static str {
    match order {
        ProductOrder::Newest => "NEWEST",
        ProductOrder::PriceAsc => "PRICE_ASC",
        ProductOrder::PriceDesc => "PRICE_DESC",
        ProductOrder::Name => "NAME",
        ProductOrder::Discount => "DISCOUNT",
        ProductOrder::Favorites => "FAVORITES",
    }
}

fn parse_position(order: ProductOrder, text: &str) -> AppResult<(SortKey, i64)> {
    let invalid = || {
        AppError::invalid(
            "after",
            "The cursor is not valid for this order; use an endCursor from a page in the same order.",
        )
    };
    let (name, rest) = text.split_once('|').ok_or_else(invalid)?;
    let (key, id) = rest.rsplit_once('|').ok_or_else(invalid)?;
    if name != order_name(order) {
        return Err(invalid());
    }
    let id = id.parse().map_err(|_| invalid())?;
    let key = match key.split_at_checked(1) {
        Some(("n", n)) => SortKey::Number(n.parse().map_err(|_| invalid())?),
        Some(("t", t)) => SortKey::Text(t.to_owned()),
        _ => return Err(invalid()),
    };
    Ok((key, id))
}
