//! Document limits async-graphql does not have: a cap on aliases, and sensitive
//! mutations (sign-in, password reset, …) at most once per document, so one request
//! cannot multiply attempts past the per-operation throttles.

use std::sync::Arc;

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextParseQuery};
use async_graphql::parser::types::{ExecutableDocument, OperationType, Selection, SelectionSet};
use async_graphql::{ErrorExtensionValues, ServerError, ServerResult, Variables};

use crate::error::ErrorCode;

/// Mutations that may appear at most once (in total) in a document.
pub const SENSITIVE_MUTATIONS: &[&str] = &[
    "login",
    "requestPasswordReset",
    "resetPassword",
    "changePassword",
    "requestEmailChange",
    "confirmEmailChange",
];

/// The extension factory.
pub struct DocumentLimits {
    pub max_aliases: usize,
    pub introspection: bool,
}

impl ExtensionFactory for DocumentLimits {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(DocumentLimitsExtension {
            max_aliases: self.max_aliases,
            introspection: self.introspection,
        })
    }
}

struct DocumentLimitsExtension {
    max_aliases: usize,
    introspection: bool,
}

#[async_trait::async_trait]
impl Extension for DocumentLimitsExtension {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let document = next.run(ctx, query, variables).await?;
        let aliases = count_aliases(&document);
        if aliases > self.max_aliases {
            return Err(bad_input(format!(
                "The document uses {aliases} aliases; at most {} are allowed.",
                self.max_aliases
            )));
        }
        if !self.introspection
            && root_fields(&document, OperationType::Query)
                .iter()
                .any(|f| matches!(*f, "__schema" | "__type"))
        {
            return Err(bad_input(
                "Introspection is disabled on this server.".to_owned(),
            ));
        }
        let sensitive = root_fields(&document, OperationType::Mutation)
            .iter()
            .filter(|f| SENSITIVE_MUTATIONS.contains(f))
            .count();
        if sensitive > 1 {
            return Err(bad_input(format!(
                "Only one of {} may appear in a request.",
                SENSITIVE_MUTATIONS.join(", ")
            )));
        }
        Ok(document)
    }
}

fn bad_input(message: String) -> ServerError {
    let mut error = ServerError::new(message, None);
    let mut extensions = ErrorExtensionValues::default();
    extensions.set("code", ErrorCode::BadUserInput.as_str());
    error.extensions = Some(extensions);
    error
}

fn count_aliases(document: &ExecutableDocument) -> usize {
    fn walk(set: &SelectionSet) -> usize {
        set.items
            .iter()
            .map(|item| match &item.node {
                Selection::Field(field) => {
                    usize::from(field.node.alias.is_some()) + walk(&field.node.selection_set.node)
                }
                Selection::InlineFragment(fragment) => walk(&fragment.node.selection_set.node),
                Selection::FragmentSpread(_) => 0,
            })
            .sum()
    }
    // Fragments are counted once each where defined; spreading one fragment many times
    // is bounded by depth and complexity instead.
    document
        .operations
        .iter()
        .map(|(_, op)| walk(&op.node.selection_set.node))
        .sum::<usize>()
        + document
            .fragments
            .values()
            .map(|f| walk(&f.node.selection_set.node))
            .sum::<usize>()
}

/// The names of the root fields of every operation of type `ty` (through fragments).
fn root_fields(document: &ExecutableDocument, ty: OperationType) -> Vec<&str> {
    fn walk<'d>(
        document: &'d ExecutableDocument,
        set: &'d SelectionSet,
        depth: usize,
        out: &mut Vec<&'d str>,
    ) {
        if depth > 8 {
            return;
        }
        for item in &set.items {
            match &item.node {
                Selection::Field(field) => out.push(field.node.name.node.as_str()),
                Selection::InlineFragment(fragment) => {
                    walk(document, &fragment.node.selection_set.node, depth + 1, out)
                }
                Selection::FragmentSpread(spread) => {
                    if let Some(f) = document.fragments.get(&spread.node.fragment_name.node) {
                        walk(document, &f.node.selection_set.node, depth + 1, out);
                    }
                }
            }
        }
    }
    let mut out = Vec::new();
    for (_, op) in document
        .operations
        .iter()
        .filter(|(_, op)| op.node.ty == ty)
    {
        walk(document, &op.node.selection_set.node, 0, &mut out);
    }
    out
}
