//! What browsers and shared caches (the edge worker, `edge/`) may keep: `Cache-Control`,
//! the `Cache-Tag` the edge forgets answers by, and `ETag` validation. Answers that set
//! nothing here are `private, no-store` (a layer of the router).

use std::fmt::Write as _;

use axum::http::header::IF_NONE_MATCH;
use axum::http::{HeaderMap, HeaderName, HeaderValue};
use sha2::{Digest, Sha256};

use crate::events::Topic;

/// The tags of a public answer (Cloudflare's header name): the topics it follows.
pub const CACHE_TAG: HeaderName = HeaderName::from_static("cache-tag");

/// What nobody else may keep: the default of every answer.
pub const PRIVATE: HeaderValue = HeaderValue::from_static("private, no-store");

/// `Cache-Tag` of an answer that follows `topics`; none when it follows nothing.
pub fn tags(topics: &[Topic]) -> Option<HeaderValue> {
    let mut value = String::new();
    for topic in topics {
        if !value.is_empty() {
            value.push(',');
        }
        value.push_str(topic.name());
    }
    HeaderValue::from_str(&value)
        .ok()
        .filter(|_| !value.is_empty())
}

/// A strong `ETag` of `body` (the first 128 bits of its SHA-256).
pub fn etag_of(body: &[u8]) -> HeaderValue {
    let digest = Sha256::digest(body);
    let mut value = String::with_capacity(34);
    value.push('"');
    for byte in &digest[..16] {
        let _ = write!(value, "{byte:02x}");
    }
    value.push('"');
    HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static("\"\""))
}

/// Whether `If-None-Match` names `etag` (or is `*`); weak validators compare equal to
/// strong ones, as RFC 9110 asks for `If-None-Match`.
pub fn matches_etag(request: &HeaderMap, etag: &str) -> bool {
    request
        .get_all(IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|tag| tag.trim().trim_start_matches("W/"))
        .any(|tag| tag == "*" || tag == etag)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_name_the_topics_an_answer_follows() {
        let topics = [Topic::new("catalog"), Topic::new("reviews")];
        assert_eq!(tags(&topics).unwrap(), "catalog,reviews");
        assert!(tags(&[]).is_none());
    }

    #[test]
    fn if_none_match_lists_weak_and_strong_validators() {
        let mut request = HeaderMap::new();
        request.insert(IF_NONE_MATCH, HeaderValue::from_static("W/\"a\", \"b\""));
        assert!(matches_etag(&request, "\"a\""));
        assert!(matches_etag(&request, "\"b\""));
        assert!(!matches_etag(&request, "\"c\""));
        assert_eq!(etag_of(b"x").len(), 34);
    }
}
