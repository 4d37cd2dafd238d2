//! Queries on `product_media`: a product's pictures (in order) and video.

use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::media::{MediaKind, MediaRow};
use super::schema::{media, product_media, products};
use super::{Conn, with_conn};

/// One piece of media in a product's place.
#[derive(Debug, Clone, Copy, Insertable)]
#[diesel(table_name = product_media)]
pub struct Placement {
    pub product_id: i64,
    pub media_id: i64,
    pub kind: MediaKind,
    pub position: i32,
}

/// Replaces a product's media with `placements`.
pub async fn replace(
    conn: &mut Conn<'_>,
    product_id: i64,
    placements: &[Placement],
) -> QueryResult<()> {
    with_conn!(conn, |c| {
        diesel::delete(product_media::table.filter(product_media::product_id.eq(product_id)))
            .execute(c)
            .await?;
        // Row by row: SQLite's batch insert is not available through diesel-async.
        for placement in placements {
            diesel::insert_into(product_media::table)
                .values(placement)
                .execute(c)
                .await?;
        }
        Ok(())
    })
}

/// Adds one piece of media to a product.
pub async fn insert(conn: &mut Conn<'_>, placement: &Placement) -> QueryResult<()> {
    with_conn!(conn, |c| diesel::insert_into(product_media::table)
        .values(placement)
        .execute(c)
        .await)?;
    Ok(())
}

/// The placements of one product.
pub async fn of_product(
    conn: &mut Conn<'_>,
    product_id: i64,
) -> QueryResult<Vec<(MediaKind, i32, i64)>> {
    with_conn!(conn, |c| product_media::table
        .filter(product_media::product_id.eq(product_id))
        .select((
            product_media::kind,
            product_media::position,
            product_media::media_id
        ))
        .load(c)
        .await)
}

/// The media of many products, each product's pictures in order and then its video.
pub async fn media_of(
    conn: &mut Conn<'_>,
    product_ids: &[i64],
) -> QueryResult<Vec<(i64, MediaKind, MediaRow)>> {
    with_conn!(conn, |c| product_media::table
        .inner_join(media::table)
        .filter(product_media::product_id.eq_any(product_ids))
        .select((
            product_media::product_id,
            product_media::kind,
            MediaRow::as_select()
        ))
        .order((
            product_media::product_id,
            product_media::kind,
            product_media::position,
        ))
        .load(c)
        .await)
}

/// The names of the products that use a media item.
pub async fn products_using(conn: &mut Conn<'_>, media_id: i64) -> QueryResult<Vec<String>> {
    with_conn!(conn, |c| product_media::table
        .inner_join(products::table)
        .filter(product_media::media_id.eq(media_id))
        .select(products::name)
        .order(products::name)
        .load(c)
        .await)
}
