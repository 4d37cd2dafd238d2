//! Document limits, checked in one linear walk as soon as a request is parsed, before
//! async-graphql's own validation (which expands every fragment spread again and would
//! take exponential time on a small document of nested spreads):
//!
//! - unknown fragments and fragment cycles are refused before anything expands them;
//! - fragments expand to a bounded number of selections (every spread counts), nest a
//!   bounded number of levels, and each fragment is measured once per mode (memoised);
//! - data depth is counted from the first non-introspection field, and introspection
//!   (`__schema`, `__type`) has an allowance of its own: standard introspection queries
//!   (graphql-js, GraphiQL, codegen) pass with the default limits, while nested lists of
//!   types and fields cannot multiply an answer without bound;
//! - complexity is async-graphql's (lists cost by page size) without the introspection
//!   fields, checked once validation has computed it;
//! - aliases are capped, sensitive mutations (sign-in, password reset, …) appear at most
//!   once per document, and upload references (`#__graphql_file__:n`) are only accepted
//!   where a multipart request put them.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextPrepareRequest, NextValidation,
};
use async_graphql::parser::Positioned;
use async_graphql::parser::types::{
    Directive, ExecutableDocument, Field, OperationType, Selection, SelectionSet,
};
use async_graphql::{Name, Request, ServerError, ServerResult, ValidationResult, Value};

use crate::error::AppError;

/// Mutations that may appear at most once (in total) in a document.
pub const SENSITIVE_MUTATIONS: &[&str] = &[
    "login",
    "requestPasswordReset",
    "resetPassword",
    "changePassword",
    "requestEmailChange",
    "confirmEmailChange",
    "register",
    "verifyEmail",
    "resendVerification",
    "deleteMyAccount",
    "connectPendingIdentity",
    "checkout",
    "cancelMyOrder",
    "applyCoupon",
    "shareProductByEmail",
    "submitProductReview",
];

/// The most selections a document may stand for once its fragments are spread out.
pub const MAX_EXPANDED_SELECTIONS: usize = 10_000;

/// How deep selections, inline fragments and fragment spreads may nest in a document,
/// and how deep brackets may nest in its text (values included).
pub const MAX_NESTING: usize = 64;

/// The longest document text (the body limit is larger: variables may be long).
pub const MAX_DOCUMENT_BYTES: usize = 64 * 1024;

/// The most arguments one field or directive may have.
pub const MAX_ARGUMENTS: usize = 32;

/// The most directives one selection, fragment or operation may carry.
pub const MAX_DIRECTIVES: usize = 8;

/// The most variables one operation may declare.
pub const MAX_VARIABLES: usize = 64;

/// How deep an introspection field may nest below `__schema` or `__type` (graphql-js's
/// own query reaches 15: `types > fields > args > type` and nine `ofType`s).
pub const MAX_INTROSPECTION_DEPTH: usize = 20;

/// How many introspection lists (`types`, `fields`, `args`, …) may nest inside each
/// other. graphql-js needs three (`types > fields > args`); a fourth would multiply the
/// answer by every field of every type again.
pub const MAX_INTROSPECTION_LISTS: usize = 3;

/// The most values an introspection selection may be estimated to produce, counting
/// each list as ten items. graphql-js's full query (every option on) estimates 52,000.
pub const MAX_INTROSPECTION_COST: usize = 100_000;

/// The estimated length of one introspection list.
const INTROSPECTION_LIST_FACTOR: usize = 10;

/// Introspection fields whose values are lists.
const INTROSPECTION_LISTS: &[&str] = &[
    "types",
    "directives",
    "fields",
    "args",
    "inputFields",
    "interfaces",
    "possibleTypes",
    "enumValues",
    "locations",
];

/// The prefix async-graphql gives the variables that stand for uploaded files.
const UPLOAD_REFERENCE: &str = "#__graphql_file__:";

/// The limits, as configured.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_depth: usize,
    pub max_complexity: usize,
    pub max_aliases: usize,
    pub introspection: bool,
}

/// The extension factory.
pub struct DocumentLimits(pub Limits);

impl ExtensionFactory for DocumentLimits {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(DocumentLimitsExtension {
            limits: self.0,
            introspection_fields: AtomicUsize::new(0),
        })
    }
}

struct DocumentLimitsExtension {
    limits: Limits,
    /// What the introspection part of this request adds to async-graphql's complexity.
    introspection_fields: AtomicUsize,
}

#[async_trait::async_trait]
impl Extension for DocumentLimitsExtension {
    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        mut request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        check_text(&request.query)?;
        check_variable_upload_references(&request)?;
        // Parsed once here; async-graphql reuses the document.
        let document = request.parsed_query()?;
        let shape = check(document, &self.limits)?;
        check_document_upload_references(document)?;
        self.introspection_fields
            .store(shape.introspection.fields, Ordering::Relaxed);
        next.run(ctx, request).await
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let result = next.run(ctx).await?;
        let data = result
            .complexity
            .saturating_sub(self.introspection_fields.load(Ordering::Relaxed));
        if data > self.limits.max_complexity {
            return Err(vec![bad_input("Query is too complex.".to_owned())]);
        }
        Ok(result)
    }
}

/// Checks a document's text before it is parsed: its length, and how deep its brackets
/// nest. The parser stops itself only thousands of levels down ("stack limit reached"),
/// and values nested that deep were then walked by validation and coercion; one linear
/// scan refuses them at the documented limit with a clear message. Strings and comments
/// are skipped.
pub fn check_text(query: &str) -> ServerResult<()> {
    if query.len() > MAX_DOCUMENT_BYTES {
        return Err(bad_input(format!(
            "The document is longer than {MAX_DOCUMENT_BYTES} bytes."
        )));
    }
    let bytes = query.as_bytes();
    let (mut depth, mut i) = (0usize, 0usize);
    while let Some(&b) = bytes.get(i) {
        match b {
            b'#' => {
                while bytes.get(i).is_some_and(|&b| b != b'\n' && b != b'\r') {
                    i += 1;
                }
            }
            b'"' if bytes[i..].starts_with(b"\"\"\"") => {
                i += 3;
                while i < bytes.len() && !bytes[i..].starts_with(b"\"\"\"") {
                    i += if bytes[i..].starts_with(b"\\\"\"\"") {
                        4
                    } else {
                        1
                    };
                }
                i += 2;
            }
            b'"' => {
                i += 1;
                while let Some(&b) = bytes.get(i) {
                    match b {
                        b'\\' => i += 1,
                        b'"' | b'\n' | b'\r' => break,
                        _ => {}
                    }
                    i += 1;
                }
            }
            b'[' | b'{' | b'(' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Err(too_deep());
                }
            }
            b']' | b'}' | b')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    Ok(())
}

/// Checks every structural limit of `document`; answers what was measured.
fn check(document: &ExecutableDocument, limits: &Limits) -> ServerResult<Shape> {
    let shape = measure(document)?;
    if shape.aliases > limits.max_aliases {
        return Err(bad_input(format!(
            "The document uses {} aliases; at most {} are allowed.",
            shape.aliases, limits.max_aliases
        )));
    }
    if shape.data_depth > limits.max_depth {
        return Err(bad_input("Query is nested too deep.".to_owned()));
    }
    let introspects = shape.introspection.fields > 0
        || shape
            .roots
            .keys()
            .any(|(ty, f)| *ty == Root::Query && matches!(*f, "__schema" | "__type"));
    if introspects && !limits.introspection {
        return Err(bad_input(
            "Introspection is disabled on this server.".to_owned(),
        ));
    }
    let introspection = &shape.introspection;
    if introspection.depth > MAX_INTROSPECTION_DEPTH
        || introspection.lists > MAX_INTROSPECTION_LISTS
        || introspection.cost > MAX_INTROSPECTION_COST
    {
        return Err(bad_input(format!(
            "The introspection query asks for too much: at most {MAX_INTROSPECTION_LISTS} \
             nested lists and {MAX_INTROSPECTION_DEPTH} levels are allowed."
        )));
    }
    let sensitive: usize = shape
        .roots
        .iter()
        .filter(|((ty, f), _)| *ty == Root::Mutation && SENSITIVE_MUTATIONS.contains(f))
        .map(|(_, n)| n)
        .sum();
    if sensitive > 1 {
        return Err(bad_input(format!(
            "Only one of {} may appear in a request.",
            SENSITIVE_MUTATIONS.join(", ")
        )));
    }
    Ok(shape)
}

/// What the limits need to know of a document.
#[derive(Debug, Default)]
struct Shape {
    /// Aliases; a fragment's count once however often it is spread.
    aliases: usize,
    /// The deepest chain of data fields (introspection fields not counted).
    data_depth: usize,
    /// Root fields of every operation, by operation type, with how often they appear.
    roots: HashMap<(Root, &'static str), usize>,
    introspection: Introspection,
}

/// The measure of the introspection parts of a selection.
#[derive(Debug, Default, Clone, Copy)]
struct Introspection {
    /// The deepest introspection field, counting from `__schema`/`__type`.
    depth: usize,
    /// The most introspection lists nested inside each other.
    lists: usize,
    /// The estimated number of values the introspection fields produce.
    cost: usize,
    /// Introspection fields as async-graphql's complexity counts them (all but
    /// `__typename`).
    fields: usize,
}

/// The operation type of a root field (`OperationType` is not `Hash`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Root {
    Query,
    Mutation,
    Subscription,
}

impl Root {
    fn of(ty: OperationType) -> Self {
        match ty {
            OperationType::Query => Root::Query,
            OperationType::Mutation => Root::Mutation,
            OperationType::Subscription => Root::Subscription,
        }
    }
}

/// Whether a selection set is data or the inside of `__schema`/`__type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Mode {
    Data,
    Introspection,
}

/// The measure of one selection set in one mode; fragments keep theirs per mode.
#[derive(Debug, Default, Clone, Copy)]
struct Measure {
    selections: usize,
    data_depth: usize,
    /// How many levels of selections and fragments lie below.
    nesting: usize,
    introspection: Introspection,
}

impl Measure {
    /// Adds a sibling's measure.
    fn merge(&mut self, other: &Measure) {
        self.selections = self.selections.saturating_add(other.selections);
        self.data_depth = self.data_depth.max(other.data_depth);
        self.nesting = self.nesting.max(other.nesting);
        let (mine, theirs) = (&mut self.introspection, &other.introspection);
        mine.depth = mine.depth.max(theirs.depth);
        mine.lists = mine.lists.max(theirs.lists);
        mine.cost = mine.cost.saturating_add(theirs.cost);
        mine.fields = mine.fields.saturating_add(theirs.fields);
    }
}

/// The walk over a document: memoised fragment measures and the aliases seen.
struct Walker<'d> {
    document: &'d ExecutableDocument,
    /// `None` while a fragment is being measured (a spread of it then is a cycle).
    fragments: HashMap<(&'d str, Mode), Option<Measure>>,
    /// Root fields reachable through each fragment, with their counts.
    roots: HashMap<&'d str, HashMap<&'d str, usize>>,
}

/// Measures `document`. Unknown fragments, cycles, nesting past [`MAX_NESTING`] and
/// documents past [`MAX_EXPANDED_SELECTIONS`] are refused; every fragment is walked at
/// most once per mode, so the walk is linear in the document's size.
fn measure(document: &ExecutableDocument) -> ServerResult<Shape> {
    let aliases = written_aliases(document)?;
    let mut walker = Walker {
        document,
        fragments: HashMap::new(),
        roots: HashMap::new(),
    };
    let mut total = Measure::default();
    let mut roots: HashMap<(Root, &'static str), usize> = HashMap::new();
    for (_, operation) in document.operations.iter() {
        let set = &operation.node.selection_set.node;
        let measured = walker.selection_set(set, Mode::Data, 0)?;
        total.merge(&measured);
        if total.selections > MAX_EXPANDED_SELECTIONS {
            return Err(too_large());
        }
        for (name, n) in walker.root_fields(set) {
            *roots
                .entry((Root::of(operation.node.ty), intern_root(name)))
                .or_default() += n;
        }
    }
    // Validation walks every fragment definition, reached or not: the ones no operation
    // reaches were never measured.
    if let Some(unused) = document.fragments.keys().find(|name| {
        !walker
            .fragments
            .keys()
            .any(|(reached, _)| reached == &name.as_str())
    }) {
        return Err(bad_input(format!(
            "The fragment \"{unused}\" is never used."
        )));
    }
    Ok(Shape {
        aliases,
        data_depth: total.data_depth,
        roots,
        introspection: total.introspection,
    })
}

/// Root field names the checks care about, as static strings (others become "").
fn intern_root(name: &str) -> &'static str {
    ["__schema", "__type"]
        .into_iter()
        .chain(SENSITIVE_MUTATIONS.iter().copied())
        .find(|known| *known == name)
        .unwrap_or("")
}

/// Checks the document as written, without following any spread: every spread must
/// name a fragment of the document; nothing may nest past [`MAX_NESTING`]; fields and
/// directives carry at most [`MAX_ARGUMENTS`], selections at most [`MAX_DIRECTIVES`],
/// operations declare at most [`MAX_VARIABLES`] (async-graphql's validation compares
/// these pairwise). Answers the aliases written (a fragment's count once however often
/// it is spread).
fn written_aliases(document: &ExecutableDocument) -> ServerResult<usize> {
    fn directives(list: &[Positioned<Directive>]) -> ServerResult<()> {
        if list.len() > MAX_DIRECTIVES {
            return Err(bad_input(format!(
                "A selection may carry at most {MAX_DIRECTIVES} directives."
            )));
        }
        for directive in list {
            arguments(directive.node.arguments.len())?;
        }
        Ok(())
    }
    fn arguments(n: usize) -> ServerResult<()> {
        if n > MAX_ARGUMENTS {
            return Err(bad_input(format!(
                "A field or directive may have at most {MAX_ARGUMENTS} arguments."
            )));
        }
        Ok(())
    }
    fn walk(
        document: &ExecutableDocument,
        set: &SelectionSet,
        nesting: usize,
    ) -> ServerResult<usize> {
        if nesting > MAX_NESTING {
            return Err(too_deep());
        }
        let mut aliases = 0usize;
        for item in &set.items {
            aliases = aliases.saturating_add(match &item.node {
                Selection::Field(field) => {
                    arguments(field.node.arguments.len())?;
                    directives(&field.node.directives)?;
                    usize::from(field.node.alias.is_some())
                        + walk(document, &field.node.selection_set.node, nesting + 1)?
                }
                Selection::InlineFragment(fragment) => {
                    directives(&fragment.node.directives)?;
                    walk(document, &fragment.node.selection_set.node, nesting + 1)?
                }
                Selection::FragmentSpread(spread) => {
                    directives(&spread.node.directives)?;
                    let name = &spread.node.fragment_name.node;
                    if !document.fragments.contains_key(name) {
                        return Err(bad_input(format!("Unknown fragment \"{name}\".")));
                    }
                    0
                }
            });
        }
        Ok(aliases)
    }
    let mut aliases = 0usize;
    for (_, operation) in document.operations.iter() {
        if operation.node.variable_definitions.len() > MAX_VARIABLES {
            return Err(bad_input(format!(
                "An operation may declare at most {MAX_VARIABLES} variables."
            )));
        }
        directives(&operation.node.directives)?;
        aliases = aliases.saturating_add(walk(document, &operation.node.selection_set.node, 0)?);
    }
    for fragment in document.fragments.values() {
        directives(&fragment.node.directives)?;
        aliases = aliases.saturating_add(walk(document, &fragment.node.selection_set.node, 0)?);
    }
    Ok(aliases)
}

impl<'d> Walker<'d> {
    fn selection_set(
        &mut self,
        set: &'d SelectionSet,
        mode: Mode,
        nesting: usize,
    ) -> ServerResult<Measure> {
        if nesting > MAX_NESTING {
            return Err(too_deep());
        }
        let mut measure = Measure::default();
        for item in &set.items {
            let inner = match &item.node {
                Selection::Field(field) => self.field(&field.node, mode, nesting)?,
                Selection::InlineFragment(fragment) => {
                    let mut inner =
                        self.selection_set(&fragment.node.selection_set.node, mode, nesting + 1)?;
                    inner.nesting += 1;
                    inner
                }
                Selection::FragmentSpread(spread) => {
                    let mut inner =
                        self.fragment(spread.node.fragment_name.node.as_str(), mode, nesting)?;
                    // A spread is a selection of its own, even of an empty fragment.
                    inner.selections = inner.selections.saturating_add(1);
                    inner
                }
            };
            measure.merge(&inner);
            if measure.selections > MAX_EXPANDED_SELECTIONS {
                return Err(too_large());
            }
        }
        Ok(measure)
    }

    fn field(&mut self, field: &'d Field, mode: Mode, nesting: usize) -> ServerResult<Measure> {
        let name = field.name.node.as_str();
        let children = &field.selection_set.node;
        if name == "__typename" {
            let mut measure = Measure {
                selections: 1,
                ..Measure::default()
            };
            if mode == Mode::Introspection {
                measure.introspection.cost = 1;
            }
            return Ok(measure);
        }
        let entering = mode == Mode::Data && matches!(name, "__schema" | "__type");
        let inner_mode = if entering { Mode::Introspection } else { mode };
        let mut measure = self.selection_set(children, inner_mode, nesting + 1)?;
        measure.selections = measure.selections.saturating_add(1);
        if !children.items.is_empty() {
            measure.nesting += 1;
        }
        if inner_mode == Mode::Data {
            measure.data_depth += 1;
            return Ok(measure);
        }
        let introspection = &mut measure.introspection;
        introspection.depth += 1;
        introspection.fields = introspection.fields.saturating_add(1);
        if INTROSPECTION_LISTS.contains(&name) && !entering {
            introspection.lists += 1;
            introspection.cost = introspection.cost.saturating_mul(INTROSPECTION_LIST_FACTOR);
        }
        introspection.cost = introspection.cost.saturating_add(1);
        Ok(measure)
    }

    fn fragment(&mut self, name: &'d str, mode: Mode, nesting: usize) -> ServerResult<Measure> {
        match self.fragments.get(&(name, mode)) {
            // Measured elsewhere: it must still fit below this spread.
            Some(Some(measure)) if nesting + 1 + measure.nesting > MAX_NESTING => {
                return Err(too_deep());
            }
            Some(Some(measure)) => return Ok(*measure),
            Some(None) => {
                return Err(bad_input(format!("The fragment {name} spreads itself.")));
            }
            None => {}
        }
        let Some(fragment) = self.document.fragments.get(name) else {
            return Err(bad_input(format!("Unknown fragment \"{name}\".")));
        };
        self.fragments.insert((name, mode), None);
        let mut measure =
            self.selection_set(&fragment.node.selection_set.node, mode, nesting + 1)?;
        measure.nesting += 1;
        self.fragments.insert((name, mode), Some(measure));
        Ok(measure)
    }

    /// The root fields of a selection set (through its fragments) with their counts.
    /// Runs after the set was measured: every fragment it reaches is known and acyclic.
    fn root_fields(&mut self, set: &'d SelectionSet) -> HashMap<&'d str, usize> {
        let mut out: HashMap<&'d str, usize> = HashMap::new();
        for item in &set.items {
            match &item.node {
                Selection::Field(field) => {
                    *out.entry(field.node.name.node.as_str()).or_default() += 1;
                }
                Selection::InlineFragment(fragment) => {
                    for (name, n) in self.root_fields(&fragment.node.selection_set.node) {
                        *out.entry(name).or_default() += n;
                    }
                }
                Selection::FragmentSpread(spread) => {
                    let name = spread.node.fragment_name.node.as_str();
                    let fields = match self.roots.get(name) {
                        Some(fields) => fields.clone(),
                        None => {
                            let fields = match self.document.fragments.get(name) {
                                Some(f) => self.root_fields(&f.node.selection_set.node),
                                None => HashMap::new(),
                            };
                            self.roots.insert(name, fields.clone());
                            fields
                        }
                    };
                    for (name, n) in fields {
                        let count = out.entry(name).or_default();
                        *count = count.saturating_add(n);
                    }
                }
            }
        }
        out
    }
}

/// Upload references are values async-graphql turns into indexes of the request's files
/// without checking them: a reference that names no file would crash the request. Only
/// the multipart reader may put them into variables, and never into the document.
fn check_document_upload_references(document: &ExecutableDocument) -> ServerResult<()> {
    fn in_value(value: &Value) -> bool {
        match value {
            Value::String(s) => s.starts_with(UPLOAD_REFERENCE),
            Value::List(items) => items.iter().any(in_value),
            Value::Object(fields) => fields.values().any(in_value),
            _ => false,
        }
    }
    fn in_literal(value: &async_graphql_value::Value) -> bool {
        use async_graphql_value::Value as Literal;
        match value {
            Literal::String(s) => s.starts_with(UPLOAD_REFERENCE),
            Literal::List(items) => items.iter().any(in_literal),
            Literal::Object(fields) => fields.values().any(in_literal),
            _ => false,
        }
    }
    fn in_arguments(
        arguments: &[(Positioned<Name>, Positioned<async_graphql_value::Value>)],
    ) -> bool {
        arguments.iter().any(|(_, v)| in_literal(&v.node))
    }
    fn in_set(set: &SelectionSet) -> bool {
        set.items.iter().any(|item| match &item.node {
            Selection::Field(field) => {
                in_arguments(&field.node.arguments)
                    || field
                        .node
                        .directives
                        .iter()
                        .any(|d| in_arguments(&d.node.arguments))
                    || in_set(&field.node.selection_set.node)
            }
            Selection::InlineFragment(fragment) => in_set(&fragment.node.selection_set.node),
            Selection::FragmentSpread(_) => false,
        })
    }
    let in_operations = document.operations.iter().any(|(_, op)| {
        in_set(&op.node.selection_set.node)
            || op.node.variable_definitions.iter().any(|v| {
                v.node
                    .default_value
                    .as_ref()
                    .is_some_and(|d| in_value(&d.node))
            })
    });
    let in_fragments = document
        .fragments
        .values()
        .any(|f| in_set(&f.node.selection_set.node));
    if in_operations || in_fragments {
        return Err(upload_reference_refused());
    }
    Ok(())
}

/// Variables may reference only files the request carries, in the form the multipart
/// reader writes (`#__graphql_file__:0`, …).
fn check_variable_upload_references(request: &Request) -> ServerResult<()> {
    fn valid(value: &Value, files: usize) -> bool {
        match value {
            Value::String(s) => match s.strip_prefix(UPLOAD_REFERENCE) {
                None => true,
                Some(index) => index
                    .parse::<usize>()
                    .is_ok_and(|i| i < files && index == i.to_string()),
            },
            Value::List(items) => items.iter().all(|v| valid(v, files)),
            Value::Object(fields) => fields.values().all(|v| valid(v, files)),
            _ => true,
        }
    }
    let files = request.uploads.len();
    if request.variables.iter().any(|(_, v)| !valid(v, files)) {
        return Err(upload_reference_refused());
    }
    Ok(())
}

fn upload_reference_refused() -> ServerError {
    bad_input("Files can only be sent in a multipart request, referenced from its map.".to_owned())
}

fn too_deep() -> ServerError {
    bad_input(format!(
        "The document nests more than {MAX_NESTING} levels deep (selections, fragments, lists or objects)."
    ))
}

fn too_large() -> ServerError {
    bad_input(format!(
        "The document expands to more than {MAX_EXPANDED_SELECTIONS} selections."
    ))
}

fn bad_input(message: String) -> ServerError {
    AppError::bad_input(message).into_server_error()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(query: &str) -> ExecutableDocument {
        async_graphql::parser::parse_query(query).unwrap()
    }

    fn limits() -> Limits {
        Limits {
            max_depth: 12,
            max_complexity: 1000,
            max_aliases: 30,
            introspection: true,
        }
    }

    /// Fragments that each spread the next ten times, `levels` deep, ending in `last`.
    fn nested_spreads(levels: usize, last: &str) -> String {
        let mut query = String::from("query { ...F0 }");
        for level in 0..levels {
            let spreads = format!("...F{} ", level + 1).repeat(10);
            query.push_str(&format!(" fragment F{level} on Query {{ {spreads} }}"));
        }
        query.push_str(&format!(" fragment F{levels} on Query {{ {last} }}"));
        query
    }

    #[test]
    fn nested_fragment_spreads_are_measured_without_walking_them_all() {
        let started = std::time::Instant::now();
        let error = measure(&parse(&nested_spreads(12, "__typename"))).unwrap_err();
        assert!(
            error.message.contains("more than 10000"),
            "{}",
            error.message
        );
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
    }

    #[test]
    fn a_spread_of_an_unknown_fragment_is_refused_before_any_walk() {
        for levels in 8..=12 {
            let query = nested_spreads(levels, "...Missing");
            let started = std::time::Instant::now();
            let error = measure(&parse(&query)).unwrap_err();
            assert!(
                error.message.contains("Unknown fragment"),
                "{}",
                error.message
            );
            assert!(started.elapsed() < std::time::Duration::from_secs(1));
        }
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
        assert_eq!(measure(&ordinary).unwrap().data_depth, 2);
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
        let error = check(&parse(&query), &limits()).unwrap_err();
        assert!(error.message.contains("Only one of"), "{}", error.message);
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
    fn a_fragment_measured_shallow_still_counts_its_nesting_where_it_is_spread_deep() {
        let deep_fragment = format!("{}x{}", "a { ".repeat(40), " }".repeat(40));
        let deep_spread = format!("{}...D{}", "b { ".repeat(30), " }".repeat(30));
        let document = parse(&format!(
            "{{ ...D {deep_spread} }} fragment D on Query {{ {deep_fragment} }}"
        ));
        let error = measure(&document).unwrap_err();
        assert!(error.message.contains("levels deep"), "{}", error.message);
    }

    #[test]
    fn nesting_counts_fields_and_inline_fragments() {
        let levels = MAX_NESTING / 2;
        let nested = format!("{}x{}", "a { ... { ".repeat(levels), " } }".repeat(levels));
        let error = measure(&parse(&format!("{{ {nested} }}"))).unwrap_err();
        assert!(error.message.contains("levels deep"), "{}", error.message);
    }

    #[test]
    fn brackets_past_the_nesting_limit_are_refused_before_parsing() {
        let at_limit = format!(
            "{}1{}",
            "[".repeat(MAX_NESTING - 2),
            "]".repeat(MAX_NESTING - 2)
        );
        assert!(check_text(&format!("{{ f(a: {at_limit}) }}")).is_ok());
        let past = format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(check_text(&past).is_err());
    }

    #[test]
    fn brackets_in_strings_block_strings_and_comments_are_not_nesting() {
        let brackets = "{[(".repeat(MAX_NESTING);
        let query = format!(
            "# {brackets}\n{{ f(a: \"{brackets}\\\"\", b: \"\"\"{brackets}\\\"\"\" \"\"\") }}"
        );
        assert!(check_text(&query).is_ok(), "{query}");
    }

    #[test]
    fn an_unused_fragment_is_refused() {
        let error = measure(&parse("{ x } fragment U on Query { y }")).unwrap_err();
        assert!(error.message.contains("never used"), "{}", error.message);
    }

    #[test]
    fn aliases_in_a_fragment_count_once_however_often_it_is_spread() {
        let document = parse("{ ...A ...A } fragment A on Query { a: me { id } b: me { id } }");
        assert_eq!(measure(&document).unwrap().aliases, 2);
    }

    #[test]
    fn depth_counts_data_fields_only() {
        let shape = measure(&parse(
            "{ me { id } __schema { types { fields { type { ofType { name } } } } } }",
        ))
        .unwrap();
        assert_eq!(shape.data_depth, 2);
        assert_eq!(shape.introspection.depth, 6);
        assert_eq!(shape.introspection.lists, 2);
        assert_eq!(shape.introspection.fields, 6);
    }

    #[test]
    fn deeply_nested_introspection_lists_are_refused() {
        let query =
            "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }";
        let error = check(&parse(query), &limits()).unwrap_err();
        assert!(error.message.contains("introspection"), "{}", error.message);
    }

    #[test]
    fn introspection_is_refused_when_disabled_even_through_a_fragment() {
        let disabled = Limits {
            introspection: false,
            ..limits()
        };
        let error = check(
            &parse("{ ...I } fragment I on Query { __type(name: \"Query\") { name } }"),
            &disabled,
        )
        .unwrap_err();
        assert!(error.message.contains("disabled"), "{}", error.message);
    }

    #[test]
    fn upload_references_are_refused_in_the_document() {
        let literal = parse("mutation { uploadMedia(file: \"#__graphql_file__:0\") { id } }");
        assert!(check_document_upload_references(&literal).is_err());
        let default = parse(
            "mutation($f: Upload = \"#__graphql_file__:x\") { uploadMedia(file: $f) { id } }",
        );
        assert!(check_document_upload_references(&default).is_err());
        let plain = parse("mutation($f: Upload!) { uploadMedia(file: $f) { id } }");
        assert!(check_document_upload_references(&plain).is_ok());
    }

    #[test]
    fn upload_references_in_variables_must_name_a_sent_file() {
        let with = |value: &str| {
            Request::new("").variables(async_graphql::Variables::from_json(
                serde_json::json!({ "f": value }),
            ))
        };
        assert!(check_variable_upload_references(&with("#__graphql_file__:0")).is_err());
        assert!(check_variable_upload_references(&with("#__graphql_file__:x")).is_err());
        assert!(check_variable_upload_references(&with("a string")).is_ok());
    }
}
