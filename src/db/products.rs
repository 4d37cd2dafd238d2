//! Queries on `products` and the rows that belong to a product: its old slugs
//! (`product_slugs`) and its categories (`product_categories`).

use diesel::dsl::{case_when, count_star, exists};
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use diesel_async::RunQueryDsl;

use super::categories::CategoryRow;
use super::schema::{categories, product_categories, product_slugs, products};
use super::{Conn, with_conn};
use crate::money::Money;
use crate::time::Timestamp;

/// A row of `products`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = products)]
pub struct ProductRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub sort_name: String,
    pub description: String,
    pub description_html: String,
    pub search_text: String,
    pub sku: Option<String>,
    pub price: Money,
    pub sale_price: Option<Money>,
    pub sale_starts_at: Option<Timestamp>,
    pub sale_ends_at: Option<Timestamp>,
    pub vat_rate: i32,
    pub stock: i32,
    pub active: bool,
    pub external_url: Option<String>,
    pub seo_title: Option<String>,
    pub seo_description: Option<String>,
    pub archived_at: Option<Timestamp>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub favorite_count: i64,
}

/// Every column a product's owner writes (the whole row on insert and on update).
#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = products, treat_none_as_null = true)]
pub struct ProductValues {
    pub slug: String,
    pub name: String,
    pub sort_name: String,
    pub description: String,
    pub description_html: String,
    pub search_text: String,
    pub sku: Option<String>,
    pub price: Money,
    pub sale_price: Option<Money>,
    pub sale_starts_at: Option<Timestamp>,
    pub sale_ends_at: Option<Timestamp>,
    pub vat_rate: i32,
    pub stock: i32,
    pub active: bool,
    pub external_url: Option<String>,
    pub seo_title: Option<String>,
    pub seo_description: Option<String>,
    pub updated_at: Timestamp,
}

/// The order of a product list; ties are broken by id so that pages never overlap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProductOrder {
    /// Newest first.
    Newest,
    /// Cheapest first, by the price at the moment of the query.
    PriceAsc,
    /// Dearest first, by the price at the moment of the query.
    PriceDesc,
    /// By name (folded, so "Çanta" sorts with "canta").
    Name,
    /// The largest discount first.
    Discount,
    /// The most favourited first.
    Favorites,
}

/// The sort key of the last row of a page: the next page starts after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SortKey {
    Number(i64),
    Text(String),
}

/// Which products a list holds.
#[derive(Debug, Clone, Default)]
pub struct ProductFilter {
    /// Inactive products too (administrators).
    pub include_inactive: bool,
    /// Only active (shown) or only inactive (hidden) products.
    pub active: Option<bool>,
    /// Only products filed under one of these categories.
    pub category_ids: Option<Vec<i64>>,
    /// Only these products and those filed under these categories (a coupon's reach).
    pub within: Option<(Vec<i64>, Vec<i64>)>,
    /// A LIKE pattern on the folded search text.
    pub search_pattern: Option<String>,
    pub on_sale: Option<bool>,
    pub in_stock: Option<bool>,
    /// Bounds on the current price, in kuruş.
    pub price_min: Option<i64>,
    pub price_max: Option<i64>,
}

/// Whether the sale price applies at `$now` (a `Timestamp`).
macro_rules! sale_applies {
    ($now:expr) => {
        products::sale_price
            .is_not_null()
            .and(
                products::sale_starts_at
                    .is_null()
                    .or(products::sale_starts_at.le($now)),
            )
            .and(
                products::sale_ends_at
                    .is_null()
                    .or(products::sale_ends_at.gt($now)),
            )
    };
}

/// The price a shopper pays at `$now`, in kuruş.
macro_rules! current_price {
    ($now:expr) => {
        case_when(sale_applies!($now), products::sale_price.assume_not_null())
            .otherwise(products::price)
    };
}

/// The discount at `$now` in hundredths of a percent (0 when there is none).
macro_rules! discount {
    ($now:expr) => {
        case_when(
            sale_applies!($now),
            (products::price - products::sale_price.assume_not_null()) * 10_000_i64
                / products::price,
        )
        .otherwise(0_i64.into_sql::<BigInt>())
    };
}

/// Applies a [`ProductFilter`] to a boxed query on `products`.
macro_rules! filtered {
    ($query:expr, $filter:expr, $now:expr) => {{
        let filter: &ProductFilter = $filter;
        let now: Timestamp = $now;
        let mut query = $query.filter(products::archived_at.is_null());
        if !filter.include_inactive {
            query = query.filter(products::active.eq(true));
        }
        if let Some(active) = filter.active {
            query = query.filter(products::active.eq(active));
        }
        if let Some(ids) = &filter.category_ids {
            query = query.filter(
                products::id.eq_any(
                    product_categories::table
                        .filter(product_categories::category_id.eq_any(ids.clone()))
                        .select(product_categories::product_id),
                ),
            );
        }
        if let Some((ids, category_ids)) = &filter.within {
            query = query.filter(
                products::id.eq_any(ids.clone()).or(products::id.eq_any(
                    product_categories::table
                        .filter(product_categories::category_id.eq_any(category_ids.clone()))
                        .select(product_categories::product_id),
                )),
            );
        }
        if let Some(pattern) = &filter.search_pattern {
            query = query.filter(products::search_text.like(pattern.clone()).escape('\\'));
        }
        match filter.on_sale {
            Some(true) => query = query.filter(sale_applies!(now).assume_not_null()),
            Some(false) => {
                query = query.filter(diesel::dsl::not(sale_applies!(now).assume_not_null()))
            }
            None => {}
        }
        match filter.in_stock {
            Some(true) => query = query.filter(products::stock.gt(0)),
            Some(false) => query = query.filter(products::stock.eq(0)),
            None => {}
        }
        if let Some(min) = filter.price_min {
            query = query.filter(current_price!(now).ge(min));
        }
        if let Some(max) = filter.price_max {
            query = query.filter(current_price!(now).le(max));
        }
        query
    }};
}

/// A page of products in `order` after `after` (the sort key and id of the previous
/// page's last row), fetching `limit` rows.
pub async fn list(
    conn: &mut Conn<'_>,
    filter: &ProductFilter,
    order: ProductOrder,
    after: Option<(SortKey, i64)>,
    limit: i64,
    now: Timestamp,
) -> QueryResult<Vec<ProductRow>> {
    with_conn!(conn, |c| {
        let mut query = filtered!(
            products::table.select(ProductRow::as_select()).into_boxed(),
            filter,
            now
        );
        query = match (order, after) {
            (ProductOrder::Newest, None) => query.order(products::id.desc()),
            (ProductOrder::Newest, Some((_, id))) => {
                query.filter(products::id.lt(id)).order(products::id.desc())
            }
            (ProductOrder::Name, after) => {
                if let Some((SortKey::Text(name), id)) = after {
                    query = query.filter(
                        products::sort_name
                            .gt(name.clone())
                            .or(products::sort_name.eq(name).and(products::id.gt(id))),
                    );
                }
                query.order((products::sort_name.asc(), products::id.asc()))
            }
            (ProductOrder::PriceAsc, after) => {
                if let Some((SortKey::Number(k), id)) = after {
                    query = query.filter(
                        current_price!(now)
                            .gt(k)
                            .or(current_price!(now).eq(k).and(products::id.gt(id))),
                    );
                }
                query.order((current_price!(now).asc(), products::id.asc()))
            }
            (ProductOrder::PriceDesc, after) => {
                if let Some((SortKey::Number(k), id)) = after {
                    query = query.filter(
                        current_price!(now)
                            .lt(k)
                            .or(current_price!(now).eq(k).and(products::id.lt(id))),
                    );
                }
                query.order((current_price!(now).desc(), products::id.desc()))
            }
            (ProductOrder::Discount, after) => {
                if let Some((SortKey::Number(k), id)) = after {
                    query = query.filter(
                        discount!(now)
                            .lt(k)
                            .or(discount!(now).eq(k).and(products::id.lt(id))),
                    );
                }
                query.order((discount!(now).desc(), products::id.desc()))
            }
            (ProductOrder::Favorites, after) => {
                if let Some((SortKey::Number(k), id)) = after {
                    query = query.filter(
                        products::favorite_count
                            .lt(k)
                            .or(products::favorite_count.eq(k).and(products::id.lt(id))),
                    );
                }
                query.order((products::favorite_count.desc(), products::id.desc()))
            }
        };
        query.limit(limit).load(c).await
    })
}

/// How many products a filter holds.
pub async fn count(
    conn: &mut Conn<'_>,
    filter: &ProductFilter,
    now: Timestamp,
) -> QueryResult<i64> {
    with_conn!(conn, |c| filtered!(
        products::table.select(count_star()).into_boxed(),
        filter,
        now
    )
    .first(c)
    .await)
}

/// The product with this id (archived ones too).
pub async fn find(conn: &mut Conn<'_>, id: i64) -> QueryResult<Option<ProductRow>> {
    with_conn!(conn, |c| products::table
        .find(id)
        .select(ProductRow::as_select())
        .first(c)
        .await
        .optional())
}

/// The product with this id, locked until the transaction ends (PostgreSQL; SQLite's
/// single writer already excludes other writers).
pub async fn find_for_update(conn: &mut Conn<'_>, id: i64) -> QueryResult<Option<ProductRow>> {
    match conn {
        Conn::Sqlite(c) => products::table
            .find(id)
            .select(ProductRow::as_select())
            .first(&mut **c)
            .await
            .optional(),
        Conn::Pg(c) => products::table
            .find(id)
            .select(ProductRow::as_select())
            .for_update()
            .first(&mut **c)
            .await
            .optional(),
    }
}

/// Takes `quantity` from the stock of an active, unarchived product, in one conditional
/// statement (never below zero, whatever runs at the same time); the product as it is
/// now, or `None` when it is not for sale or has too few.
pub async fn take_stock(
    conn: &mut Conn<'_>,
    id: i64,
    quantity: i32,
    now: Timestamp,
) -> QueryResult<Option<ProductRow>> {
    with_conn!(conn, |c| diesel::update(
        products::table
            .find(id)
            .filter(products::active.eq(true))
            .filter(products::archived_at.is_null())
            .filter(products::stock.ge(quantity))
    )
    .set((
        products::stock.eq(products::stock - quantity),
        products::updated_at.eq(now)
    ))
    .returning(ProductRow::as_returning())
    .get_result(c)
    .await
    .optional())
}

/// Puts `quantity` back into a product's stock (a cancelled order's).
pub async fn return_stock(
    conn: &mut Conn<'_>,
    id: i64,
    quantity: i32,
    now: Timestamp,
) -> QueryResult<()> {
    with_conn!(conn, |c| diesel::update(products::table.find(id))
        .set((
            products::stock.eq(products::stock + quantity),
            products::updated_at.eq(now)
        ))
        .execute(c)
        .await)?;
    Ok(())
}

/// Archives a product that orders refer to: it leaves the shop but its row stays.
pub async fn archive(conn: &mut Conn<'_>, id: i64, now: Timestamp) -> QueryResult<bool> {
    with_conn!(conn, |c| diesel::update(
        products::table
            .find(id)
            .filter(products::archived_at.is_null())
    )
    .set((
        products::archived_at.eq(Some(now)),
        products::active.eq(false),
        products::updated_at.eq(now)
    ))
    .execute(c)
    .await
    .map(|n| n > 0))
}

/// Products by id (any state), for loaders and carts.
pub async fn find_many(conn: &mut Conn<'_>, ids: &[i64]) -> QueryResult<Vec<ProductRow>> {
    with_conn!(conn, |c| products::table
        .filter(products::id.eq_any(ids))
        .select(ProductRow::as_select())
        .load(c)
        .await)
}

/// The product whose current slug is `slug`.
pub async fn find_by_slug(conn: &mut Conn<'_>, slug: &str) -> QueryResult<Option<ProductRow>> {
    with_conn!(conn, |c| products::table
        .filter(products::slug.eq(slug))
        .select(ProductRow::as_select())
        .first(c)
        .await
        .optional())
}

/// The slugs and last changes of the listed products (active, not archived), oldest
/// first, at most `limit`.
pub async fn listed_slugs(
    conn: &mut Conn<'_>,
    limit: i64,
) -> QueryResult<Vec<(String, Timestamp)>> {
    with_conn!(conn, |c| products::table
        .filter(
            products::active
                .eq(true)
                .and(products::archived_at.is_null())
        )
        .order(products::id.asc())
        .limit(limit)
        .select((products::slug, products::updated_at))
        .load(c)
        .await)
}

/// The earliest sale start or end after `now` among the listed products with a sale
/// price: when lists ordered or filtered by the price paid now change by themselves.
pub async fn next_sale_boundary(
    conn: &mut Conn<'_>,
    now: Timestamp,
) -> QueryResult<Option<Timestamp>> {
    let (starts, ends): (Option<Timestamp>, Option<Timestamp>) =
        with_conn!(conn, |c| products::table
            .filter(
                products::active
                    .eq(true)
                    .and(products::archived_at.is_null())
            )
            .filter(products::sale_price.is_not_null())
            .select((
                diesel::dsl::min(case_when(
                    products::sale_starts_at.gt(now),
                    products::sale_starts_at,
                )),
                diesel::dsl::min(case_when(
                    products::sale_ends_at.gt(now),
                    products::sale_ends_at,
                )),
            ))
            .first(c)
            .await)?;
    Ok(starts.into_iter().chain(ends).min())
}

/// The product that answered to `slug` before a rename.
pub async fn find_by_old_slug(conn: &mut Conn<'_>, slug: &str) -> QueryResult<Option<ProductRow>> {
    with_conn!(conn, |c| product_slugs::table
        .inner_join(products::table)
        .filter(product_slugs::slug.eq(slug))
        .select(ProductRow::as_select())
        .first(c)
        .await
        .optional())
}

/// Whether a slug is some other product's current slug.
pub async fn slug_taken(conn: &mut Conn<'_>, slug: &str, except: Option<i64>) -> QueryResult<bool> {
    with_conn!(conn, |c| {
        let mut query = products::table
            .filter(products::slug.eq(slug))
            .select(products::id)
            .into_boxed();
        if let Some(id) = except {
            query = query.filter(products::id.ne(id));
        }
        diesel::select(exists(query)).get_result(c).await
    })
}

/// Slugs, current or old, that start with `prefix` (to find a free `-2`, `-3` suffix).
pub async fn slugs_like(conn: &mut Conn<'_>, prefix: &str) -> QueryResult<Vec<String>> {
    let pattern = format!("{}%", super::escape_like(prefix));
    with_conn!(conn, |c| {
        let mut slugs: Vec<String> = products::table
            .filter(products::slug.like(pattern.clone()).escape('\\'))
            .select(products::slug)
            .load(c)
            .await?;
        slugs.extend(
            product_slugs::table
                .filter(product_slugs::slug.like(pattern).escape('\\'))
                .select(product_slugs::slug)
                .load::<String>(c)
                .await?,
        );
        Ok(slugs)
    })
}

/// Holds the choice of new slugs until the transaction ends, so that two products
/// named alike at the same moment get `x` and `x-2` (PostgreSQL; SQLite has one writer).
pub async fn lock_slugs(conn: &mut Conn<'_>) -> QueryResult<()> {
    if let Conn::Pg(c) = conn {
        diesel::sql_query("SELECT pg_advisory_xact_lock(hashtext('products.slug'))")
            .execute(&mut **c)
            .await?;
    }
    Ok(())
}

/// Whether a SKU is some other product's.
pub async fn sku_taken(conn: &mut Conn<'_>, sku: &str, except: Option<i64>) -> QueryResult<bool> {
    with_conn!(conn, |c| {
        let mut query = products::table
            .filter(products::sku.eq(sku))
            .select(products::id)
            .into_boxed();
        if let Some(id) = except {
            query = query.filter(products::id.ne(id));
        }
        diesel::select(exists(query)).get_result(c).await
    })
}

/// Stores a product.
pub async fn insert(
    conn: &mut Conn<'_>,
    values: &ProductValues,
    created_at: Timestamp,
) -> QueryResult<ProductRow> {
    with_conn!(conn, |c| diesel::insert_into(products::table)
        .values((values, products::created_at.eq(created_at)))
        .returning(ProductRow::as_returning())
        .get_result(c)
        .await)
}

/// Writes every owner-set column of a product.
pub async fn update(
    conn: &mut Conn<'_>,
    id: i64,
    values: &ProductValues,
) -> QueryResult<ProductRow> {
    with_conn!(conn, |c| diesel::update(products::table.find(id))
        .set(values)
        .returning(ProductRow::as_returning())
        .get_result(c)
        .await)
}

/// Marks a product changed (and, on PostgreSQL, locks its row until the transaction ends).
pub async fn touch(conn: &mut Conn<'_>, id: i64, now: Timestamp) -> QueryResult<bool> {
    with_conn!(conn, |c| diesel::update(
        products::table
            .find(id)
            .filter(products::archived_at.is_null())
    )
    .set(products::updated_at.eq(now))
    .execute(c)
    .await)
    .map(|n| n > 0)
}

/// Deletes a product with its media, categories and old slugs.
pub async fn delete(conn: &mut Conn<'_>, id: i64) -> QueryResult<bool> {
    with_conn!(conn, |c| diesel::delete(products::table.find(id))
        .execute(c)
        .await)
    .map(|n| n > 0)
}

/// Remembers that `slug` was the product's slug (or moves an old slug to it).
pub async fn remember_old_slug(
    conn: &mut Conn<'_>,
    slug: &str,
    product_id: i64,
    now: Timestamp,
) -> QueryResult<()> {
    with_conn!(conn, |c| diesel::insert_into(product_slugs::table)
        .values((
            product_slugs::slug.eq(slug),
            product_slugs::product_id.eq(product_id),
            product_slugs::created_at.eq(now),
        ))
        .on_conflict(product_slugs::slug)
        .do_update()
        .set((
            product_slugs::product_id.eq(product_id),
            product_slugs::created_at.eq(now),
        ))
        .execute(c)
        .await)?;
    Ok(())
}

/// Forgets an old slug (it has become a product's current slug again).
pub async fn forget_old_slug(conn: &mut Conn<'_>, slug: &str) -> QueryResult<()> {
    with_conn!(conn, |c| diesel::delete(
        product_slugs::table.filter(product_slugs::slug.eq(slug))
    )
    .execute(c)
    .await)?;
    Ok(())
}

/// Files a product under exactly these categories.
pub async fn set_categories(
    conn: &mut Conn<'_>,
    product_id: i64,
    category_ids: &[i64],
) -> QueryResult<()> {
    with_conn!(conn, |c| {
        diesel::delete(
            product_categories::table.filter(product_categories::product_id.eq(product_id)),
        )
        .execute(c)
        .await?;
        // Row by row: SQLite's batch insert is not available through diesel-async.
        for &category_id in category_ids {
            diesel::insert_into(product_categories::table)
                .values((
                    product_categories::product_id.eq(product_id),
                    product_categories::category_id.eq(category_id),
                ))
                .execute(c)
                .await?;
        }
        Ok(())
    })
}

/// The categories of many products: (product id, category) pairs.
pub async fn categories_of(
    conn: &mut Conn<'_>,
    product_ids: &[i64],
) -> QueryResult<Vec<(i64, CategoryRow)>> {
    with_conn!(conn, |c| product_categories::table
        .inner_join(categories::table)
        .filter(product_categories::product_id.eq_any(product_ids))
        .select((product_categories::product_id, CategoryRow::as_select()))
        .order((product_categories::product_id, categories::name))
        .load(c)
        .await)
}
