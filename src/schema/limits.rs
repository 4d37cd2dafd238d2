//! Document limits async-graphql does not have, checked in one walk as soon as the
//! request is parsed: a bound on how far fragments expand and how deep they nest (before
//! async-graphql's own walks, which follow every spread again and would take
//! exponential time on a small document of nested spreads), a cap on aliases, and
//! sensitive mutations (sign-in, password reset, …) at most once per document, so one
//! request cannot multiply attempts past the per-operation throttles.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextPrepareRequest,
};
use async_graphql::parser::types::{ExecutableDocument, OperationType, Selection, SelectionSet};
use async_graphql::{Request, ServerError, ServerResult};

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

/// How deep selections, inline fragments and fragment spreads may nest in a document.
pub const MAX_NESTING: usize = 64;

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
        self.check(request.parsed_query()?)?;
        next.run(ctx, request).await
    }
}

impl DocumentLimitsExtension {
    fn check(&self, document: &ExecutableDocument) -> ServerResult<()> {
        let shape = measure(document)?;
        if shape.aliases > self.max_aliases {
            return Err(bad_input(format!(
                "The document uses {} aliases; at most {} are allowed.",
                shape.aliases, self.max_aliases
            )));
        }
        let roots = root_fields(document);
        if !self.introspection
            && roots
                .iter()
                .any(|(ty, f)| *ty == OperationType::Query && matches!(*f, "__schema" | "__type"))
        {
            return Err(bad_input(
                "Introspection is disabled on this server.".to_owned(),
            ));
        }
        let sensitive = roots
            .iter()
            .filter(|(ty, f)| *ty == OperationType::Mutation && SENSITIVE_MUTATIONS.contains(f))
            .count();
        if sensitive > 1 {
            return Err(bad_input(format!(
                "Only one of {} may appear in a request.",
                SENSITIVE_MUTATIONS.join(", ")
            )));
        }
        Ok(())
    }
}

/// What the limits need to know of a document.
#[derive(Debug, PartialEq, Eq)]
struct Shape {
    /// Selections with every fragment spread out.
    selections: usize,
    /// Aliases; a fragment's count once however often it is spread.
    aliases: usize,
}

/// Measures the document with every fragment spread out, each fragment walked once.
/// Cycles, nesting past [`MAX_NESTING`] (fragment chains included, which the parser's
/// own nesting limit does not see) and documents past the bound are refused.
fn measure(document: &ExecutableDocument) -> ServerResult<Shape> {
    fn walk(
        document: &ExecutableDocument,
        set: &SelectionSet,
        depth: usize,
        sizes: &mut HashMap<String, Option<usize>>,
    ) -> ServerResult<Shape> {
        if depth > MAX_NESTING {
            return Err(bad_input(format!(
                "The document nests selections and fragments more than {MAX_NESTING} deep."
            )));
        }
        let mut shape = Shape {
            selections: 0,
            aliases: 0,
        };
        for item in &set.items {
            let inner = match &item.node {
                Selection::Field(field) => {
                    let inner = walk(document, &field.node.selection_set.node, depth + 1, sizes)?;
                    Shape {
                        selections: inner.selections + 1,
                        aliases: inner.aliases + usize::from(field.node.alias.is_some()),
                    }
                }
                Selection::InlineFragment(fragment) => walk(
                    document,
                    &fragment.node.selection_set.node,
                    depth + 1,
                    sizes,
                )?,
                Selection::FragmentSpread(spread) => {
                    let name = spread.node.fragment_name.node.as_str();
                    match sizes.get(name) {
                        Some(Some(size)) => Shape {
                            selections: *size,
                            aliases: 0,
                        },
                        Some(None) => {
                            return Err(bad_input(format!("The fragment {name} spreads itself.")));
                        }
                        None => match document.fragments.get(name) {
                            // Unknown fragments are reported by validation.
                            None => Shape {
                                selections: 0,
                                aliases: 0,
                            },
                            Some(fragment) => {
                                sizes.insert(name.to_owned(), None);
                                let inner = walk(
                                    document,
                                    &fragment.node.selection_set.node,
                                    depth + 1,
                                    sizes,
                                )?;
                                sizes.insert(name.to_owned(), Some(inner.selections));
                                inner
                            }
                        },
                    }
                }
            };
            shape.selections = shape.selections.saturating_add(inner.selections);
            shape.aliases = shape.aliases.saturating_add(inner.aliases);
            if shape.selections > MAX_EXPANDED_SELECTIONS {
                return Err(too_large());
            }
        }
        Ok(shape)
    }
    let mut sizes = HashMap::new();
    let mut total = Shape {
        selections: 0,
        aliases: 0,
    };
    for (_, operation) in document.operations.iter() {
        let shape = walk(document, &operation.node.selection_set.node, 0, &mut sizes)?;
        total.selections = total.selections.saturating_add(shape.selections);
        total.aliases = total.aliases.saturating_add(shape.aliases);
    }
    if total.selections > MAX_EXPANDED_SELECTIONS {
        return Err(too_large());
    }
    Ok(total)
}

fn too_large() -> ServerError {
    bad_input(format!(
        "The document expands to more than {MAX_EXPANDED_SELECTIONS} selections."
    ))
}

fn bad_input(message: String) -> ServerError {
    AppError::bad_input(message).into_server_error()
}

/// The root fields of every operation with its type (through fragments). Runs after
/// [`measure`], which bounds how far the spreads reach and refuses cycles.
fn root_fields(document: &ExecutableDocument) -> Vec<(OperationType, &str)> {
    fn walk<'d>(
        document: &'d ExecutableDocument,
        ty: OperationType,
        set: &'d SelectionSet,
        out: &mut Vec<(OperationType, &'d str)>,
    ) {
        for item in &set.items {
            match &item.node {
                Selection::Field(field) => out.push((ty, field.node.name.node.as_str())),
                Selection::InlineFragment(fragment) => {
                    walk(document, ty, &fragment.node.selection_set.node, out)
                }
                Selection::FragmentSpread(spread) => {
                    if let Some(f) = document.fragments.get(&spread.node.fragment_name.node) {
                        walk(document, ty, &f.node.selection_set.node, out);
                    }
                }
            }
        }
    }
    let mut out = Vec::new();
    for (_, op) in document.operations.iter() {
        walk(document, op.node.ty, &op.node.selection_set.node, &mut out);
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
        let error = measure(&parse(&query)).unwrap_err();
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
            measure(&cycle)
                .unwrap_err()
                .message
                .contains("spreads itself")
        );
        let ordinary =
            parse("{ me { id email } ...M } fragment M on Query { stats { visitCount } }");
        assert_eq!(measure(&ordinary).unwrap().selections, 5);
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
        let roots = root_fields(&document);
        let logins = roots
            .iter()
            .filter(|(ty, name)| *ty == OperationType::Mutation && *name == "login");
        assert_eq!(logins.count(), 2);
    }

    #[test]
    fn a_long_chain_of_fragments_is_refused_without_walking_it() {
        let links = 30_000;
        let mut query = String::from("{ ...F0 }");
        for link in 0..links {
            query.push_str(&format!(
                " fragment F{link} on Query {{ ...F{} }}",
                link + 1
            ));
        }
        query.push_str(&format!(" fragment F{links} on Query {{ __typename }}"));
        let error = measure(&parse(&query)).unwrap_err();
        assert!(error.message.contains("deep"), "{}", error.message);
    }

    #[test]
    fn aliases_in_a_fragment_count_once_however_often_it_is_spread() {
        let document = parse("{ ...A ...A } fragment A on Query { a: me { id } b: me { id } }");
        assert_eq!(measure(&document).unwrap().aliases, 2);
    }
}
