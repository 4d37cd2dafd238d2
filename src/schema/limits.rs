//! Document limits async-graphql does not have: a bound on how far fragments expand
//! (checked before async-graphql's own walks, which follow every spread again and would
//! take exponential time on a small document of nested spreads), a cap on aliases, and
//! sensitive mutations (sign-in, password reset, …) at most once per document, so one
//! request cannot multiply attempts past the per-operation throttles.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextPrepareRequest,
};
use async_graphql::parser::types::{ExecutableDocument, OperationType, Selection, SelectionSet};
use async_graphql::{Request, ServerError, ServerResult, Variables};

use crate::error::AppError;

/// Mutations that may appear at most once (in total) in a document.
pub const SENSITIVE_MUTATIONS: &[&str] = &[
    "login",
    "requestPasswordReset",
    "resetPassword",
    "changePassword",
    "requestEmailChange",
    "confirmEmailChange",
];

/// The most selections a document may stand for once its fragments are spread out.
pub const MAX_EXPANDED_SELECTIONS: usize = 10_000;

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
    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        mut request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        // Parsed once here; async-graphql reuses the document.
        let document = request.parsed_query()?;
        expanded_size(document)?;
        next.run(ctx, request).await
    }

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

/// How many selections the document stands for with every fragment spread out, each
/// fragment measured once; cycles and documents past the bound are refused.
fn expanded_size(document: &ExecutableDocument) -> ServerResult<usize> {
    fn set_size(
        document: &ExecutableDocument,
        set: &SelectionSet,
        sizes: &mut HashMap<String, Option<usize>>,
    ) -> ServerResult<usize> {
        let mut total = 0usize;
        for item in &set.items {
            let size = match &item.node {
                Selection::Field(field) => {
                    1 + set_size(document, &field.node.selection_set.node, sizes)?
                }
                Selection::InlineFragment(fragment) => {
                    set_size(document, &fragment.node.selection_set.node, sizes)?
                }
                Selection::FragmentSpread(spread) => {
                    let name = spread.node.fragment_name.node.as_str();
                    match sizes.get(name) {
                        Some(Some(size)) => *size,
                        Some(None) => {
                            return Err(bad_input(format!("The fragment {name} spreads itself.")));
                        }
                        None => match document.fragments.get(name) {
                            // Unknown fragments are reported by validation.
                            None => 0,
                            Some(fragment) => {
                                sizes.insert(name.to_owned(), None);
                                let size =
                                    set_size(document, &fragment.node.selection_set.node, sizes)?;
                                sizes.insert(name.to_owned(), Some(size));
                                size
                            }
                        },
                    }
                }
            };
            total = total.saturating_add(size);
            if total > MAX_EXPANDED_SELECTIONS {
                return Err(bad_input(format!(
                    "The document expands to more than {MAX_EXPANDED_SELECTIONS} selections."
                )));
            }
        }
        Ok(total)
    }
    let mut sizes = HashMap::new();
    let mut total = 0usize;
    for (_, operation) in document.operations.iter() {
        total = total.saturating_add(set_size(
            document,
            &operation.node.selection_set.node,
            &mut sizes,
        )?);
    }
    if total > MAX_EXPANDED_SELECTIONS {
        return Err(bad_input(format!(
            "The document expands to more than {MAX_EXPANDED_SELECTIONS} selections."
        )));
    }
    Ok(total)
}

fn bad_input(message: String) -> ServerError {
    AppError::bad_input(message).into_server_error()
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
        // Documents are bounded by `expanded_size` before this walk; the depth cap only
        // guards against a cycle reaching here some other way.
        if depth > 64 {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(query: &str) -> ExecutableDocument {
        async_graphql::parser::parse_query(query).unwrap()
    }

    #[test]
    fn nested_fragment_spreads_are_measured_without_walking_them_all() {
        let mut query = String::from("query { ...F0 }");
        for level in 0..12 {
            let spreads = format!("...F{} ", level + 1).repeat(10);
            query.push_str(&format!(" fragment F{level} on Query {{ {spreads} }}"));
        }
        query.push_str(" fragment F12 on Query { __typename }");
        let started = std::time::Instant::now();
        let error = expanded_size(&parse(&query)).unwrap_err();
        assert!(
            error.message.contains("more than 10000"),
            "{}",
            error.message
        );
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
    }

    #[test]
    fn cycles_are_refused_and_ordinary_documents_pass() {
        let cycle = parse("{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }");
        assert!(
            expanded_size(&cycle)
                .unwrap_err()
                .message
                .contains("spreads itself")
        );
        let ordinary =
            parse("{ me { id email } ...M } fragment M on Query { stats { visitCount } }");
        assert_eq!(expanded_size(&ordinary).unwrap(), 5);
    }

    #[test]
    fn a_sensitive_mutation_deep_in_fragments_still_counts() {
        let mut query =
            String::from("mutation { login(email: \"a\", password: \"b\") { token } ...F0 }");
        for level in 0..10 {
            query.push_str(&format!(
                " fragment F{level} on Mutation {{ ...F{} }}",
                level + 1
            ));
        }
        query.push_str(
            " fragment F10 on Mutation { login(email: \"c\", password: \"d\") { token } }",
        );
        let document = parse(&query);
        let names = root_fields(&document, OperationType::Mutation);
        assert_eq!(names.iter().filter(|n| **n == "login").count(), 2);
    }
}
