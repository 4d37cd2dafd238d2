//! Answers to anonymous queries that read only public data, kept until a topic they
//! depend on is announced again (on any instance). The statistics widget sends the same
//! document on every page view of the site; repeating it costs no parsing, validation or
//! execution. A root field is cacheable once it names the topics its answer follows.

use std::sync::Arc;
use std::time::Instant;

use async_graphql::Request as GqlRequest;
use async_graphql::parser::types::{ExecutableDocument, OperationType, Selection};
use axum::body::Bytes;

use super::request::ResponseFormat;
use crate::events::{Events, Topic};
use crate::metrics::Metrics;

/// The topics the answer of a public root field follows; `None` for other fields.
fn topics_of(field: &str) -> Option<&'static [Topic]> {
    match field {
        "stats" => Some(&[crate::stats::TOPIC]),
        "__typename" => Some(&[]),
        _ => None,
    }
}
/// How many distinct documents are remembered.
const CAPACITY: u64 = 256;
/// Documents longer than this are not remembered (a widget's query is a few dozen bytes;
/// padded ones must not pin memory).
const MAX_DOCUMENT: usize = 4096;

/// A remembered answer.
#[derive(Clone)]
pub struct Answer {
    /// The generations of its topics when it was computed.
    generations: Arc<[(Topic, u64)]>,
    pub body: Bytes,
    operation: Arc<str>,
}

/// What makes a document's answer rememberable: its operation's name (for metrics) and
/// the topics its answer follows.
pub struct Cacheable {
    operation: String,
    topics: Vec<Topic>,
}

impl Cacheable {
    /// The topics' generations now: taken before executing, so that a change during the
    /// execution leaves the answer already out of date.
    pub fn generations(&self, events: &Events) -> Vec<(Topic, u64)> {
        self.topics
            .iter()
            .map(|topic| (*topic, events.generation(*topic)))
            .collect()
    }
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
    /// The remembered answer, if none of its topics was announced since.
    pub fn get(&self, events: &Events, metrics: &Metrics, key: &str) -> Option<Answer> {
        let started = Instant::now();
        let answer = self.answers.get(key).filter(|a| {
            a.generations
                .iter()
                .all(|(topic, generation)| events.generation(*topic) == *generation)
        })?;
        metrics.observe_graphql(&answer.operation, "ok", started.elapsed());
        Some(answer)
    }

    /// Remembers a successful answer of a [`cacheable`] document computed under
    /// `generations`.
    pub fn remember(
        &self,
        key: String,
        cacheable: Cacheable,
        generations: Vec<(Topic, u64)>,
        body: Bytes,
    ) {
        self.answers.insert(
            key,
            Answer {
                generations: generations.into(),
                body,
                operation: cacheable.operation.into(),
            },
        );
    }
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
