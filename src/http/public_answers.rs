//! Answers to anonymous queries that read only public data, kept until a topic they
//! depend on is announced again (on any instance) or a sale in them starts or ends. The
//! statistics widget sends the same document on every page view of the site, and a
//! product's page asks for the same product; repeating them costs no parsing,
//! validation or execution. A root field is cacheable once it names the topics its
//! answer follows.

use std::sync::Arc;

use async_graphql::Request as GqlRequest;
use async_graphql::parser::types::{ExecutableDocument, OperationType, Selection};
use axum::body::Bytes;
use axum::http::HeaderValue;
use chrono::{DateTime, Utc};

use super::remembered::Remembered;
use super::request::ResponseFormat;
use crate::events::Topic;

/// The topics the answer of a public root field follows; `None` for other fields.
fn topics_of(field: &str) -> Option<&'static [Topic]> {
    const CATALOG: &[Topic] = &[
        crate::catalog::TOPIC,
        crate::media::STORAGE_TOPIC,
        crate::reviews::TOPIC,
        crate::favorites::TOPIC,
    ];
    match field {
        "stats" => Some(&[crate::stats::TOPIC]),
        "products" | "discountedProducts" | "product" | "categories" => Some(CATALOG),
        "__typename" => Some(&[]),
        _ => None,
    }
}
/// How many bytes of documents and answers are remembered.
const CAPACITY_BYTES: u64 = 8 << 20;
/// Documents longer than this are not remembered (a widget's query is a few dozen bytes,
/// a product page's a few hundred; padded ones must not pin memory).
const MAX_DOCUMENT: usize = 4096;

/// A remembered answer.
#[derive(Clone)]
pub struct Answer {
    pub body: Bytes,
    /// The validator of `body`.
    pub etag: HeaderValue,
    /// The operation's name, for metrics.
    pub operation: Arc<str>,
    /// The `Cache-Tag` of the topics it follows.
    pub tags: Option<HeaderValue>,
    /// When it stops being true on its own (a sale that starts or ends).
    pub expires: Option<DateTime<Utc>>,
}

/// What makes a document's answer rememberable: its operation's name (for metrics) and
/// the topics its answer follows.
pub struct Cacheable {
    pub operation: String,
    pub topics: Vec<Topic>,
}

/// The remembered answers.
pub type PublicAnswers = Remembered<Answer>;

/// An empty store of answers.
pub fn store() -> PublicAnswers {
    Remembered::new(CAPACITY_BYTES, |answer| answer.body.len())
}

/// What identifies an answer: the document, operation, variables and response format;
/// none for documents too long to remember.
pub fn key(request: &GqlRequest, format: ResponseFormat) -> Option<String> {
    if request.query.len() > MAX_DOCUMENT {
        return None;
    }
    let variables = serde_json::to_string(&request.variables).unwrap_or_default();
    Some(format!(
        "{format:?}\n{}\n{variables}\n{}",
        request.operation_name.as_deref().unwrap_or(""),
        request.query
    ))
}

/// Whether the document's answer can be remembered: every operation is a query whose
/// root fields all follow topics, without fragments or directives.
pub fn cacheable(document: &ExecutableDocument) -> Option<Cacheable> {
    if !document.fragments.is_empty() {
        return None;
    }
    let mut name = None;
    let mut topics = Vec::new();
    for (op_name, op) in document.operations.iter() {
        if op.node.ty != OperationType::Query {
            return None;
        }
        for item in &op.node.selection_set.node.items {
            let Selection::Field(field) = &item.node else {
                return None;
            };
            if !field.node.directives.is_empty() {
                return None;
            }
            for topic in topics_of(field.node.name.node.as_str())? {
                if !topics.contains(topic) {
                    topics.push(*topic);
                }
            }
        }
        name = Some(op_name.map_or_else(|| "anonymous".to_owned(), |n| n.to_string()));
    }
    Some(Cacheable {
        operation: name?,
        topics,
    })
}

#[cfg(test)]
mod tests {
    fn cacheable(query: &str) -> Option<String> {
        super::cacheable(&async_graphql::parser::parse_query(query).unwrap()).map(|c| c.operation)
    }

    #[test]
    fn only_public_reads_are_cacheable() {
        assert_eq!(
            cacheable("{ stats { completedJobs } }").as_deref(),
            Some("anonymous")
        );
        assert_eq!(
            cacheable("query Widget { stats { completedJobs } __typename }").as_deref(),
            Some("Widget")
        );
        assert_eq!(
            cacheable("{ product(slug: \"kupa\") { name } }").as_deref(),
            Some("anonymous")
        );
        assert_eq!(cacheable("{ me { id } }"), None);
        assert_eq!(cacheable("{ stats { completedJobs } me { id } }"), None);
        assert_eq!(
            cacheable("mutation { recordVisit(visitorId: \"x\") }"),
            None
        );
        assert_eq!(
            cacheable("{ ...F } fragment F on Query { stats { visitCount } }"),
            None
        );
        assert_eq!(cacheable("{ stats @skip(if: true) { visitCount } }"), None);
    }
}
