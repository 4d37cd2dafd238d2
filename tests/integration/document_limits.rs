//! What a document may ask for: introspection as standard tools send it, depth and
//! complexity for data, nested fragments, forged upload references, suggestions.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::db_test;
use crate::support::ws::WsClient;
use crate::support::{TestApp, error_code};

const GRAPHQL_JS_INTROSPECTION: &str =
    include_str!("../fixtures/graphql/introspection-default.graphql");
const GRAPHQL_JS_INTROSPECTION_ALL_OPTIONS: &str =
    include_str!("../fixtures/graphql/introspection-all-options.graphql");

/// Fragments that each spread the next one ten times, `levels` deep, the last one
/// spreading a fragment that does not exist (722 bytes at level 8).
fn nested_spreads_of_an_unknown_fragment(levels: usize) -> String {
    let mut query = String::from("query { ...F0 }");
    for level in 0..levels {
        let spreads = format!("...F{} ", level + 1).repeat(10);
        query.push_str(&format!(" fragment F{level} on Query {{ {spreads} }}"));
    }
    query.push_str(&format!(" fragment F{levels} on Query {{ ...Missing }}"));
    query
}

/// The first error of a websocket answer: an `error` message or a `next` carrying errors.
fn socket_error(answer: &Value) -> &str {
    let errors = if answer["type"] == "error" {
        &answer["payload"]
    } else {
        &answer["payload"]["errors"]
    };
    errors[0]["message"]
        .as_str()
        .unwrap_or_else(|| panic!("no error in {answer}"))
}

fn message(body: &Value) -> &str {
    body["errors"][0]["message"]
        .as_str()
        .unwrap_or_else(|| panic!("no error in {body}"))
}

db_test!(async fn graphql_js_introspection_query_is_answered_with_the_default_limits(app) {
    for query in [GRAPHQL_JS_INTROSPECTION, GRAPHQL_JS_INTROSPECTION_ALL_OPTIONS] {
        let body = app.gql(None, query, json!({})).await;
        assert!(body["errors"].is_null(), "{body}");
        let types = body["data"]["__schema"]["types"].as_array().unwrap();
        assert!(types.iter().any(|t| t["name"] == "Stats"), "{body}");
    }
});

db_test!(async fn introspection_has_its_own_allowance_below_tight_data_limits(app) with |b| b.env("VITRIN_MAX_DEPTH", "3").env("VITRIN_MAX_COMPLEXITY", "5"), {
    let body = app.gql(None, GRAPHQL_JS_INTROSPECTION, json!({})).await;
    assert!(body["errors"].is_null(), "{body}");
    let too_deep = app.gql(None, "{ mediaList { edges { node { id } } } }", json!({})).await;
    assert_eq!(message(&too_deep), "Query is nested too deep.");
    let too_complex = app.gql(None, "{ me { id email name role locale } }", json!({})).await;
    assert_eq!(message(&too_complex), "Query is too complex.");
});

db_test!(async fn introspection_that_multiplies_lists_is_refused(app) {
    let query = "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }";
    let body = app.gql(None, query, json!({})).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert!(message(&body).contains("introspection"), "{body}");
});

db_test!(async fn the_standard_introspection_query_stays_refused_when_introspection_is_off(app) with |b| b.env("VITRIN_INTROSPECTION", "false"), {
    let body = app.gql(None, GRAPHQL_JS_INTROSPECTION, json!({})).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert!(message(&body).contains("Introspection is disabled"), "{body}");
});

db_test!(async fn field_suggestions_are_off_when_introspection_is(app) with |b| b.env("VITRIN_INTROSPECTION", "false"), {
    let body = app.gql(None, "{ contactMessage { totalCount } }", json!({})).await;
    assert!(!message(&body).contains("Did you mean"), "{body}");
});

db_test!(async fn field_suggestions_help_when_introspection_is_on(app) {
    let body = app.gql(None, "{ contactMessage { totalCount } }", json!({})).await;
    assert!(message(&body).contains("Did you mean \"contactMessages\""), "{body}");
});

/// Sends `query` over HTTP and answers the error message and how long it took.
async fn refused_over_http(app: &TestApp, query: &str) -> (String, Duration) {
    let started = Instant::now();
    let body = app.gql(None, query, json!({})).await;
    (message(&body).to_owned(), started.elapsed())
}

db_test!(async fn nested_spreads_of_an_unknown_fragment_are_refused_at_once_over_http(app) {
    for levels in 8..=12 {
        let query = nested_spreads_of_an_unknown_fragment(levels);
        let (message, took) = refused_over_http(&app, &query).await;
        assert!(message.contains("Unknown fragment \"Missing\""), "level {levels}: {message}");
        assert!(took < Duration::from_secs(2), "level {levels} took {took:?}");
    }
    let health = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), StatusCode::OK);
});

db_test!(async fn nested_spreads_of_an_unknown_fragment_are_refused_at_once_over_the_websocket(app) {
    let url = format!("ws://{}/graphql/ws", app.addr);
    let mut ws = WsClient::connect(&url, false, json!({})).await;
    for levels in 8..=12 {
        let started = Instant::now();
        ws.subscribe(&levels.to_string(), &nested_spreads_of_an_unknown_fragment(levels)).await;
        let answer = ws.next_answer().await;
        assert!(socket_error(&answer).contains("Unknown fragment"), "{answer}");
        assert!(started.elapsed() < Duration::from_secs(2), "level {levels} took {:?}", started.elapsed());
    }
});

db_test!(async fn nested_spreads_that_expand_too_far_are_refused(app) {
    let mut query = String::from("query { ...F0 }");
    for level in 0..12 {
        query.push_str(&format!(" fragment F{level} on Query {{ {} }}", format!("...F{} ", level + 1).repeat(10)));
    }
    query.push_str(" fragment F12 on Query { __typename }");
    let body = app.gql(None, &query, json!({})).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert!(message(&body).contains("expands to more than"), "{body}");
});

const FORGED_UPLOAD: &str = "mutation { uploadMedia(file: \"#__graphql_file__:x\") { id } }";
const FORGED_UPLOAD_VARIABLE: &str = "mutation($f: Upload!) { uploadMedia(file: $f) { id } }";

fn assert_refused_upload_reference(body: &Value) {
    assert_eq!(error_code(body), "BAD_USER_INPUT", "{body}");
    assert!(message(body).contains("multipart"), "{body}");
}

db_test!(async fn a_forged_upload_reference_is_refused_over_post(app) {
    let token = app.admin_token().await;
    for token in [None, Some(token.as_str())] {
        let response = app.post_gql(token, FORGED_UPLOAD, json!({})).await;
        assert_ne!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_refused_upload_reference(&response.json().await.unwrap());
        let body = app.gql(token, FORGED_UPLOAD_VARIABLE, json!({ "f": "#__graphql_file__:0" })).await;
        assert_refused_upload_reference(&body);
    }
});

db_test!(async fn a_forged_upload_reference_is_refused_over_get(app) {
    let query = "query($f: String!) { passwordResetTokenValid(token: $f) }";
    let response = app
        .client
        .get(app.url("/graphql"))
        .query(&[("query", query), ("variables", r##"{"f":"#__graphql_file__:7"}"##)])
        .send()
        .await
        .unwrap();
    assert_ne!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_refused_upload_reference(&response.json().await.unwrap());
});

db_test!(async fn a_forged_upload_reference_is_refused_over_the_websocket(app) {
    let token = app.admin_token().await;
    let url = format!("ws://{}/graphql/ws", app.addr);
    let mut ws = WsClient::connect(&url, false, json!({ "authorization": format!("Bearer {token}") })).await;
    ws.subscribe("1", FORGED_UPLOAD).await;
    let answer = ws.next_answer().await;
    assert!(socket_error(&answer).contains("multipart"), "{answer}");
    ws.subscribe("2", "{ __typename }").await;
    assert_eq!(ws.next_payload().await["data"]["__typename"], "Query", "the socket survived");
});

/// A document whose argument is a list nested `levels` deep.
fn deeply_nested_value(levels: usize) -> String {
    format!(
        "{{ passwordResetTokenValid(token: {}\"x\"{}) }}",
        "[".repeat(levels),
        "]".repeat(levels)
    )
}

fn assert_refused_as_too_deep(message: &str) {
    assert!(message.contains("levels deep"), "{message}");
}

db_test!(async fn a_deeply_nested_value_is_refused_over_post_before_it_is_parsed(app) {
    for levels in [65, 5_000, 30_000] {
        let body = app.gql(None, &deeply_nested_value(levels), json!({})).await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
        assert_refused_as_too_deep(message(&body));
    }
    let health = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), StatusCode::OK);
});

db_test!(async fn a_deeply_nested_value_is_refused_over_get(app) {
    let response = app
        .client
        .get(app.url("/graphql"))
        .query(&[("query", deeply_nested_value(5_000))])
        .send()
        .await
        .unwrap();
    assert_refused_as_too_deep(message(&response.json().await.unwrap()));
});

db_test!(async fn a_deeply_nested_value_is_refused_over_the_websocket(app) {
    let url = format!("ws://{}/graphql/ws", app.addr);
    let mut ws = WsClient::connect(&url, false, json!({})).await;
    ws.subscribe("1", &deeply_nested_value(5_000)).await;
    assert_refused_as_too_deep(socket_error(&ws.next_answer().await));
    ws.subscribe("2", "{ __typename }").await;
    assert_eq!(ws.next_payload().await["data"]["__typename"], "Query", "the socket survived");
});

db_test!(async fn brackets_inside_strings_and_comments_do_not_count_as_nesting(app) {
    let brackets = "[".repeat(200);
    let query = format!("# {brackets}\n{{ passwordResetTokenValid(token: \"{brackets}\") }}");
    let body = app.gql(None, &query, json!({})).await;
    assert!(body["errors"].is_null(), "{body}");
});

db_test!(async fn a_document_longer_than_the_limit_is_refused(app) {
    let query = format!("{{ __typename }}{}", " ".repeat(64 * 1024));
    let body = app.gql(None, &query, json!({})).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    assert!(message(&body).contains("longer than"), "{body}");
});

db_test!(async fn a_fragment_no_operation_uses_is_refused(app) {
    let body = app
        .gql(None, "{ __typename } fragment Lonely on Query { __typename }", json!({}))
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    assert!(message(&body).contains("\"Lonely\" is never used"), "{body}");
});

db_test!(async fn fields_with_too_many_arguments_and_operations_with_too_many_variables_are_refused(app) {
    let arguments: String = (0..33).map(|i| format!("a{i}: 1 ")).collect();
    let body = app.gql(None, &format!("{{ __typename({arguments}) }}"), json!({})).await;
    assert!(message(&body).contains("at most 32 arguments"), "{body}");
    let variables: String = (0..65).map(|i| format!("$v{i}: Int ")).collect();
    let body = app.gql(None, &format!("query({variables}) {{ __typename }}"), json!({})).await;
    assert!(message(&body).contains("at most 64 variables"), "{body}");
    let directives = "@skip(if: false) ".repeat(9);
    let body = app.gql(None, &format!("{{ __typename {directives} }}"), json!({})).await;
    assert!(message(&body).contains("at most 8 directives"), "{body}");
});
