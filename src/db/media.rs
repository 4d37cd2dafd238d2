//! Queries on `media` and `media_variants`.

use std::collections::HashSet;

use diesel::dsl::count_star;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::schema::{media, media_variants};
use super::{Conn, Page, with_conn};
use crate::time::Timestamp;

crate::stored_enum::stored_enum! {
    /// Image or video.
    pub enum MediaKind {
        Image = "IMAGE",
        Video = "VIDEO",
    }
}

crate::stored_enum::stored_enum! {
    /// Where on the site a picture is meant to appear.
    pub enum MediaSection {
        Gallery = "GALLERY",
        Product = "PRODUCT",
        Carousel = "CAROUSEL",
        Other = "OTHER",
    }
}

crate::stored_enum::stored_enum! {
    /// Where media files are kept.
    pub enum Provider {
        /// The local folder, served by this site.
        Local = "LOCAL",
        /// Cloudinary.
        Cloudinary = "CLOUDINARY",
    }
}

/// A row of `media`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = media)]
pub struct MediaRow {
    pub id: i64,
    pub kind: MediaKind,
    pub section: MediaSection,
    pub alt: Option<String>,
    pub source_hash: String,
    pub content_type: String,
    pub width: i32,
    pub height: i32,
    pub duration_ms: Option<i64>,
    pub bytes: i64,
    pub provider: Provider,
    pub storage_key: String,
    pub url: String,
    pub version: Option<i64>,
    pub created_at: Timestamp,
}

/// The values of a new media item.
#[derive(Debug, Insertable)]
#[diesel(table_name = media)]
pub struct NewMedia<'a> {
    pub kind: MediaKind,
    pub section: MediaSection,
    pub alt: Option<&'a str>,
    pub source_hash: &'a str,
    pub content_type: &'a str,
    pub width: i32,
    pub height: i32,
    pub duration_ms: Option<i64>,
    pub bytes: i64,
    pub provider: Provider,
    pub storage_key: &'a str,
    pub url: &'a str,
    pub version: Option<i64>,
    pub created_at: Timestamp,
}

/// A row of `media_variants`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = media_variants)]
pub struct VariantRow {
    pub id: i64,
    pub media_id: i64,
    pub preset: String,
    pub size: String,
    pub format: String,
    pub width: i32,
    pub height: i32,
    pub bytes: Option<i64>,
    pub storage_key: Option<String>,
    pub url: String,
    pub crop_x: i32,
    pub crop_y: i32,
    pub crop_width: i32,
    pub crop_height: i32,
    pub created_at: Timestamp,
}

/// The values of a new variant.
#[derive(Debug, Insertable)]
#[diesel(table_name = media_variants)]
pub struct NewVariant {
    pub media_id: i64,
    pub preset: String,
    pub size: String,
    pub format: String,
    pub width: i32,
    pub height: i32,
    pub bytes: Option<i64>,
    pub storage_key: Option<String>,
    pub url: String,
    pub crop_x: i32,
    pub crop_y: i32,
    pub crop_width: i32,
    pub crop_height: i32,
    pub created_at: Timestamp,
}

/// Stores a media item.
pub async fn insert(conn: &mut Conn<'_>, item: &NewMedia<'_>) -> QueryResult<MediaRow> {
    with_conn!(conn, |c| diesel::insert_into(media::table)
        .values(item)
        .returning(MediaRow::as_returning())
        .get_result(c)
        .await)
}

/// The media item with this id.
pub async fn find(conn: &mut Conn<'_>, id: i64) -> QueryResult<Option<MediaRow>> {
    with_conn!(conn, |c| media::table
        .find(id)
        .select(MediaRow::as_select())
        .first(c)
        .await
        .optional())
}

/// The media item uploaded from exactly these bytes.
pub async fn find_by_source_hash(conn: &mut Conn<'_>, hash: &str) -> QueryResult<Option<MediaRow>> {
    with_conn!(conn, |c| media::table
        .filter(media::source_hash.eq(hash))
        .select(MediaRow::as_select())
        .first(c)
        .await
        .optional())
}

/// A page of media, newest first, optionally of one kind and section.
pub async fn list(
    conn: &mut Conn<'_>,
    kind: Option<MediaKind>,
    section: Option<MediaSection>,
    page: Page,
) -> QueryResult<Vec<MediaRow>> {
    with_conn!(conn, |c| {
        let mut query = media::table.select(MediaRow::as_select()).into_boxed();
        if let Some(kind) = kind {
            query = query.filter(media::kind.eq(kind));
        }
        if let Some(section) = section {
            query = query.filter(media::section.eq(section));
        }
        if let Some(after) = page.after {
            query = query.filter(media::id.lt(after));
        }
        query
            .order(media::id.desc())
            .limit(page.fetch())
            .load(c)
            .await
    })
}

/// How many media items match.
pub async fn count(
    conn: &mut Conn<'_>,
    kind: Option<MediaKind>,
    section: Option<MediaSection>,
) -> QueryResult<i64> {
    with_conn!(conn, |c| {
        let mut query = media::table.select(count_star()).into_boxed();
        if let Some(kind) = kind {
            query = query.filter(media::kind.eq(kind));
        }
        if let Some(section) = section {
            query = query.filter(media::section.eq(section));
        }
        query.first(c).await
    })
}

/// Deletes a media item (its variants go with it) and returns what it was.
pub async fn delete(conn: &mut Conn<'_>, id: i64) -> QueryResult<Option<MediaRow>> {
    with_conn!(conn, |c| diesel::delete(media::table.find(id))
        .returning(MediaRow::as_returning())
        .get_result(c)
        .await
        .optional())
}

/// The variants of these media items.
pub async fn variants_of(conn: &mut Conn<'_>, media_ids: &[i64]) -> QueryResult<Vec<VariantRow>> {
    with_conn!(conn, |c| media_variants::table
        .filter(media_variants::media_id.eq_any(media_ids))
        .order((
            media_variants::media_id,
            media_variants::preset,
            media_variants::id
        ))
        .select(VariantRow::as_select())
        .load(c)
        .await)
}

/// Replaces the variants of one preset of a media item; returns the replaced rows.
pub async fn replace_variants(
    conn: &mut Conn<'_>,
    media_id: i64,
    preset: &str,
    new: &[NewVariant],
) -> QueryResult<Vec<VariantRow>> {
    let old = with_conn!(conn, |c| diesel::delete(
        media_variants::table
            .filter(media_variants::media_id.eq(media_id))
            .filter(media_variants::preset.eq(preset))
    )
    .returning(VariantRow::as_returning())
    .get_results(c)
    .await)?;
    // One statement per row: SQLite cannot batch rows with optional values.
    for variant in new {
        with_conn!(conn, |c| diesel::insert_into(media_variants::table)
            .values(variant)
            .execute(c)
            .await)?;
    }
    Ok(old)
}

/// Which of `keys` a media item other than `except` (or one of its variants) uses.
pub async fn keys_in_use(
    conn: &mut Conn<'_>,
    keys: &[&str],
    except: Option<i64>,
) -> QueryResult<HashSet<String>> {
    // Ids are positive: -1 excludes nothing.
    let media_id = except.unwrap_or(-1);
    let originals: Vec<String> = with_conn!(conn, |c| media::table
        .filter(media::storage_key.eq_any(keys))
        .filter(media::id.ne(media_id))
        .select(media::storage_key)
        .load(c)
        .await)?;
    let variants: Vec<Option<String>> = with_conn!(conn, |c| media_variants::table
        .filter(media_variants::storage_key.eq_any(keys))
        .filter(media_variants::media_id.ne(media_id))
        .select(media_variants::storage_key)
        .load(c)
        .await)?;
    Ok(originals
        .into_iter()
        .chain(variants.into_iter().flatten())
        .collect())
}

/// Storage used by one kind of media.
#[derive(Debug, Clone, QueryableByName)]
pub struct KindUsageRow {
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub kind: MediaKind,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub items: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub original_bytes: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub variant_bytes: i64,
}

/// Per kind: how many items, the bytes of their originals, and of their stored variants.
pub async fn usage_by_kind(conn: &mut Conn<'_>) -> QueryResult<Vec<KindUsageRow>> {
    // SUM of a BIGINT is NUMERIC on PostgreSQL: cast back so both backends agree.
    const SQL: &str = "SELECT m.kind AS kind, COUNT(*) AS items, \
        CAST(COALESCE(SUM(m.bytes), 0) AS BIGINT) AS original_bytes, \
        CAST(COALESCE((SELECT SUM(v.bytes) FROM media_variants v JOIN media m2 ON m2.id = v.media_id \
            WHERE m2.kind = m.kind), 0) AS BIGINT) AS variant_bytes \
        FROM media m GROUP BY m.kind";
    with_conn!(conn, |c| diesel::sql_query(SQL).load(c).await)
}
