//! Queries on `categories` (a small table: the tree is read whole).

use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::schema::{categories, product_categories};
use super::{Conn, with_conn};
use crate::time::Timestamp;

/// A row of `categories`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = categories)]
pub struct CategoryRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub parent_id: Option<i64>,
    pub depth: i32,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// The values of a new category.
#[derive(Debug, Insertable)]
#[diesel(table_name = categories)]
pub struct NewCategory<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub parent_id: Option<i64>,
    pub depth: i32,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// Every category, by name.
pub async fn all(conn: &mut Conn<'_>) -> QueryResult<Vec<CategoryRow>> {
    with_conn!(conn, |c| categories::table
        .select(CategoryRow::as_select())
        .order((categories::name.asc(), categories::id.asc()))
        .load(c)
        .await)
}

/// Stores a category.
pub async fn insert(conn: &mut Conn<'_>, new: &NewCategory<'_>) -> QueryResult<CategoryRow> {
    with_conn!(conn, |c| diesel::insert_into(categories::table)
        .values(new)
        .returning(CategoryRow::as_returning())
        .get_result(c)
        .await)
}

/// Writes a category's name, slug and place in the tree.
pub async fn update(
    conn: &mut Conn<'_>,
    id: i64,
    (slug, name, parent_id, depth): (&str, &str, Option<i64>, i32),
    now: Timestamp,
) -> QueryResult<CategoryRow> {
    with_conn!(conn, |c| diesel::update(categories::table.find(id))
        .set((
            categories::slug.eq(slug),
            categories::name.eq(name),
            categories::parent_id.eq(parent_id),
            categories::depth.eq(depth),
            categories::updated_at.eq(now),
        ))
        .returning(CategoryRow::as_returning())
        .get_result(c)
        .await)
}

/// Sets the depth of one category (when its branch moves).
pub async fn set_depth(conn: &mut Conn<'_>, id: i64, depth: i32) -> QueryResult<()> {
    with_conn!(conn, |c| diesel::update(categories::table.find(id))
        .set(categories::depth.eq(depth))
        .execute(c)
        .await)?;
    Ok(())
}

/// Deletes a category; `false` when there was none.
pub async fn delete(conn: &mut Conn<'_>, id: i64) -> QueryResult<bool> {
    with_conn!(conn, |c| diesel::delete(categories::table.find(id))
        .execute(c)
        .await)
    .map(|n| n > 0)
}

/// How many products are filed under a category.
pub async fn product_count(conn: &mut Conn<'_>, id: i64) -> QueryResult<i64> {
    with_conn!(conn, |c| product_categories::table
        .filter(product_categories::category_id.eq(id))
        .count()
        .get_result(c)
        .await)
}

/// Whether a slug is taken by a category other than `except`.
pub async fn slug_taken(conn: &mut Conn<'_>, slug: &str, except: Option<i64>) -> QueryResult<bool> {
    with_conn!(conn, |c| {
        let mut query = categories::table
            .filter(categories::slug.eq(slug))
            .select(categories::id)
            .into_boxed();
        if let Some(id) = except {
            query = query.filter(categories::id.ne(id));
        }
        diesel::select(diesel::dsl::exists(query))
            .get_result(c)
            .await
    })
}
