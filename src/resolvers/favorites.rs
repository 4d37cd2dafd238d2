//! Favourites: a customer's hearts on products and the list of them.

use async_graphql::{Context, ID, Object, Result};
use chrono::DateTime;

use super::catalog::{ProductGql, products_for};
use crate::error::AppError;
use crate::graphql::context::ContextExt;
use crate::graphql::guards::SignedIn;
use crate::graphql::pagination::{Listing, decode_cursor, encode_cursor, listing, page_size};
use crate::graphql::scalars::parse_id;

fn cursor(added_at_ms: i64, product_id: i64) -> String {
    encode_cursor(&format!("fav:{added_at_ms}:{product_id}"))
}

fn parse_cursor(cursor: &str) -> Result<(DateTime<chrono::Utc>, i64), AppError> {
    let invalid = || {
        AppError::invalid(
            "after",
            "The cursor is not valid; use an endCursor from a previous page.",
        )
    };
    let text = decode_cursor(cursor)?;
    let mut parts = text.strip_prefix("fav:").ok_or_else(invalid)?.split(':');
    let (Some(at), Some(id), None) = (parts.next(), parts.next(), parts.next()) else {
        return Err(invalid());
    };
    let at = at
        .parse()
        .ok()
        .and_then(DateTime::from_timestamp_millis)
        .ok_or_else(invalid)?;
    Ok((at, id.parse().map_err(|_| invalid())?))
}

/// The signed-in customer's favourites.
#[derive(Default)]
pub struct FavoritesQuery;

#[Object]
impl FavoritesQuery {
    /// The signed-in customer's favourites still in the shop, latest first.
    #[graphql(
        guard = "SignedIn",
        complexity = "first.unwrap_or(20).max(1) as usize * child_complexity"
    )]
    async fn my_favorites(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Listing<ProductGql>> {
        let app = ctx.app();
        let limit = page_size(first, app.config().graphql.max_page_size)?;
        let after = after.as_deref().map(parse_cursor).transpose()?;
        let user = ctx.user()?;
        let (favorites, total) = app.favorites.of_user(user.id, after, limit).await?;
        let cursors: Vec<String> = favorites
            .iter()
            .map(|f| cursor(f.added_at.timestamp_millis(), f.product.id))
            .collect();
        let selection = [ctx.look_ahead().field("edges").field("node")];
        let products = favorites.into_iter().map(|f| f.product).collect();
        let products = products_for(ctx, &selection, products).await?;
        Ok(listing(
            cursors.into_iter().zip(products).collect(),
            limit,
            total,
            |(cursor, _)| cursor.clone(),
            |(_, product)| product,
        ))
    }
}

/// Changing favourites.
#[derive(Default)]
pub struct FavoritesMutation;

#[Object]
impl FavoritesMutation {
    /// Adds the product to the signed-in customer's favourites, or takes it off. With
    /// `favorite`, sets it to that instead (a repeated request changes nothing).
    #[graphql(guard = "SignedIn")]
    async fn toggle_favorite(
        &self,
        ctx: &Context<'_>,
        product_id: ID,
        favorite: Option<bool>,
    ) -> Result<ProductGql> {
        let user = ctx.user()?;
        let (product, _) = ctx
            .app()
            .favorites
            .toggle(user.id, parse_id(&product_id)?, favorite)
            .await?;
        let mut found = products_for(ctx, &[ctx.look_ahead()], vec![product]).await?;
        found
            .pop()
            .ok_or_else(|| AppError::internal(anyhow::anyhow!("the product went missing")).into())
    }
}
