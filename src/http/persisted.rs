//! Automatic persisted queries, as Apollo's protocol has them: a client sends only the
//! SHA-256 of its document (`extensions.persistedQuery.sha256Hash`); when this server
//! does not know the hash it answers `PERSISTED_QUERY_NOT_FOUND`, and the client sends
//! the document with its hash once, which is kept. Short GET URLs of known documents
//! are what the edge caches best, with or without the edge in front.

use std::sync::Arc;

use async_graphql::Request as GqlRequest;
use axum::http::HeaderValue;
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use sha2::{Digest, Sha256};

use super::request::ResponseFormat;

/// Bytes of documents kept (the widgets' and the storefront's are a few hundred each).
const CAPACITY_BYTES: u64 = 4 << 20;
/// Documents longer than this are executed but not kept.
const MAX_DOCUMENT: usize = 64 << 10;

/// The documents clients persisted, by the hex SHA-256 of their text.
pub struct PersistedQueries {
    documents: moka::sync::Cache<String, Arc<str>>,
}

impl Default for PersistedQueries {
    fn default() -> Self {
        Self::new()
    }
}

impl PersistedQueries {
    /// An empty store.
    pub fn new() -> Self {
        PersistedQueries {
            documents: moka::sync::Cache::builder()
                .max_capacity(CAPACITY_BYTES)
                .weigher(|hash: &String, document: &Arc<str>| {
                    u32::try_from(hash.len() + document.len()).unwrap_or(u32::MAX)
                })
                .build(),
        }
    }

    /// Fills in the document of a request that names a persisted query, or keeps the
    /// one it sends under its hash; the answer to send instead when that cannot be.
    pub fn resolve(&self, request: &mut GqlRequest, format: ResponseFormat) -> Result<(), Refusal> {
        let Some(persisted) = request.extensions.get("persistedQuery") else {
            return Ok(());
        };
        let persisted = serde_json::to_value(persisted).unwrap_or_default();
        if persisted.get("version").and_then(serde_json::Value::as_i64) != Some(1) {
            return Err(refusal(
                StatusCode::BAD_REQUEST,
                "Unsupported persisted query version: send version 1.",
                "PERSISTED_QUERY_NOT_SUPPORTED",
                format,
            ));
        }
        let Some(hash) = persisted
            .get("sha256Hash")
            .and_then(serde_json::Value::as_str)
            .filter(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()))
            .map(str::to_ascii_lowercase)
        else {
            return Err(refusal(
                StatusCode::BAD_REQUEST,
                "persistedQuery.sha256Hash must be the 64 hex digits of the document's SHA-256.",
                "BAD_USER_INPUT",
                format,
            ));
        };
        if request.query.is_empty() {
            let document = self.documents.get(&hash).ok_or_else(|| {
                // Apollo's clients look for this code with status 200, then send the
                // document.
                refusal(
                    StatusCode::OK,
                    "PersistedQueryNotFound",
                    "PERSISTED_QUERY_NOT_FOUND",
                    format,
                )
            })?;
            request.query = document.to_string();
            return Ok(());
        }
        if hex::encode(Sha256::digest(request.query.as_bytes())) != hash {
            return Err(refusal(
                StatusCode::BAD_REQUEST,
                "provided sha does not match query",
                "PERSISTED_QUERY_HASH_MISMATCH",
                format,
            ));
        }
        if request.query.len() <= MAX_DOCUMENT {
            self.documents
                .insert(hash, Arc::from(request.query.as_str()));
        }
        Ok(())
    }
}

/// Why a persisted query cannot run: a GraphQL error with `code` in its extensions.
#[derive(Debug)]
pub struct Refusal {
    status: StatusCode,
    message: &'static str,
    code: &'static str,
    format: ResponseFormat,
}

fn refusal(
    status: StatusCode,
    message: &'static str,
    code: &'static str,
    format: ResponseFormat,
) -> Refusal {
    Refusal {
        status,
        message,
        code,
        format,
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let body =
            json!({ "errors": [{ "message": self.message, "extensions": { "code": self.code } }] });
        (
            self.status,
            [(
                CONTENT_TYPE,
                HeaderValue::from_static(self.format.content_type()),
            )],
            body.to_string(),
        )
            .into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOCUMENT: &str = "{ stats { visitCount } }";

    fn with_hash(query: &str, hash: &str) -> GqlRequest {
        let mut request = GqlRequest::new(query);
        request.extensions.insert(
            "persistedQuery".to_owned(),
            async_graphql::Value::from_json(json!({ "version": 1, "sha256Hash": hash })).unwrap(),
        );
        request
    }

    #[test]
    fn an_unknown_hash_is_asked_for_then_the_document_is_kept() {
        let store = PersistedQueries::new();
        let hash = hex::encode(Sha256::digest(DOCUMENT));
        let refused = store
            .resolve(&mut with_hash("", &hash), ResponseFormat::Json)
            .unwrap_err();
        assert_eq!(refused.status, StatusCode::OK);
        assert_eq!(refused.code, "PERSISTED_QUERY_NOT_FOUND");
        store
            .resolve(&mut with_hash(DOCUMENT, &hash), ResponseFormat::Json)
            .unwrap();
        let mut request = with_hash("", &hash.to_uppercase());
        store.resolve(&mut request, ResponseFormat::Json).unwrap();
        assert_eq!(request.query, DOCUMENT);
    }

    #[test]
    fn a_document_under_another_hash_is_refused_and_not_kept() {
        let store = PersistedQueries::new();
        let other = hex::encode(Sha256::digest("{ __typename }"));
        let refused = store
            .resolve(&mut with_hash(DOCUMENT, &other), ResponseFormat::Json)
            .unwrap_err();
        assert_eq!(refused.status, StatusCode::BAD_REQUEST);
        assert!(
            store
                .resolve(&mut with_hash("", &other), ResponseFormat::Json)
                .is_err()
        );
    }
}
