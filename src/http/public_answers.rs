//! Answers to anonymous queries that read only the public statistics, kept until the
//! statistics change. The statistics widget sends the same document on every page view
//! of the site; repeating it costs no parsing, validation or execution.

use std::sync::Arc;
use std::time::Instant;

use async_graphql::Request as GqlRequest;
use async_graphql::parser::types::{ExecutableDocument, OperationType, Selection};
use axum::body::Bytes;

use super::graphql::ResponseFormat;
use crate::app::App;

/// Root fields whose answers depend on nothing but the cached statistics.
const CACHEABLE_FIELDS: &[&str] = &["stats", "__typename"];
/// How many distinct documents are remembered.
const CAPACITY: u64 = 256;
/// Documents longer than this are not remembered (a widget's query is a few dozen bytes;
/// padded ones must not pin memory).
const MAX_DOCUMENT: usize = 4096;

/// A remembered answer.
#[derive(Clone)]
pub struct Answer {
    /// The statistics generation it was computed in.
    generation: u64,
    pub body: Bytes,
    operation: Arc<str>,
}

/// The remembered answers.
pub struct PublicAnswers {
    answers: moka::sync::Cache<String, Answer>,
}

impl Default for PublicAnswers {
    fn default() -> Self {
        PublicAnswers {
            answers: moka::sync::Cache::new(CAPACITY),
        }
    }
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

impl PublicAnswers {
    /// The remembered answer, if the statistics have not changed since.
    pub fn get(&self, app: &App, key: &str) -> Option<Answer> {
        let started = Instant::now();
        let answer = self
            .answers
            .get(key)
            .filter(|a| a.generation == app.stats.generation())?;
        app.metrics
            .observe_graphql(&answer.operation, "ok", started.elapsed());
        Some(answer)
    }

    /// Remembers a successful answer of a [`cacheable`] operation computed in
    /// `generation`.
    pub fn remember(&self, key: String, operation: String, generation: u64, body: Bytes) {
        self.answers.insert(
            key,
            Answer {
                generation,
                body,
                operation: operation.into(),
            },
        );
    }
}

/// The operation name for metrics, when every operation of the document is a query
/// whose root fields are all cacheable.
pub fn cacheable(document: &ExecutableDocument) -> Option<String> {
    if !document.fragments.is_empty() {
        return None;
    }
    let mut name = None;
    for (op_name, op) in document.operations.iter() {
        if op.node.ty != OperationType::Query {
            return None;
        }
        let all_cacheable = op
            .node
            .selection_set
            .node
            .items
            .iter()
            .all(|item| match &item.node {
                Selection::Field(field) => {
                    CACHEABLE_FIELDS.contains(&field.node.name.node.as_str())
                        && field.node.directives.is_empty()
                }
                _ => false,
            });
        if !all_cacheable {
            return None;
        }
        name = Some(op_name.map_or_else(|| "anonymous".to_owned(), |n| n.to_string()));
    }
    name
}

#[cfg(test)]
mod tests {
    fn cacheable(query: &str) -> Option<String> {
        super::cacheable(&async_graphql::parser::parse_query(query).unwrap())
    }

    #[test]
    fn only_statistics_queries_are_cacheable() {
        assert_eq!(
            cacheable("{ stats { completedJobs } }").as_deref(),
            Some("anonymous")
        );
        assert_eq!(
            cacheable("query Widget { stats { completedJobs } __typename }").as_deref(),
            Some("Widget")
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
