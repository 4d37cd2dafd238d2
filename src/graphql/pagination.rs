//! Relay-style lists: `first`/`after` arguments, opaque cursors, `edges`, `pageInfo`
//! and `totalCount`.

use async_graphql::SimpleObject;
use async_graphql::connection::{
    Connection, DefaultConnectionName, DefaultEdgeName, DisableNodesField, Edge, EmptyFields,
};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::db::Page;
use crate::error::{AppError, AppResult};

/// The page size when `first` is not given.
pub const DEFAULT_PAGE_SIZE: i32 = 20;

/// Fields every list has besides its edges.
#[derive(SimpleObject)]
pub struct TotalCount {
    /// How many items the whole list holds.
    pub total_count: i64,
}

/// A page of a list.
pub type Listing<N> = Connection<
    String,
    N,
    TotalCount,
    EmptyFields,
    DefaultConnectionName,
    DefaultEdgeName,
    DisableNodesField,
>;

/// Checks `first` against the configured maximum page size.
pub fn page_size(first: Option<i32>, max: usize) -> AppResult<i64> {
    let first = first.unwrap_or(DEFAULT_PAGE_SIZE);
    if first < 1 || usize::try_from(first).map_or(true, |f| f > max) {
        return Err(AppError::bad_input(format!(
            "first must be between 1 and {max}."
        )));
    }
    Ok(i64::from(first))
}

/// An opaque cursor for a value.
pub fn encode_cursor(value: &str) -> String {
    URL_SAFE_NO_PAD.encode(value)
}

/// The value inside a cursor we issued.
pub fn decode_cursor(cursor: &str) -> AppResult<String> {
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .ok_or_else(|| {
            AppError::bad_input("The cursor is not valid; use an endCursor from a previous page.")
        })
}

/// A page of a list ordered by descending id, from `first`/`after`.
pub fn id_page(first: Option<i32>, after: Option<&str>, max: usize) -> AppResult<Page> {
    let limit = page_size(first, max)?;
    let after = match after {
        None => None,
        Some(cursor) => Some(
            decode_cursor(cursor)?
                .strip_prefix("id:")
                .and_then(|id| id.parse::<i64>().ok())
                .ok_or_else(|| {
                    AppError::bad_input(
                        "The cursor is not valid; use an endCursor from a previous page.",
                    )
                })?,
        ),
    };
    Ok(Page { after, limit })
}

/// The cursor of an item in an id-ordered list.
pub fn id_cursor(id: i64) -> String {
    encode_cursor(&format!("id:{id}"))
}

/// Builds a page from rows fetched with one extra (which tells that more follow).
pub fn listing<T, N: async_graphql::OutputType>(
    mut rows: Vec<T>,
    limit: i64,
    total: i64,
    cursor: impl Fn(&T) -> String,
    node: impl Fn(T) -> N,
) -> Listing<N> {
    let has_next = rows.len() as i64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(0));
    let mut connection =
        Connection::with_additional_fields(false, has_next, TotalCount { total_count: total });
    connection.edges = rows
        .into_iter()
        .map(|row| {
            let c = cursor(&row);
            Edge::new(c, node(row))
        })
        .collect();
    connection
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        let page = id_page(Some(10), Some(&id_cursor(42)), 100).unwrap();
        assert_eq!(page.after, Some(42));
        assert_eq!(page.limit, 10);
        assert!(id_page(None, Some("!!!"), 100).is_err());
        assert!(id_page(None, Some(&encode_cursor("id:x")), 100).is_err());
        assert!(id_page(Some(101), None, 100).is_err());
        assert!(id_page(Some(0), None, 100).is_err());
    }
}
