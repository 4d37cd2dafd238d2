//! Favourites (beğeni): a customer's hearts on products. Each product keeps its count,
//! moved in the transaction that adds or removes a heart, so lists read it for free and
//! it stays exact under concurrency.

use std::collections::HashSet;

use chrono::{DateTime, Utc};

use crate::catalog::Product;
use crate::db::favorites as rows;
use crate::db::products;
use crate::error::{AppError, AppResult};
use crate::events::Topic;
use crate::services::Services;
use crate::throttle::{Limit, too_many_attempts};
use crate::time::Timestamp;

/// Announced whenever a product's favourite count changes.
pub const TOPIC: Topic = Topic::new("favorites");
/// Hearts one customer may press (each refreshes remembered pages).
pub const TOGGLES_PER_CUSTOMER: Limit = Limit::per(30, std::time::Duration::from_secs(60));

/// A favourite in a customer's list: when it was added and the product.
#[derive(Debug, Clone)]
pub struct Favorite {
    pub added_at: DateTime<Utc>,
    pub product: Product,
}

/// Customers' favourites.
#[derive(Clone)]
pub struct Favorites {
    svc: Services,
}

impl Favorites {
    /// The favourites domain.
    pub fn new(svc: Services) -> Self {
        Favorites { svc }
    }

    /// Adds or removes a customer's heart on a product: to `favorite` when given (so a
    /// repeated request changes nothing), otherwise the opposite of what it is. Returns
    /// the product as it is now and whether it is a favourite.
    pub async fn toggle(
        &self,
        user_id: i64,
        product_id: i64,
        favorite: Option<bool>,
    ) -> AppResult<(Product, bool)> {
        self.svc
            .throttle
            .hit(&format!("favorites:{user_id}"), TOGGLES_PER_CUSTOMER)
            .await?
            .map_err(too_many_attempts)?;
        let now = self.svc.clock.now();
        self.svc
            .db
            .transaction(async |tx| {
                // Only a product the shop shows: hidden ones are not revealed this way.
                products::find(&mut tx.conn(), product_id)
                    .await?
                    .filter(|p| p.active && p.archived_at.is_none())
                    .ok_or_else(no_such_product)?;
                let (delta, is_favorite) = match favorite {
                    Some(false) => (remove(tx, user_id, product_id).await?, false),
                    Some(true) => (add(tx, user_id, product_id, now.into()).await?, true),
                    None => match remove(tx, user_id, product_id).await? {
                        0 => (add(tx, user_id, product_id, now.into()).await?, true),
                        removed => (removed, false),
                    },
                };
                if delta != 0 {
                    rows::bump_count(&mut tx.conn(), product_id, delta).await?;
                    self.svc.events.publish_on_commit(tx, TOPIC).await?;
                }
                let product = products::find(&mut tx.conn(), product_id)
                    .await?
                    .ok_or_else(no_such_product)?;
                Ok::<_, AppError>((Product::from(product), is_favorite))
            })
            .await
    }

    /// Which of these products a customer favourited.
    pub async fn among(&self, user_id: i64, product_ids: &[i64]) -> AppResult<HashSet<i64>> {
        let ids = rows::among(&mut self.svc.db.read().await?.conn(), user_id, product_ids).await?;
        Ok(ids.into_iter().collect())
    }

    /// A page of a customer's favourites still in the shop, latest first, after the one
    /// at `after` (its time and product id), and how many there are.
    pub async fn of_user(
        &self,
        user_id: i64,
        after: Option<(DateTime<Utc>, i64)>,
        limit: i64,
    ) -> AppResult<(Vec<Favorite>, i64)> {
        let mut pooled = self.svc.db.read().await?;
        let mut conn = pooled.conn();
        let after = after.map(|(at, id)| (Timestamp::from(at), id));
        let rows = rows::of_user(&mut conn, user_id, after, limit + 1).await?;
        let total = rows::count_of_user(&mut conn, user_id).await?;
        let favorites = rows
            .into_iter()
            .map(|(at, row)| Favorite {
                added_at: at.into(),
                product: row.into(),
            })
            .collect();
        Ok((favorites, total))
    }
}

async fn remove(tx: &mut crate::db::Tx, user_id: i64, product_id: i64) -> AppResult<i64> {
    Ok(
        if rows::delete(&mut tx.conn(), user_id, product_id).await? {
            -1
        } else {
            0
        },
    )
}

async fn add(
    tx: &mut crate::db::Tx,
    user_id: i64,
    product_id: i64,
    now: Timestamp,
) -> AppResult<i64> {
    Ok(i64::from(
        rows::insert(&mut tx.conn(), user_id, product_id, now).await?,
    ))
}

fn no_such_product() -> AppError {
    AppError::not_found("There is no product with this id.")
}
